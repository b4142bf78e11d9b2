/**
 * Voice commands by phone, as executable call flows: the realtor calls their own line from their registered
 * mobile (the softphone, like `npm run call -- --as-agent`), keys the PIN, and runs the business by voice with the
 * local brain. Each flow checks the ordered tool calls from the call's event stream and the rows written.
 */
import { readFileSync } from 'node:fs';
import { Campaign } from '../src/domain/campaigns/campaign.entity.ts';
import { VoicePinAttempt } from '../src/domain/agents/agent.entity.ts';
import { Note } from '../src/domain/notes/note.entity.ts';
import { Property } from '../src/domain/properties/property.entity.ts';
import { ScheduledTask } from '../src/domain/tasks/task.entity.ts';
import { runScript } from '../src/softphone/index.ts';
import type { CallServer, FlowLine } from './harness.ts';

export const FLOW_PIN = '4821';

export interface VoiceFlow {
  name: string;
  script: string;
  /** The tool calls of the call, in order. */
  tools: string[];
  /** Rows the flow needs before the call; returns the {placeholders} of its script. */
  setup?(server: CallServer, line: FlowLine): Promise<Record<string, string>>;
  check(server: CallServer, line: FlowLine): Promise<void>;
}

function assert(condition: unknown, message: string): asserts condition {
  if (!condition) throw new Error(message);
}

const elmOf = (server: CallServer, line: FlowLine) =>
  server.ctx.orm.em.fork().findOneOrFail(Property, { agent: line.agentId, address: '141 Elm St' });

export const VOICE_FLOWS: VoiceFlow[] = [
  {
    name: 'create, ask, note, remind, digest; a vague or refused delete changes nothing',
    script: 'run-the-business.call',
    tools: [
      'create_property ok',
      'contract_readiness ok',
      'add_note ok',
      'create_task ok',
      'daily_digest ok',
      'end_call ok',
    ],
    async check(server, line) {
      const em = server.ctx.orm.em.fork();
      const created = await em.findOne(Property, { agent: line.agentId, address: '500 Congress Ave' });
      assert(created, 'the property was created');
      assert(created.price === 850_000 && created.bedrooms === 3, `price ${created.price}, beds ${created.bedrooms}`);
      const elm = await elmOf(server, line);
      const notes = await em.find(Note, { property: elm.id });
      assert(
        notes.some((n) => /close before June/i.test(n.content)),
        'the note is on 141 Elm St',
      );
      const reminder = await em.findOne(ScheduledTask, { agent: line.agentId, title: { $like: '%lender%' } });
      assert(reminder, 'the reminder task exists');
      const local = new Intl.DateTimeFormat('en-US', { timeZone: 'America/Chicago', hour: 'numeric', hour12: false });
      assert(Number(local.format(reminder.scheduledAt)) === 9, `reminder at ${reminder.scheduledAt.toISOString()}`);
      assert(await em.fork().findOne(Property, elm.id), 'the refused delete left 141 Elm St');
    },
  },
  {
    name: 'start the just-listed campaign of a listing, hear how it is doing, pause it',
    script: 'campaign.call',
    tools: ['start_campaign ok', 'campaign_status ok', 'pause_campaign ok', 'end_call ok'],
    async setup(server, line) {
      const elm = await elmOf(server, line);
      const scope = { em: server.ctx.orm.em.fork(), agentId: line.agentId };
      const c = await server.ctx.services.campaigns.create(scope, {
        name: 'Elm St neighbours',
        purpose: 'just_listed',
        propertyId: elm.id,
        callerId: line.line,
      });
      await server.ctx.services.campaigns.enrol(scope, c.id, {
        numbers: [{ phone: '+15125550161' }, { phone: '+15125550162' }],
      });
      return { elm: String(elm.id) };
    },
    async check(server, line) {
      const c = await server.ctx.orm.em
        .fork()
        .findOneOrFail(Campaign, { agent: line.agentId, name: 'Elm St neighbours' });
      assert(c.status === 'paused', `campaign ${c.status}`);
    },
  },
  {
    name: 'wrong PINs: the call ends and nothing runs',
    script: 'wrong-pin.call',
    tools: [],
    async check(server, line) {
      const attempts = await server.ctx.orm.em.fork().find(VoicePinAttempt, { agent: line.agentId });
      assert(attempts.length >= 3 && attempts.every((a) => !a.ok), `${attempts.length} attempts, all refused`);
    },
  },
];

export async function runVoiceFlow(server: CallServer, line: FlowLine, flow: VoiceFlow): Promise<string[]> {
  await server.ctx.services.agents.setPin({ em: server.ctx.orm.em.fork(), agentId: line.agentId }, FLOW_PIN);
  const vars = (await flow.setup?.(server, line)) ?? {};
  const script = readFileSync(new URL(`voice-commands/${flow.script}`, import.meta.url), 'utf8').replace(
    /\{(\w+)\}/g,
    (whole, key: string) => vars[key] ?? whole,
  );
  const result = await runScript(script, {
    authToken: server.authToken,
    server: server.base,
    apiKey: line.apiKey,
    from: line.mobile,
    to: line.line,
    replyTimeoutMs: 10_000,
  });
  const problems = result.failures.map((f) => `line ${f.line} (${f.directive}): ${f.message}`);
  if (!result.callSid) return [...problems, 'no call was placed'];
  await server.ctx.calls.get(result.callSid)?.done;
  const tools = result.events.flatMap((e) => (e.type === 'tool' ? [`${e.name} ${e.ok ? 'ok' : 'failed'}`] : []));
  if (tools.join(',') !== flow.tools.join(',')) problems.push(`tools ${tools.join(', ')} ≠ ${flow.tools.join(', ')}`);
  try {
    await flow.check(server, line);
  } catch (err) {
    problems.push((err as Error).message);
  }
  return problems;
}
