import { Migration } from '@mikro-orm/migrations';

export class Migration20261125024410 extends Migration {

  override name = 'Migration20261125024410';

  override up(): void | Promise<void> {
    this.addSql(`create table "sales" ("id" serial primary key, "market" varchar(40) not null, "source_id" varchar(40) not null, "sale_date" varchar(10) not null, "price" double precision not null, "bedrooms" int null, "bathrooms" double precision null, "sqft" int null, "lot_sqft" int null, "year_built" int null, "year_renovated" int null, "grade" int null, "condition" int null, "waterfront" boolean null, "view" int null, "zip" varchar(10) null, "neighborhood" varchar(60) null, "lat" double precision null, "lon" double precision null, "raw" jsonb not null, "created_at" timestamptz not null);`);
    this.addSql(`create index "sales_market_date_idx" on "sales" ("market", "sale_date");`);
    this.addSql(`create index "sales_market_zip_idx" on "sales" ("market", "zip", "sale_date");`);
    this.addSql(`alter table "sales" add constraint "sales_market_source_date_unique" unique ("market", "source_id", "sale_date");`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table if exists "sales" cascade;`);
  }

}
