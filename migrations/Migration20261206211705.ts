import { Migration } from '@mikro-orm/migrations';

export class Migration20261206211705 extends Migration {

  override name = 'Migration20261206211705';

  override up(): void | Promise<void> {
    this.addSql(`create table "dnc_lists" ("id" serial primary key, "kind" text not null, "state" varchar(2) null, "scrubbed_at" timestamptz not null, "numbers" int not null default 0, "uploaded_at" timestamptz not null);`);

    this.addSql(`create table "dnc_list_numbers" ("id" bigserial primary key, "list_id" int not null, "phone" varchar(20) not null);`);
    this.addSql(`create index "dnc_list_numbers_phone_idx" on "dnc_list_numbers" ("phone");`);

    this.addSql(`create table "do_not_call" ("id" serial primary key, "phone" varchar(20) not null, "source" text not null, "reason" text null, "agent_id" int null, "campaign_id" int null, "created_at" timestamptz not null);`);
    this.addSql(`alter table "do_not_call" add constraint "do_not_call_phone_unique" unique ("phone");`);

    this.addSql(`create table "consents" ("id" serial primary key, "agent_id" int not null, "contact_id" int null, "phone" varchar(20) not null, "type" text not null, "source" varchar(200) not null, "evidence" text not null, "given_at" timestamptz not null, "revoked_at" timestamptz null, "created_at" timestamptz not null);`);
    this.addSql(`create index "consents_agent_phone_idx" on "consents" ("agent_id", "phone");`);

    this.addSql(`create table "campaigns" ("id" serial primary key, "agent_id" int not null, "name" varchar(200) not null, "purpose" text not null, "playbook" varchar(60) not null, "property_id" int null, "contact_roles" jsonb not null default '[]', "caller_id" varchar(20) not null, "telemarketing" boolean not null default true, "max_attempts" int not null default 3, "retry_delay_minutes" int not null default 60, "calls_per_minute" int not null default 5, "max_concurrent" int not null default 2, "window_start" varchar(5) not null default '09:00', "window_end" varchar(5) not null default '19:00', "status" text not null default 'draft', "started_at" timestamptz null, "completed_at" timestamptz null, "created_at" timestamptz not null, "updated_at" timestamptz not null);`);
    this.addSql(`create index "campaigns_agent_status_idx" on "campaigns" ("agent_id", "status");`);

    this.addSql(`create table "campaign_targets" ("id" serial primary key, "campaign_id" int not null, "agent_id" int not null, "contact_id" int null, "phone" varchar(20) not null, "name" varchar(200) null, "zip" varchar(10) null, "state" varchar(2) null, "status" text not null default 'queued', "attempts" int not null default 0, "next_attempt_at" timestamptz not null, "claimed_by" varchar(64) null, "claimed_until" timestamptz null, "outcome" text null, "outcome_note" text null, "last_provider_call_id" varchar(64) null, "created_at" timestamptz not null, "updated_at" timestamptz not null);`);
    this.addSql(`create index "campaign_targets_due_idx" on "campaign_targets" ("campaign_id", "status", "next_attempt_at");`);
    this.addSql(`alter table "campaign_targets" add constraint "campaign_targets_campaign_phone_unique" unique ("campaign_id", "phone");`);

    this.addSql(`create table "dial_decisions" ("id" serial primary key, "agent_id" int not null, "campaign_id" int null, "target_id" int null, "phone" varchar(20) not null, "at" timestamptz not null, "allowed" boolean not null, "blocked_by" jsonb not null, "rules" jsonb not null, "zones" jsonb not null, "rules_version" varchar(40) not null, "created_at" timestamptz not null);`);
    this.addSql(`create index "dial_decisions_campaign_idx" on "dial_decisions" ("campaign_id", "at");`);

    this.addSql(`create table "call_attempts" ("id" serial primary key, "target_id" int not null, "campaign_id" int not null, "agent_id" int not null, "attempt_no" int not null, "provider" varchar(10) null, "provider_call_id" varchar(64) null, "status" varchar(20) not null default 'dialing', "answered_by" varchar(30) null, "outcome" text null, "duration_sec" int null, "started_at" timestamptz not null, "answered_at" timestamptz null, "ended_at" timestamptz null);`);
    this.addSql(`create index "call_attempts_provider_call_idx" on "call_attempts" ("provider_call_id");`);
    this.addSql(`alter table "call_attempts" add constraint "call_attempts_target_attempt_unique" unique ("target_id", "attempt_no");`);

    this.addSql(`alter table "dnc_lists" add constraint "dnc_lists_kind_check" check ("kind" in ('national', 'state'));`);

    this.addSql(`alter table "dnc_list_numbers" add constraint "dnc_list_numbers_list_id_foreign" foreign key ("list_id") references "dnc_lists" ("id") on delete cascade;`);

    this.addSql(`alter table "do_not_call" add constraint "do_not_call_agent_id_foreign" foreign key ("agent_id") references "agents" ("id") on delete set null;`);
    this.addSql(`alter table "do_not_call" add constraint "do_not_call_source_check" check ("source" in ('opt_out_spoken', 'opt_out_keyed', 'manual', 'complaint'));`);

    this.addSql(`alter table "consents" add constraint "consents_agent_id_foreign" foreign key ("agent_id") references "agents" ("id") on delete cascade;`);
    this.addSql(`alter table "consents" add constraint "consents_contact_id_foreign" foreign key ("contact_id") references "contacts" ("id") on delete set null;`);
    this.addSql(`alter table "consents" add constraint "consents_type_check" check ("type" in ('pec', 'pewc'));`);

    this.addSql(`alter table "campaigns" add constraint "campaigns_agent_id_foreign" foreign key ("agent_id") references "agents" ("id") on delete cascade;`);
    this.addSql(`alter table "campaigns" add constraint "campaigns_property_id_foreign" foreign key ("property_id") references "properties" ("id") on delete set null;`);
    this.addSql(`alter table "campaigns" add constraint "campaigns_purpose_check" check ("purpose" in ('just_listed', 'just_sold', 'expired_follow_up', 'fsbo_follow_up', 'open_house_rsvp', 'past_client_check_in', 'property_update'));`);
    this.addSql(`alter table "campaigns" add constraint "campaigns_status_check" check ("status" in ('draft', 'active', 'paused', 'completed', 'cancelled'));`);

    this.addSql(`alter table "campaign_targets" add constraint "campaign_targets_campaign_id_foreign" foreign key ("campaign_id") references "campaigns" ("id") on delete cascade;`);
    this.addSql(`alter table "campaign_targets" add constraint "campaign_targets_agent_id_foreign" foreign key ("agent_id") references "agents" ("id") on delete cascade;`);
    this.addSql(`alter table "campaign_targets" add constraint "campaign_targets_contact_id_foreign" foreign key ("contact_id") references "contacts" ("id") on delete set null;`);
    this.addSql(`alter table "campaign_targets" add constraint "campaign_targets_status_check" check ("status" in ('queued', 'checking', 'dialing', 'ringing', 'answered', 'conversation', 'voicemail', 'retryScheduled', 'exhausted', 'blocked', 'optedOut', 'done', 'cancelled'));`);
    this.addSql(`alter table "campaign_targets" add constraint "campaign_targets_outcome_check" check ("outcome" in ('interested', 'not_interested', 'call_back', 'wrong_number', 'do_not_call', 'voicemail_left', 'no_answer', 'busy', 'failed', 'blocked_by_rule', 'no_outcome'));`);

    this.addSql(`alter table "dial_decisions" add constraint "dial_decisions_agent_id_foreign" foreign key ("agent_id") references "agents" ("id") on delete cascade;`);
    this.addSql(`alter table "dial_decisions" add constraint "dial_decisions_campaign_id_foreign" foreign key ("campaign_id") references "campaigns" ("id") on delete cascade;`);
    this.addSql(`alter table "dial_decisions" add constraint "dial_decisions_target_id_foreign" foreign key ("target_id") references "campaign_targets" ("id") on delete cascade;`);

    this.addSql(`alter table "call_attempts" add constraint "call_attempts_target_id_foreign" foreign key ("target_id") references "campaign_targets" ("id") on delete cascade;`);
    this.addSql(`alter table "call_attempts" add constraint "call_attempts_campaign_id_foreign" foreign key ("campaign_id") references "campaigns" ("id") on delete cascade;`);
    this.addSql(`alter table "call_attempts" add constraint "call_attempts_agent_id_foreign" foreign key ("agent_id") references "agents" ("id") on delete cascade;`);
    this.addSql(`alter table "call_attempts" add constraint "call_attempts_outcome_check" check ("outcome" in ('interested', 'not_interested', 'call_back', 'wrong_number', 'do_not_call', 'voicemail_left', 'no_answer', 'busy', 'failed', 'blocked_by_rule', 'no_outcome'));`);
  }

