import { Migration } from '@mikro-orm/migrations';

export class Migration20261206230000 extends Migration {

  override name = 'Migration20261206230000';

  override up(): void | Promise<void> {
    this.addSql(`alter table "call_attempts" add column "call_id" int null, add column "connected_at" timestamptz null, add column "greeted_at" timestamptz null;`);
    this.addSql(`create index "call_attempts_campaign_connected_idx" on "call_attempts" ("campaign_id", "connected_at");`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop index "call_attempts_campaign_connected_idx";`);
    this.addSql(`alter table "call_attempts" drop column "call_id", drop column "connected_at", drop column "greeted_at";`);
  }

}
