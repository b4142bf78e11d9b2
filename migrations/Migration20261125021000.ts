import { Migration } from '@mikro-orm/migrations';

export class Migration20261125021000 extends Migration {

  override name = 'Migration20261125021000';

  override up(): void | Promise<void> {
    this.addSql(`create table "compliance_checks" ("id" serial primary key, "agent_id" int not null, "property_id" int not null, "rule_set_version" varchar(40) not null, "transaction_type" varchar(10) not null, "status" text not null, "compliant" boolean not null, "violations" int not null, "warnings" int not null, "review_items" int not null, "result" jsonb not null, "trigger" varchar(40) not null default 'manual', "created_at" timestamptz not null);`);
    this.addSql(`create index "compliance_checks_property_idx" on "compliance_checks" ("agent_id", "property_id", "created_at");`);

    this.addSql(`alter table "scheduled_tasks" drop constraint "scheduled_tasks_action_check";`);
    this.addSql(`alter table "scheduled_tasks" add constraint "scheduled_tasks_action_check" check ("action" in ('notify', 'snooze_follow_up', 'contract_check', 'compliance_check'));`);

    this.addSql(`alter table "compliance_checks" add constraint "compliance_checks_agent_id_foreign" foreign key ("agent_id") references "agents" ("id") on delete cascade;`);
    this.addSql(`alter table "compliance_checks" add constraint "compliance_checks_status_check" check ("status" in ('passed', 'needs_review', 'failed'));`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table if exists "compliance_checks" cascade;`);

    this.addSql(`alter table "scheduled_tasks" drop constraint "scheduled_tasks_action_check";`);
    this.addSql(`alter table "scheduled_tasks" add constraint "scheduled_tasks_action_check" check ("action" in ('notify', 'snooze_follow_up', 'contract_check'));`);
  }

}
