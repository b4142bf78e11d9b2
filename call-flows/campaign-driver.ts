/**
 * Plays the carrier's side of an outbound campaign against the fake Twilio, one demo minute at a time: the
 * dialer runs on a demo clock (so calling hours hold whatever the machine's time), each new call is played back
 * with signed callbacks (a person, a machine, no answer, busy), and a person who answers talks with the playbook
 * through the softphone. Used by `npm run campaign:demo` and the console's end-to-end test.
 */
import { CampaignDialer, type TickReport } from '../src/campaigns/campaign-dialer.ts';
import { CallAttempt, CampaignTarget } from '../src/domain/campaigns/campaign.entity.ts';
import { TwilioOutboundDialer } from '../src/integrations/twilio/outbound-dialer.ts';
import { placeCall } from '../src/softphone/index.ts';
import type { FakeTwilioApi, TwilioCallOutcome } from '../test/fakes/twilio/fake-twilio-api.ts';
import type { CallServer, FlowLine } from './harness.ts';

export interface CampaignDriverOptions {
  server: CallServer;
  fake: FakeTwilioApi;
  line: FlowLine;
  campaignId: number;
  /** The demo clock's first minute. */
  start: Date;
  /** How the calls turn out, in turn. */
  outcomes?: TwilioCallOutcome[];
  /** What the people who answer say, in turn. */
  conversations?: string[][];
  /** Told of each answered call: the number, the exchanges and the outcome the session recorded. */
  onAnswered?: (phone: string, said: string[], outcome: string | null) => void;
}

export const DEFAULT_OUTCOMES: TwilioCallOutcome[] = ['human', 'machine', 'no-answer', 'human', 'busy', 'human'];
export const DEFAULT_CONVERSATIONS = [
  ["Sure, I'd love to know what my home is worth.", 'Saturday morning works for me.'],
  ['No thanks, not interested.'],
  ['Please stop calling me.'],
];

export class CampaignDriver {
  now: Date;
  private readonly dialer: CampaignDialer;
  private readonly seen = new Set<string>();
  private played = 0;
  private answered = 0;

  constructor(private readonly opts: CampaignDriverOptions) {
    const { server, fake } = opts;
    this.now = opts.start;
    this.dialer = new CampaignDialer({
      orm: server.ctx.orm,
      services: server.ctx.services,
      dialer: new TwilioOutboundDialer({
        accountSid: fake.accountSid,
        authToken: fake.authToken,
        apiBaseUrl: fake.url,
      }),
      log: server.ctx.log,
      instanceId: 'demo',
      urls: { callback: `${server.base}/twilio/dial-events`, answer: `${server.base}/twilio/outbound` },
      now: () => this.now,
    });
  }

  /** One demo minute: a dialer tick, every new call played out, then the clock moves on a minute. */
  async minute(): Promise<TickReport> {
    const { server, fake, campaignId } = this.opts;
    const outcomes = this.opts.outcomes ?? DEFAULT_OUTCOMES;
    const tick = await this.dialer.tick({ campaignId });
    const targets = await server.ctx.orm.em
      .fork()
      .find(CampaignTarget, { campaign: campaignId }, { orderBy: { id: 'asc' } });
    for (const t of targets) {
      if (t.lastProviderCallId && !this.seen.has(t.lastProviderCallId) && t.status === 'ringing') {
        this.seen.add(t.lastProviderCallId);
        const outcome = outcomes[this.played++ % outcomes.length]!;
        if (outcome === 'human') await this.converse(t.phone, t.lastProviderCallId);
        await fake.play(t.lastProviderCallId, outcome);
      }
    }
    this.now = new Date(this.now.getTime() + 60_000);
    return tick;
  }

  /** A person picks up: Twilio fetches the answer URL, the playbook talks, the call ends. */
  private async converse(phone: string, callSid: string): Promise<void> {
    const { server, fake, line } = this.opts;
    const conversations = this.opts.conversations ?? DEFAULT_CONVERSATIONS;
    const call = await placeCall({
      authToken: fake.authToken,
      server: server.base,
      from: line.line,
      to: phone,
      answer: { callSid, path: '/twilio/outbound' },
    });
    const said: string[] = [];
    for (const words of conversations[this.answered++ % conversations.length]!) {
      const reply = await call.say(words).catch(() => undefined);
      said.push(`"${words}" → "${reply ?? '(call ended)'}"`);
      if (call.isEnded) break;
    }
    await call.ended;
    // The session reports its outcome once its records are written.
    let outcome: string | null = null;
    for (let i = 0; i < 100 && !outcome; i++) {
      const attempt = await server.ctx.orm.em.fork().findOneOrFail(CallAttempt, { providerCallId: callSid });
      outcome = attempt.outcome ?? null;
      if (!outcome) await new Promise((r) => setTimeout(r, 50));
    }
    this.opts.onAnswered?.(phone, said, outcome);
  }
}
