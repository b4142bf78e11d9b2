import { Migration } from '@mikro-orm/migrations';

export class Migration20261125021928 extends Migration {

  override name = 'Migration20261125021928';

  override up(): void | Promise<void> {
    this.addSql(`create table "deal_outcomes" ("id" serial primary key, "agent_id" int not null, "property_id" int not null, "status" text not null, "final_price" double precision null, "days_to_close" int null, "dimension_scores" jsonb null, "deal_score" double precision null, "lessons" text null, "created_at" timestamptz not null);`);
    this.addSql(`create index "deal_outcomes_agent_idx" on "deal_outcomes" ("agent_id", "property_id");`);

    this.addSql(`create table "prediction_logs" ("id" serial primary key, "agent_id" int not null, "property_id" int not null, "probability" double precision not null, "confidence" text not null, "days_to_close" int null, "deal_score" double precision null, "completion_rate" double precision null, "activity_last7days" int null, "actual_outcome" text null, "error" double precision null, "direction_correct" boolean null, "created_at" timestamptz not null);`);
    this.addSql(`create index "prediction_logs_agent_idx" on "prediction_logs" ("agent_id", "property_id", "created_at");`);

    this.addSql(`alter table "deal_outcomes" add constraint "deal_outcomes_agent_id_foreign" foreign key ("agent_id") references "agents" ("id") on delete cascade;`);
    this.addSql(`alter table "deal_outcomes" add constraint "deal_outcomes_status_check" check ("status" in ('closed_won', 'closed_lost', 'withdrawn', 'stalled', 'active'));`);

    this.addSql(`alter table "prediction_logs" add constraint "prediction_logs_agent_id_foreign" foreign key ("agent_id") references "agents" ("id") on delete cascade;`);
    this.addSql(`alter table "prediction_logs" add constraint "prediction_logs_confidence_check" check ("confidence" in ('high', 'medium', 'low'));`);
    this.addSql(`alter table "prediction_logs" add constraint "prediction_logs_actual_outcome_check" check ("actual_outcome" in ('closed_won', 'closed_lost', 'withdrawn', 'stalled', 'active'));`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table if exists "deal_outcomes" cascade;`);
    this.addSql(`drop table if exists "prediction_logs" cascade;`);
  }

}
