import { Migration } from '@mikro-orm/migrations';

export class Migration20261125030200 extends Migration {

  override name = 'Migration20261125030200';

  override up(): void | Promise<void> {
    this.addSql(`create table "calls" ("id" serial primary key, "agent_id" int not null, "call_sid" varchar(64) not null, "direction" text not null, "from_number" varchar(32) not null, "to_number" varchar(32) not null, "provider" varchar(20) not null default 'twilio', "transport" text not null, "status" text not null default 'ringing', "outcome" text null, "summary" text null, "duration_sec" int null, "started_at" timestamptz not null, "ended_at" timestamptz null, "machine_snapshot" jsonb null, "created_at" timestamptz not null, "updated_at" timestamptz not null);`);
    this.addSql(`alter table "calls" add constraint "calls_call_sid_unique" unique ("call_sid");`);
    this.addSql(`create index "calls_agent_started_idx" on "calls" ("agent_id", "started_at");`);

    this.addSql(`alter table "calls" add constraint "calls_agent_id_foreign" foreign key ("agent_id") references "agents" ("id") on delete cascade;`);
    this.addSql(`alter table "calls" add constraint "calls_direction_check" check ("direction" in ('inbound', 'outbound'));`);
    this.addSql(`alter table "calls" add constraint "calls_transport_check" check ("transport" in ('conversation-relay', 'media-stream', 'vapi'));`);
    this.addSql(`alter table "calls" add constraint "calls_status_check" check ("status" in ('queued', 'ringing', 'in-progress', 'completed', 'busy', 'failed', 'no-answer', 'canceled'));`);
    this.addSql(`alter table "calls" add constraint "calls_outcome_check" check ("outcome" in ('information_provided', 'viewing_scheduled', 'offer_created', 'message_taken', 'transferred', 'no_outcome'));`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table if exists "calls" cascade;`);
  }

}
