import { Migration } from '@mikro-orm/migrations';

export class Migration20261125021308 extends Migration {

  override name = 'Migration20261125021308';

  override up(): void | Promise<void> {
    this.addSql(`create table "offers" ("id" serial primary key, "agent_id" int not null, "property_id" int not null, "buyer_contact_id" int null, "parent_offer_id" int null, "offer_price" double precision not null, "earnest_money" double precision null, "financing_type" text null, "closing_days" int null, "contingencies" jsonb null, "notes" text null, "status" text not null default 'submitted', "is_our_offer" boolean not null default false, "mao_low" double precision null, "mao_base" double precision null, "mao_high" double precision null, "submitted_at" timestamptz null, "expires_at" timestamptz null, "responded_at" timestamptz null, "created_at" timestamptz not null, "updated_at" timestamptz not null);`);
    this.addSql(`create index "offers_agent_property_idx" on "offers" ("agent_id", "property_id", "status");`);

    this.addSql(`alter table "offers" add constraint "offers_agent_id_foreign" foreign key ("agent_id") references "agents" ("id") on delete cascade;`);
    this.addSql(`alter table "offers" add constraint "offers_property_id_foreign" foreign key ("property_id") references "properties" ("id") on delete cascade;`);
    this.addSql(`alter table "offers" add constraint "offers_buyer_contact_id_foreign" foreign key ("buyer_contact_id") references "contacts" ("id") on delete set null;`);
    this.addSql(`alter table "offers" add constraint "offers_financing_type_check" check ("financing_type" in ('cash', 'conventional', 'fha', 'va', 'hard_money', 'seller_financing', 'other'));`);
    this.addSql(`alter table "offers" add constraint "offers_status_check" check ("status" in ('draft', 'submitted', 'countered', 'accepted', 'rejected', 'withdrawn', 'expired'));`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table if exists "offers" cascade;`);
  }

}
