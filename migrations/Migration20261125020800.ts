import { Migration } from '@mikro-orm/migrations';

export class Migration20261125020800 extends Migration {

  override name = 'Migration20261125020800';

  override up(): void | Promise<void> {
    this.addSql(`create index "contracts_provider_submission_idx" on "contracts" ("provider_submission_id");`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop index "contracts_provider_submission_idx";`);
  }

}
