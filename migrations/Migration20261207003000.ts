import { Migration } from '@mikro-orm/migrations';

export class Migration20261207003000 extends Migration {

  override name = 'Migration20261207003000';

  override up(): void | Promise<void> {
    this.addSql(`create table "console_sessions" ("id" serial primary key, "agent_id" int not null, "token_hash" varchar(64) not null, "created_at" timestamptz not null, "expires_at" timestamptz not null, "ended_at" timestamptz null);`);
    this.addSql(`alter table "console_sessions" add constraint "console_sessions_token_hash_unique" unique ("token_hash");`);
    this.addSql(`alter table "console_sessions" add constraint "console_sessions_agent_id_foreign" foreign key ("agent_id") references "agents" ("id") on delete cascade;`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table if exists "console_sessions" cascade;`);
  }

}
