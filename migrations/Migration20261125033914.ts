import { Migration } from '@mikro-orm/migrations';

export class Migration20261125033914 extends Migration {

  override name = 'Migration20261125033914';

  override up(): void | Promise<void> {
    this.addSql(`create table "call_turns" ("id" serial primary key, "call_id" int not null, "seq" int not null, "role" text not null, "text" text not null, "state" varchar(60) null, "intent" varchar(40) null, "tool_name" varchar(60) null, "tool_arguments" jsonb null, "tool_result" jsonb null, "ok" boolean null, "interrupted" boolean not null default false, "timings" jsonb null, "created_at" timestamptz not null);`);
    this.addSql(`create index "call_turns_call_seq_idx" on "call_turns" ("call_id", "seq");`);

    this.addSql(`alter table "calls" add "ended_reason" varchar(40) null, add "property_id" int null, add "recording_url" text null, add "fair_housing_deflections" int not null default 0;`);

    this.addSql(`alter table "call_turns" add constraint "call_turns_call_id_foreign" foreign key ("call_id") references "calls" ("id") on delete cascade;`);
    this.addSql(`alter table "call_turns" add constraint "call_turns_role_check" check ("role" in ('caller', 'agent', 'tool'));`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table if exists "call_turns" cascade;`);

    this.addSql(`alter table "calls" drop column "ended_reason", drop column "property_id", drop column "recording_url", drop column "fair_housing_deflections";`);
  }

}
