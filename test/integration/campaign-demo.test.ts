import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/process.ts';

describe('npm run campaign:demo', () => {
  it('runs a campaign to completion against the fake Twilio and prints its progress', { timeout: 120_000 }, () => {
    const out = execFileSync(
      process.execPath,
      ['--import', 'tsx', join('call-flows', 'campaign-demo.ts'), '--targets', '6'],
      {
        cwd: ROOT,
        encoding: 'utf8',
        env: { ...process.env, DATABASE_URL: '' },
        timeout: 110_000,
      },
    );
    expect(out).toMatch(
      /enrolled: \{"requested":8,"added":6,"skipped_existing":0,"skipped_duplicate":1,"invalid":\["555-0000"\]\}/,
    );
    expect(out).toMatch(/pause → paused/);
    expect(out).toMatch(/resume → active/);
    expect(out).toMatch(/final: completed/);
    // People who answer talk with the playbook; their outcomes reach the target and the CRM.
    expect(out).toMatch(/\+15125551000 answered: "Sure, I'd love to know what my home is worth\." → .* ⇒ interested/);
    expect(out).toMatch(/answered: "No thanks, not interested\." → "No problem at all\..*" ⇒ not_interested/);
    expect(out).toMatch(/follow-up tasks from the calls: Free home valuation for \+15125551000/);
    expect(out).toMatch(/\+15125551001 by dnc\.internal/);
  });
});
