import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { ROOT, exitCode, startCommand, stop, waitForOutput } from '../helpers/process.ts';

/**
 * The new user's path: `npm start` on an empty data dir seeds the demo agent and prints how to
 * use the service; a second start reuses the data. Runs the real entry point in a child process.
 */
describe.skipIf(!!process.env.DATABASE_URL)('npm start on the embedded database', () => {
  const dir = mkdtempSync(join(tmpdir(), 'realtor-start-'));
  const env = { PGLITE_DIR: join(dir, 'pglite'), PORT: '0', LOG_LEVEL: 'warn' };
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  let ritaKey = '';

  async function startAndQuery(): Promise<{ banner: string; total: number }> {
    const child = startCommand([], env);
    try {
      const banner = await waitForOutput(child, /Try: curl/);
      const base = /running on (http:\/\/\S+)/.exec(banner)![1]!;
      const key = /API key: (rk_\S+)/.exec(banner)![1]!;
      const res = await fetch(`${base}/api/properties?limit=100`, { headers: { authorization: `Bearer ${key}` } });
      expect(res.status).toBe(200);
      const body = (await res.json()) as { total: number };
      return { banner, total: body.total };
    } finally {
      expect(await stop(child)).toBe(0);
    }
  }

  it('seeds on the first start only and prints the URLs', async () => {
    const first = await startAndQuery();
    expect(first.banner).toMatch(/created with 8 listings/);
    expect(first.banner).toMatch(/API docs\s+http:\/\/127\.0\.0\.1:\d+\/docs/);
    expect(first.banner).toMatch(/MCP endpoint\s+http:\/\/127\.0\.0\.1:\d+\/mcp/);
    expect(first.banner).toMatch(/POST http:\/\/127\.0\.0\.1:\d+\/twilio\/voice/);
    expect(first.total).toBe(8);

    const second = await startAndQuery();
    expect(second.banner).toMatch(/already seeded/);
    expect(second.total).toBe(8);
  }, 90_000);

  it('agent:create prints a working key and refuses bad input with a clear message', async () => {
    const ok = startCommand(
      [
        'agent:create',
        '--name',
        'Rita Realtor',
        '--email',
        'rita@example.com',
        '--timezone',
        'America/Denver',
        '--phone',
        '(303) 555-0188',
        '--phone',
        '+13035550199',
        '--mobile',
        '303-555-0123',
      ],
      env,
    );
    const out = await waitForOutput(ok, /API key \(shown once, store it now\): rk_\S+/);
    expect(await exitCode(ok)).toBe(0);
    ritaKey = /(rk_\S+)/.exec(out)![1]!;
    expect(out).toMatch(/Created agent #\d+ Rita Realtor <rita@example.com>/);

    const bad = startCommand(
      ['agent:create', '--name', 'X', '--email', 'x@example.com', '--timezone', 'Mars/Olympus'],
      env,
    );
    let stderr = '';
    bad.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
    expect(await exitCode(bad)).toBe(1);
    expect(stderr).toMatch(/timezone: "Mars\/Olympus" is not an IANA time zone/);
  }, 60_000);

  it('npm run mcp serves the tool registry over stdio for the agent of REALTOR_API_KEY', async () => {
    const transport = new StdioClientTransport({
      command: process.execPath,
      args: ['--import', 'tsx', 'src/start.ts', 'mcp'],
      cwd: ROOT,
      env: { ...(process.env as Record<string, string>), ...env, REALTOR_API_KEY: ritaKey },
      stderr: 'pipe',
    });
    const client = new Client({ name: 'stdio-test', version: '1.0.0' });
    await client.connect(transport);
    try {
      expect((await client.listTools()).tools.map((t) => t.name)).toContain('create_property');
      const created = (await client.callTool({
        name: 'create_property',
        arguments: { address: 'four ten larimer street', city: 'Denver', state: 'CO', price: '1.2 million' },
      })) as { content: { text: string }[] };
      expect(created.content[0]!.text).toMatch(/^Created property #\d+ at 410 Larimer St, Denver for \$1,200,000\.$/);
      // Rita sees only her own listing, not the demo agent's eight.
      const list = (await client.callTool({ name: 'list_properties', arguments: {} })) as {
        content: { text: string }[];
      };
      expect(list.content[0]!.text).toMatch(/^You have 1 property matching/);
    } finally {
      await client.close();
    }
  }, 60_000);
});

/** The guard in src/start.ts, on whatever older Node this machine has besides the project's. */
const olderNode = ['/usr/local/bin/node', '/usr/bin/node'].find((bin) => {
  try {
    return Number(execFileSync(bin, ['-p', 'process.versions.node.split(".")[0]']).toString().trim()) < 22;
  } catch {
    return false;
  }
});

describe.skipIf(!olderNode)('Node version guard', () => {
  it('refuses an older Node with a clear message', () => {
    let stderr = '';
    try {
      execFileSync(olderNode!, ['--import', 'tsx', 'src/start.ts'], { cwd: ROOT, stdio: 'pipe' });
    } catch (err) {
      stderr = String((err as { stderr: Buffer }).stderr);
    }
    expect(stderr).toMatch(/needs Node\.js >= 22\.17 \(found 2?\d\./);
    expect(stderr).toMatch(/Run it through npm/);
  });
});