  override down(): void | Promise<void> {
    this.addSql(`alter table "dnc_list_numbers" drop constraint "dnc_list_numbers_list_id_foreign";`);
    this.addSql(`alter table "campaign_targets" drop constraint "campaign_targets_campaign_id_foreign";`);
    this.addSql(`alter table "dial_decisions" drop constraint "dial_decisions_campaign_id_foreign";`);
    this.addSql(`alter table "call_attempts" drop constraint "call_attempts_campaign_id_foreign";`);
    this.addSql(`alter table "dial_decisions" drop constraint "dial_decisions_target_id_foreign";`);
    this.addSql(`alter table "call_attempts" drop constraint "call_attempts_target_id_foreign";`);

    this.addSql(`drop table if exists "dnc_lists" cascade;`);
    this.addSql(`drop table if exists "dnc_list_numbers" cascade;`);
    this.addSql(`drop table if exists "do_not_call" cascade;`);
    this.addSql(`drop table if exists "consents" cascade;`);
    this.addSql(`drop table if exists "campaigns" cascade;`);
    this.addSql(`drop table if exists "campaign_targets" cascade;`);
    this.addSql(`drop table if exists "dial_decisions" cascade;`);
    this.addSql(`drop table if exists "call_attempts" cascade;`);
  }

}
