import { Migration } from '@mikro-orm/migrations';

export class Migration20261125021635 extends Migration {

  override name = 'Migration20261125021635';

  override up(): void | Promise<void> {
    this.addSql(`alter table "agents" add "digest_time" varchar(5) not null default '08:00';`);
  }

  override down(): void | Promise<void> {
    this.addSql(`alter table "agents" drop column "digest_time";`);
  }

}
