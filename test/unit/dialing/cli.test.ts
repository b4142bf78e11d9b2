import { spawn, spawnSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { runDialerCheckCli } from '../../../src/cli/dialer-check.ts';
import { UsageError } from '../../../src/cli/usage-error.ts';
import { checkDial, zoneTables } from '../../../src/domain/dialing/index.ts';

const ROOT = join(import.meta.dirname, '..', '..', '..');
const dir = mkdtempSync(join(tmpdir(), 'dialer-check-'));
const CLI = ['--import', 'tsx', 'src/cli/dialer-check.ts'];

function run(args: string[]): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [...CLI, ...args], { cwd: ROOT, encoding: 'utf8', timeout: 60_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('dialer:check CLI', () => {
  it('prints one JSON line {allowed, rules, zones} for one case, as the guard decides', () => {
    const args = ['--to', '+18505550123', '--at', '2026-01-14T19:59:59-05:00', '--zip', '32501', '--state', 'FL'];
    const r = run(args);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    const lines = r.stdout.split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[1]).toBe('');
    const out = JSON.parse(lines[0]!) as Record<string, unknown>;
    expect(Object.keys(out)).toEqual(['allowed', 'rules', 'zones']);
    const g = checkDial({ to: '+18505550123', at: '2026-01-14T19:59:59-05:00', zip: '32501', state: 'FL' });
    expect(out).toEqual({ allowed: true, rules: g.rules, zones: ['America/Chicago', 'America/New_York'] });
  });

  it('runs as `npm run --silent dialer:check` and refuses 21:00:00 exactly', () => {
    const r = spawnSync(
      'npm',
      ['run', '--silent', 'dialer:check', '--', '--to', '+19285550123', '--at', '2026-07-15T21:00:00-06:00'],
      {
        cwd: ROOT,
        encoding: 'utf8',
        timeout: 60_000,
      },
    );
    expect(r.status).toBe(0);
    const out = JSON.parse(r.stdout.trim()) as {
      allowed: boolean;
      rules: { rule: string; ok: boolean }[];
      zones: string[];
    };
    expect(out.allowed).toBe(false);
    expect(out.rules.filter((x) => !x.ok).map((x) => x.rule)).toEqual(['federal.window']);
    expect(out.zones).toEqual(['America/Denver', 'America/Phoenix']);
  });

  it('answers a non-US number with allowed: false and the reason (not a usage error)', () => {
    const r = run(['--to', '+442071234567', '--at', '2026-01-14T12:00:00Z']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ allowed: false, rules: [{ rule: 'number', ok: false }], zones: [] });
  });

  it('bad flags: message on stderr, exit 2, nothing on stdout', () => {
    const r = run(['--to', '+12125550123', '--at', '2026-01-14T12:00:00Z', '--bogus']);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^dialer:check: Unknown option '--bogus'\nusage: dialer:check --to/);
  });

  it.each([
    [['--to', '+12125550123'], /--to and --at are required/],
    [['--to', '+12125550123', '--at', '2026-01-14T12:00:00'], /--at: .*UTC offset/],
    [['--to', '+12125550123', '--at', '2026-01-14T12:00:00Z', '--zip', 'abc'], /--zip must be a US ZIP/],
    [['--to', '+12125550123', '--at', '2026-01-14T12:00:00Z', '--state', 'ZZ'], /--state must be a US state/],
    [['--batch', 'x.jsonl', '--to', '+12125550123'], /cannot be combined/],
    [['--batch', join(dir, 'missing.jsonl')], /cannot read --batch file/],
    [['+12125550123'], /Unexpected argument|positional/i],
  ])('usage error for %j (exit 2 in the CLI), nothing written', async (args, message) => {
    const sink = new PassThrough();
    let written = '';
    sink.on('data', (d: Buffer) => (written += d.toString()));
    const err = await runDialerCheckCli(args, sink).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(UsageError);
    expect((err as Error).message).toMatch(message);
    expect(written).toBe('');
  });

  it('a batch answers every line in order with its id; malformed lines get an error, never a crash', () => {
    const path = join(dir, 'small.jsonl');
    writeFileSync(
      path,
      [
        JSON.stringify({ id: 'a', to: '+12125550123', at: '2026-01-14T12:00:00-05:00' }),
        '{not json',
        '',
        JSON.stringify([1, 2]),
        JSON.stringify({ to: '+12125550123', at: '2026-01-14T12:00:00Z' }),
        JSON.stringify({ id: 'b', to: '+12125550123', at: 'tomorrow' }),
        JSON.stringify({ id: 'c', to: '+12125550123', at: '2026-01-14T12:00:00Z', zip: 12345 }),
        JSON.stringify({ id: 'd', to: '+12125550123', at: '2026-01-14T12:00:00Z', state: 'XX' }),
        JSON.stringify({ id: 7, to: '+14165550123', at: '2026-01-14T12:00:00Z' }) + '\r',
        JSON.stringify({ id: 'e', to: '+12125550123', at: '2026-07-15T13:00:00Z', zip: '90210' }),
      ].join('\n'),
    );
    const r = run(['--batch', path]);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    const out = r.stdout
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l) as { id: unknown; allowed: boolean; error?: string; zones: string[] });
    expect(out.map((o) => o.id)).toEqual(['a', null, null, null, 'b', 'c', 'd', 7, 'e']);
    expect(out.map((o) => o.allowed)).toEqual([true, false, false, false, false, false, false, false, false]);
    expect(out.map((o) => o.error?.replace(/ \(.*$/, ''))).toEqual([
      undefined,
      'line 2: not valid JSON',
      'line 4: a case must be a JSON object',
      'line 5: "id" must be a string or a number',
      'line 6: "at": "tomorrow" is not an ISO-8601 instant with Z or a UTC offset',
      'line 7: "zip" must be a US ZIP code',
      'line 8: "state" must be a US state or territory code',
      undefined,
      undefined,
    ]);
    expect(out[8]!.zones).toEqual(['America/Los_Angeles', 'America/New_York']);
  });

  it('a batch of 100,000 generated cases: one answer per case, ids in order', async () => {
    const npas = [...zoneTables().areaCodes.keys()];
    const zips = ['32501', '90210', '10001', '79901', '99501', '96813', '00901'];
    const states = ['FL', 'TX', 'AL', 'ME', 'CA'];
    const start = Date.UTC(2026, 0, 1);
    const N = 100_000;
    const lines: string[] = [];
    for (let i = 0; i < N; i++) {
      if (i % 10_000 === 9_999) {
        lines.push(`{"id": "c${i}", "to": `); // malformed on purpose
        continue;
      }
      const c: Record<string, string> = {
        id: `c${i}`,
        to: `+1${npas[i % npas.length]}${2_000_000 + ((i * 7919) % 7_999_999)}`,
        at: new Date(start + ((i * 37 * 15 * 60_000) % (365 * 86_400_000))).toISOString(),
      };
      if (i % 7 === 0) c.zip = zips[i % zips.length]!;
      if (i % 11 === 0) c.state = states[i % states.length]!;
      lines.push(JSON.stringify(c));
    }
    const input = join(dir, 'big.jsonl');
    const output = join(dir, 'big.out.jsonl');
    writeFileSync(input, lines.join('\n') + '\n');

    const fd = openSync(output, 'w');
    const began = performance.now();
    const code = await new Promise<number | null>((resolve, reject) => {
      const child = spawn(process.execPath, [...CLI, '--batch', input], { cwd: ROOT, stdio: ['ignore', fd, 'pipe'] });
      let err = '';
      child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
      child.on('error', reject);
      child.on('exit', (c) => (err ? reject(new Error(err)) : resolve(c)));
    });
    const elapsed = performance.now() - began;
    closeSync(fd);
    process.stderr.write(
      `dialer:check --batch: ${N} cases in ${(elapsed / 1000).toFixed(2)} s (process start included)\n`,
    );
    expect(code).toBe(0);

    const out = readFileSync(output, 'utf8').trimEnd().split('\n');
    expect(out).toHaveLength(N);
    let allowed = 0;
    let errors = 0;
    for (let i = 0; i < N; i++) {
      const o = JSON.parse(out[i]!) as {
        id: string | null;
        allowed: boolean;
        error?: string;
        rules: unknown[];
        zones: string[];
      };
      if (i % 10_000 === 9_999) {
        expect(o).toMatchObject({ id: null, allowed: false, error: expect.stringContaining(`line ${i + 1}:`) });
        errors++;
        continue;
      }
      if (o.id !== `c${i}`) expect(o.id).toBe(`c${i}`);
      if (o.error !== undefined || o.zones.length === 0) expect(o).toEqual({ id: `c${i}`, note: 'no error, zones' });
      if (o.allowed) allowed++;
    }
    expect(errors).toBe(10);
    expect(allowed).toBeGreaterThan(0);
    expect(allowed).toBeLessThan(N);
  }, 120_000);
});
