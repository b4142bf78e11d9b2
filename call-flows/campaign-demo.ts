/**
 * `npm run campaign:demo` — an outbound campaign end to end against the fake Twilio, with progress output.
 *
 * The real service (in-memory database) with TWILIO_* pointing at a fake Twilio API on 127.0.0.1. Through the
 * public REST API it creates a campaign, enrols numbers (one invalid, one given twice), records consent for
 * most of them and puts one on the do-not-call list, starts it, pauses and resumes it. The dialer runs on a
 * demo clock (`--at`, default a Tuesday 15:00 in Austin; one tick = one minute) and the fake Twilio plays each
 * call back with signed callbacks (a person, a machine, no answer or busy). A person who answers talks with the
 * playbook (the softphone plays Twilio's answer and ConversationRelay; the local brain answers): interested,
 * not interested, or "stop calling me". Ends with the statistics, the outcomes written to the CRM and the
 * compliance audit of the blocked dials.
 *
 *   npm run campaign:demo [-- --at 2026-12-08T15:00:00-06:00] [--targets 12]
 */
import { parseArgs } from 'node:util';
import { FakeTwilioApi } from '../test/fakes/twilio/fake-twilio-api.ts';
import { CampaignDriver } from './campaign-driver.ts';
import { newLine, startCallServer } from './harness.ts';

const { values: args } = parseArgs({
  options: { at: { type: 'string', default: '2026-12-08T15:00:00-06:00' }, targets: { type: 'string', default: '12' } },
});
const start = new Date(args.at);
const count = Number(args.targets);
if (Number.isNaN(start.getTime()) || !Number.isInteger(count) || count < 2 || count > 500) {
  process.stderr.write('usage: npm run campaign:demo -- [--at <ISO-8601 with offset>] [--targets 2..500]\n');
  process.exit(2);
}

const out = (line: string): void => void process.stdout.write(`${line}\n`);
const fake = await FakeTwilioApi.start();
const server = await startCallServer({
  TWILIO_ACCOUNT_SID: fake.accountSid,
  TWILIO_AUTH_TOKEN: fake.authToken,
  TWILIO_API_BASE_URL: fake.url,
});
try {
  const line = await newLine(server.ctx);
  const api = async (method: 'GET' | 'POST', path: string, body?: unknown) => {
    const res = await fetch(`${server.base}${path}`, {
      method,
      headers: { authorization: `Bearer ${line.apiKey}`, ...(body ? { 'content-type': 'application/json' } : {}) },
      ...(body ? { body: JSON.stringify(body) } : {}),
    });
    const json = (await res.json()) as Record<string, unknown>;
    if (res.status >= 400) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(json)}`);
    return json;
  };

  const numbers = Array.from({ length: count }, (_, i) => `+1512555${String(1000 + i).padStart(4, '0')}`);
  const campaign = await api('POST', '/api/campaigns', {
    name: 'Just sold: 141 Elm St',
    purpose: 'just_sold',
    caller_id: line.line,
    telemarketing: false,
    max_attempts: 2,
    retry_delay_minutes: 5,
    calls_per_minute: 3,
    max_concurrent: 3,
  });
  const id = campaign.id as number;
  out(`campaign #${id} "${String(campaign.name)}" created (${String(campaign.status)})`);
  const report = await api('POST', `/api/campaigns/${id}/targets`, {
    numbers: [...numbers.map((phone) => ({ phone })), { phone: numbers[0]! }, { phone: '555-0000' }],
  });
  out(`enrolled: ${JSON.stringify(report)}`);
  // Consent for all but the last number; the second one asked not to be called.
  for (const phone of numbers.slice(0, -1)) {
    await api('POST', '/api/consents', {
      phone,
      type: 'pec',
      source: 'past client file',
      evidence: 'listing agreement, clause 14',
      given_at: '2026-01-05T10:00:00-06:00',
    });
  }
  await api('POST', '/api/do-not-call', { phone: numbers[1]!, reason: 'asked by email' });
  out(`consent recorded for ${numbers.length - 1} numbers; ${numbers[1]} is on the do-not-call list`);
  out(`start → ${String((await api('POST', `/api/campaigns/${id}/start`)).status)}`);

  const driver = new CampaignDriver({
    server,
    fake,
    line,
    campaignId: id,
    start,
    onAnswered: (phone, said, outcome) => out(`  ${phone} answered: ${said.join(' ')} ⇒ ${outcome}`),
  });
  for (let minute = 0; minute < 60; minute++) {
    if (minute === 2) out(`pause → ${String((await api('POST', `/api/campaigns/${id}/pause`)).status)}`);
    if (minute === 4) out(`resume → ${String((await api('POST', `/api/campaigns/${id}/resume`)).status)}`);
    const now = driver.now;
    const tick = await driver.minute();
    const stats = (await api('GET', `/api/campaigns/${id}`)) as {
      status: string;
      stats: { byStatus: Record<string, number> };
    };
    const by = Object.entries(stats.stats.byStatus)
      .map(([k, v]) => `${k} ${v}`)
      .join(' · ');
    const clock = now.toLocaleTimeString('en-US', { timeZone: 'America/Chicago', hour: '2-digit', minute: '2-digit' });
    out(
      `${clock} CT  dialed ${tick.dialed} deferred ${tick.deferred} blocked ${tick.blocked} failed ${tick.failed} | ${by} | ${stats.status}`,
    );
    if (stats.status === 'completed') break;
  }

  const final = (await api('GET', `/api/campaigns/${id}`)) as { status: string; stats: unknown };
  out(`\nfinal: ${final.status} ${JSON.stringify(final.stats)}`);
  const audit = (
    (await fetch(`${server.base}/api/campaigns/${id}/audit?blocked_only=true`, {
      headers: { authorization: `Bearer ${line.apiKey}` },
    }).then((r) => r.json())) as { items: { phone: string; blocked_by: string[] }[] }
  ).items;
  out(
    `blocked dials (compliance audit): ${audit.map((d) => `${d.phone} by ${d.blocked_by.join(', ')}`).join('; ') || 'none'}`,
  );
  const tasks = (await api('GET', '/api/tasks?limit=200')) as unknown as { title: string; task_type: string }[];
  const followUps = tasks.filter((t) => t.task_type === 'follow_up').map((t) => t.title);
  out(`follow-up tasks from the calls: ${followUps.join('; ') || 'none'}`);
  out(`calls placed at the fake Twilio: ${fake.requestsTo('POST', /\/Calls\.json$/).length}`);
} finally {
  await server.close();
  await fake.close();
}
