import { Migration } from '@mikro-orm/migrations';

export class Migration20261125012746 extends Migration {

  override name = 'Migration20261125012746';

  override up(): void | Promise<void> {
    this.addSql(`create table "agents" ("id" serial primary key, "name" varchar(200) not null, "email" varchar(320) not null, "brokerage_name" varchar(200) null, "timezone" varchar(64) not null default 'America/New_York', "mobile_phone" varchar(20) null, "created_at" timestamptz not null, "updated_at" timestamptz not null);`);
    this.addSql(`alter table "agents" add constraint "agents_email_unique" unique ("email");`);

    this.addSql(`create table "agent_phone_numbers" ("id" serial primary key, "agent_id" int not null, "number" varchar(20) not null, "created_at" timestamptz not null);`);
    this.addSql(`alter table "agent_phone_numbers" add constraint "agent_phone_numbers_number_unique" unique ("number");`);

    this.addSql(`create table "api_keys" ("id" serial primary key, "agent_id" int not null, "label" varchar(100) not null default 'default', "prefix" varchar(16) not null, "key_hash" varchar(64) not null, "created_at" timestamptz not null, "last_used_at" timestamptz null, "revoked_at" timestamptz null);`);
    this.addSql(`alter table "api_keys" add constraint "api_keys_key_hash_unique" unique ("key_hash");`);

    this.addSql(`create table "conversation_history" ("id" serial primary key, "agent_id" int not null, "session_id" varchar(100) not null, "property_id" int null, "source" text not null, "tool_name" varchar(100) not null, "input_summary" varchar(500) not null, "output_summary" varchar(500) not null, "input" jsonb null, "output" jsonb null, "success" boolean not null, "duration_ms" int not null, "created_at" timestamptz not null);`);
    this.addSql(`create index "history_agent_property_created_idx" on "conversation_history" ("agent_id", "property_id", "created_at");`);
    this.addSql(`create index "history_agent_session_created_idx" on "conversation_history" ("agent_id", "session_id", "created_at");`);
    this.addSql(`alter table "conversation_history" add constraint "conversation_history_source_check" check ("source" in ('mcp', 'call', 'rest', 'system'));`);

    this.addSql(`create table "properties" ("id" serial primary key, "agent_id" int not null, "title" varchar(300) null, "description" text null, "address" varchar(300) not null, "address_key" varchar(400) not null, "city" varchar(100) not null, "state" varchar(2) not null, "zip_code" varchar(10) null, "price" double precision null, "bedrooms" int null, "bathrooms" double precision null, "square_feet" int null, "lot_size" double precision null, "year_built" int null, "property_type" text not null default 'house', "status" text not null default 'new_property', "deal_type" text null, "deal_score" double precision null, "score_grade" text null, "score_breakdown" jsonb null, "stage_entered_at" timestamptz not null, "created_at" timestamptz not null, "updated_at" timestamptz not null);`);
    this.addSql(`create index "properties_agent_created_idx" on "properties" ("agent_id", "created_at", "id");`);
    this.addSql(`create index "properties_agent_status_city_price_idx" on "properties" ("agent_id", "status", lower("city"), "price" desc nulls last, "id" desc) include ("city");`);
    this.addSql(`create index "properties_agent_city_price_idx" on "properties" ("agent_id", lower("city"), "price" desc nulls last, "id" desc) include ("city");`);
    this.addSql(`create index "properties_agent_status_price_idx" on "properties" ("agent_id", "status", "price" desc nulls last, "id" desc);`);
    this.addSql(`create index "properties_agent_price_idx" on "properties" ("agent_id", "price" desc nulls last, "id" desc);`);
    this.addSql(`alter table "properties" add constraint "properties_agent_address_key_unique" unique ("agent_id", "address_key");`);
    this.addSql(`alter table "properties" add constraint "properties_property_type_check" check ("property_type" in ('house', 'apartment', 'condo', 'townhouse', 'land', 'commercial'));`);
    this.addSql(`alter table "properties" add constraint "properties_status_check" check ("status" in ('new_property', 'enriched', 'researched', 'waiting_for_contracts', 'complete'));`);
    this.addSql(`alter table "properties" add constraint "properties_deal_type_check" check ("deal_type" in ('traditional', 'short_sale', 'reo', 'fsbo', 'new_construction', 'wholesale', 'rental', 'commercial'));`);
    this.addSql(`alter table "properties" add constraint "properties_score_grade_check" check ("score_grade" in ('A', 'B', 'C', 'D', 'F'));`);

    this.addSql(`create table "property_notes" ("id" serial primary key, "agent_id" int not null, "property_id" int not null, "content" text not null, "source" text not null default 'manual', "created_by" varchar(100) null, "created_at" timestamptz not null);`);
    this.addSql(`create index "property_notes_property_created_idx" on "property_notes" ("property_id", "created_at");`);
    this.addSql(`alter table "property_notes" add constraint "property_notes_source_check" check ("source" in ('voice', 'manual', 'ai', 'phone_call', 'system'));`);

    this.addSql(`create table "contacts" ("id" serial primary key, "agent_id" int not null, "property_id" int null, "name" varchar(200) not null, "first_name" varchar(100) null, "last_name" varchar(100) null, "role" text not null default 'other', "phone" varchar(20) null, "email" varchar(320) null, "company" varchar(200) null, "notes" text null, "created_at" timestamptz not null, "updated_at" timestamptz not null);`);
    this.addSql(`create index "contacts_agent_property_idx" on "contacts" ("agent_id", "property_id");`);
    this.addSql(`alter table "contacts" add constraint "contacts_role_check" check ("role" in ('buyer', 'seller', 'lawyer', 'attorney', 'lender', 'mortgage_broker', 'title_company', 'contractor', 'inspector', 'appraiser', 'tenant', 'landlord', 'property_manager', 'handyman', 'plumber', 'electrician', 'photographer', 'stager', 'other'));`);

    this.addSql(`alter table "agent_phone_numbers" add constraint "agent_phone_numbers_agent_id_foreign" foreign key ("agent_id") references "agents" ("id") on delete cascade;`);

    this.addSql(`alter table "api_keys" add constraint "api_keys_agent_id_foreign" foreign key ("agent_id") references "agents" ("id") on delete cascade;`);

    this.addSql(`alter table "conversation_history" add constraint "conversation_history_agent_id_foreign" foreign key ("agent_id") references "agents" ("id") on delete cascade;`);

    this.addSql(`alter table "properties" add constraint "properties_agent_id_foreign" foreign key ("agent_id") references "agents" ("id") on delete cascade;`);

    this.addSql(`alter table "property_notes" add constraint "property_notes_agent_id_foreign" foreign key ("agent_id") references "agents" ("id") on delete cascade;`);
    this.addSql(`alter table "property_notes" add constraint "property_notes_property_id_foreign" foreign key ("property_id") references "properties" ("id") on delete cascade;`);

    this.addSql(`alter table "contacts" add constraint "contacts_agent_id_foreign" foreign key ("agent_id") references "agents" ("id") on delete cascade;`);
    this.addSql(`alter table "contacts" add constraint "contacts_property_id_foreign" foreign key ("property_id") references "properties" ("id") on delete cascade;`);
  }

}
