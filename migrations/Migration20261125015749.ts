import { Migration } from '@mikro-orm/migrations';

export class Migration20261125015749 extends Migration {

  override name = 'Migration20261125015749';

  override up(): void | Promise<void> {
    this.addSql(`create table "scheduled_tasks" ("id" serial primary key, "agent_id" int not null, "task_type" text not null, "status" text not null default 'pending', "enabled" boolean not null default true, "title" varchar(200) not null, "description" text null, "scheduled_at" timestamptz not null, "recurrence" text null, "series_id" int null, "property_id" int null, "contact_id" int null, "action" text not null default 'notify', "action_params" jsonb null, "created_by" varchar(40) not null default 'manual', "last_run_at" timestamptz null, "completed_at" timestamptz null, "last_error" varchar(500) null, "created_at" timestamptz not null, "updated_at" timestamptz not null);`);
    this.addSql(`create index "scheduled_tasks_due_idx" on "scheduled_tasks" ("status", "scheduled_at");`);
    this.addSql(`create index "scheduled_tasks_agent_idx" on "scheduled_tasks" ("agent_id", "status", "scheduled_at");`);
    this.addSql(`alter table "scheduled_tasks" add constraint "scheduled_tasks_series_time_unique" unique ("series_id", "scheduled_at");`);

    this.addSql(`alter table "scheduled_tasks" add constraint "scheduled_tasks_agent_id_foreign" foreign key ("agent_id") references "agents" ("id") on delete cascade;`);
    this.addSql(`alter table "scheduled_tasks" add constraint "scheduled_tasks_task_type_check" check ("task_type" in ('reminder', 'recurring', 'follow_up', 'contract_check'));`);
    this.addSql(`alter table "scheduled_tasks" add constraint "scheduled_tasks_status_check" check ("status" in ('pending', 'running', 'completed', 'failed', 'cancelled'));`);
    this.addSql(`alter table "scheduled_tasks" add constraint "scheduled_tasks_recurrence_check" check ("recurrence" in ('daily', 'weekly', 'monthly'));`);
    this.addSql(`alter table "scheduled_tasks" add constraint "scheduled_tasks_action_check" check ("action" in ('notify', 'snooze_follow_up', 'contract_check'));`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table if exists "scheduled_tasks" cascade;`);
  }

}
