import { Migration } from '@mikro-orm/migrations';

export class Migration20261125014524 extends Migration {

  override name = 'Migration20261125014524';

  override up(): void | Promise<void> {
    this.addSql(`create table "notifications" ("id" serial primary key, "agent_id" int not null, "type" text not null, "priority" text not null default 'medium', "title" varchar(200) not null, "message" text not null, "property_id" int null, "contact_id" int null, "contract_id" int null, "data" jsonb null, "icon" varchar(40) null, "action_url" varchar(300) null, "is_read" boolean not null default false, "read_at" timestamptz null, "is_dismissed" boolean not null default false, "dismissed_at" timestamptz null, "auto_dismiss_seconds" int null, "auto_dismiss_at" timestamptz null, "dedupe_key" varchar(200) null, "created_at" timestamptz not null);`);
    this.addSql(`create index "notifications_agent_created_idx" on "notifications" ("agent_id", "created_at");`);
    this.addSql(`alter table "notifications" add constraint "notifications_agent_dedupe_unique" unique ("agent_id", "dedupe_key");`);

    this.addSql(`create table "contracts" ("id" serial primary key, "agent_id" int not null, "property_id" int not null, "contact_id" int null, "template_key" varchar(100) null, "name" varchar(200) not null, "description" text null, "status" text not null default 'draft', "is_required" boolean not null default true, "required_by_date" timestamptz null, "requirement_source" text not null default 'manual', "requirement_reason" varchar(500) null, "signing_order" text not null default 'sequential', "provider_template_id" varchar(100) null, "provider_submission_id" varchar(100) null, "url" varchar(500) null, "sent_at" timestamptz null, "completed_at" timestamptz null, "last_reminder_at" timestamptz null, "status_changed_at" timestamptz not null, "created_at" timestamptz not null, "updated_at" timestamptz not null);`);
    this.addSql(`create index "contracts_agent_property_idx" on "contracts" ("agent_id", "property_id");`);

    this.addSql(`create table "contract_signers" ("id" serial primary key, "contract_id" int not null, "contact_id" int null, "name" varchar(200) not null, "email" varchar(320) null, "role" varchar(40) not null, "signing_order" int not null default 1, "status" text not null default 'pending', "provider_submitter_id" varchar(100) null, "opened_at" timestamptz null, "completed_at" timestamptz null, "declined_at" timestamptz null, "last_reminded_at" timestamptz null, "created_at" timestamptz not null);`);
    this.addSql(`create index "contract_signers_contract_idx" on "contract_signers" ("contract_id", "signing_order");`);

    this.addSql(`create table "property_enrichments" ("id" serial primary key, "agent_id" int not null, "property_id" int not null, "source" varchar(40) not null, "zestimate" double precision null, "zestimate_low" double precision null, "zestimate_high" double precision null, "rent_zestimate" double precision null, "living_area" int null, "days_on_market" int null, "tax_assessed_value" double precision null, "tax_amount" double precision null, "school_rating" double precision null, "price_history" jsonb null, "data" jsonb null, "created_at" timestamptz not null);`);
    this.addSql(`create index "property_enrichments_property_idx" on "property_enrichments" ("property_id", "created_at");`);

    this.addSql(`create table "skip_traces" ("id" serial primary key, "agent_id" int not null, "property_id" int not null, "source" varchar(40) not null, "owner_name" varchar(200) null, "phones" jsonb null, "emails" jsonb null, "mailing_address" varchar(300) null, "created_at" timestamptz not null);`);
    this.addSql(`create index "skip_traces_property_idx" on "skip_traces" ("property_id", "created_at");`);

    this.addSql(`alter table "properties" add "stage_source" text not null default 'created';`);
    this.addSql(`alter table "properties" add constraint "properties_stage_source_check" check ("stage_source" in ('created', 'manual', 'pipeline'));`);

    this.addSql(`alter table "notifications" add constraint "notifications_agent_id_foreign" foreign key ("agent_id") references "agents" ("id") on delete cascade;`);
    this.addSql(`alter table "notifications" add constraint "notifications_type_check" check ("type" in ('contract_signed', 'contract_deadline', 'contract_reminder', 'new_lead', 'follow_up_due', 'task_due', 'pipeline_auto_advance', 'daily_digest', 'transaction_deadline', 'offer_received', 'offer_update', 'compliance_issue', 'property_alert', 'system'));`);
    this.addSql(`alter table "notifications" add constraint "notifications_priority_check" check ("priority" in ('low', 'medium', 'high', 'urgent'));`);

    this.addSql(`alter table "contracts" add constraint "contracts_agent_id_foreign" foreign key ("agent_id") references "agents" ("id") on delete cascade;`);
    this.addSql(`alter table "contracts" add constraint "contracts_property_id_foreign" foreign key ("property_id") references "properties" ("id") on delete cascade;`);
    this.addSql(`alter table "contracts" add constraint "contracts_contact_id_foreign" foreign key ("contact_id") references "contacts" ("id") on delete set null;`);
    this.addSql(`alter table "contracts" add constraint "contracts_status_check" check ("status" in ('draft', 'sent', 'in_progress', 'pending_signature', 'completed', 'cancelled', 'expired', 'archived'));`);
    this.addSql(`alter table "contracts" add constraint "contracts_requirement_source_check" check ("requirement_source" in ('auto_attached', 'manual', 'ai_suggested', 'rule_suggested'));`);
    this.addSql(`alter table "contracts" add constraint "contracts_signing_order_check" check ("signing_order" in ('sequential', 'parallel'));`);

    this.addSql(`alter table "contract_signers" add constraint "contract_signers_contract_id_foreign" foreign key ("contract_id") references "contracts" ("id") on delete cascade;`);
    this.addSql(`alter table "contract_signers" add constraint "contract_signers_contact_id_foreign" foreign key ("contact_id") references "contacts" ("id") on delete set null;`);
    this.addSql(`alter table "contract_signers" add constraint "contract_signers_status_check" check ("status" in ('pending', 'opened', 'completed', 'declined'));`);

    this.addSql(`alter table "property_enrichments" add constraint "property_enrichments_agent_id_foreign" foreign key ("agent_id") references "agents" ("id") on delete cascade;`);
    this.addSql(`alter table "property_enrichments" add constraint "property_enrichments_property_id_foreign" foreign key ("property_id") references "properties" ("id") on delete cascade;`);

    this.addSql(`alter table "skip_traces" add constraint "skip_traces_agent_id_foreign" foreign key ("agent_id") references "agents" ("id") on delete cascade;`);
    this.addSql(`alter table "skip_traces" add constraint "skip_traces_property_id_foreign" foreign key ("property_id") references "properties" ("id") on delete cascade;`);
  }

  override down(): void | Promise<void> {
    this.addSql(`alter table "contract_signers" drop constraint "contract_signers_contract_id_foreign";`);

    this.addSql(`drop table if exists "notifications" cascade;`);
    this.addSql(`drop table if exists "contracts" cascade;`);
    this.addSql(`drop table if exists "contract_signers" cascade;`);
    this.addSql(`drop table if exists "property_enrichments" cascade;`);
    this.addSql(`drop table if exists "skip_traces" cascade;`);

    this.addSql(`alter table "properties" drop constraint "properties_stage_source_check";`);
    this.addSql(`alter table "properties" drop column "stage_source";`);
  }

}
