import { Migration } from '@mikro-orm/migrations';

export class Migration20261206234000 extends Migration {

  override name = 'Migration20261206234000';

  override up(): void | Promise<void> {
    this.addSql(`alter table "agents" add column "pin_hash" text null, add column "pin_failures" int not null default 0, add column "pin_locked_until" timestamptz null;`);
    this.addSql(`create table "voice_pin_attempts" ("id" serial primary key, "agent_id" int not null, "caller_phone" varchar(40) not null, "ok" boolean not null, "locked" boolean not null, "at" timestamptz not null);`);
    this.addSql(`create index "voice_pin_attempts_agent_at_idx" on "voice_pin_attempts" ("agent_id", "at");`);
    this.addSql(`alter table "voice_pin_attempts" add constraint "voice_pin_attempts_agent_id_foreign" foreign key ("agent_id") references "agents" ("id") on delete cascade;`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table if exists "voice_pin_attempts" cascade;`);
    this.addSql(`alter table "agents" drop column "pin_hash", drop column "pin_failures", drop column "pin_locked_until";`);
  }

}
