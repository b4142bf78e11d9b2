import { Migration } from '@mikro-orm/migrations';

export class Migration20261125024607 extends Migration {

  override name = 'Migration20261125024607';

  override up(): void | Promise<void> {
    this.addSql(`alter table "properties" add "latitude" double precision null, add "longitude" double precision null;`);
  }

  override down(): void | Promise<void> {
    this.addSql(`alter table "properties" drop column "latitude", drop column "longitude";`);
  }

}
