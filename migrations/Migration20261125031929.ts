import { Migration } from '@mikro-orm/migrations';

export class Migration20261125031929 extends Migration {

  override name = 'Migration20261125031929';

  override up(): void | Promise<void> {
    this.addSql(`create table "showings" ("id" serial primary key, "agent_id" int not null, "property_id" int not null, "contact_id" int null, "starts_at" timestamptz not null, "ends_at" timestamptz not null, "status" text not null default 'scheduled', "source" varchar(20) not null default 'manual', "visitor_name" varchar(200) null, "visitor_phone" varchar(20) null, "notes" text null, "created_at" timestamptz not null);`);
    this.addSql(`create index "showings_agent_starts_idx" on "showings" ("agent_id", "starts_at");`);

    this.addSql(`alter table "showings" add constraint "showings_agent_id_foreign" foreign key ("agent_id") references "agents" ("id") on delete cascade;`);
    this.addSql(`alter table "showings" add constraint "showings_property_id_foreign" foreign key ("property_id") references "properties" ("id") on delete cascade;`);
    this.addSql(`alter table "showings" add constraint "showings_contact_id_foreign" foreign key ("contact_id") references "contacts" ("id") on delete set null;`);
    this.addSql(`alter table "showings" add constraint "showings_status_check" check ("status" in ('scheduled', 'cancelled', 'completed'));`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table if exists "showings" cascade;`);
  }

}
