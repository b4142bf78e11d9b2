import type {
  Brain,
  BrainCallInfo,
  BrainChunk,
  BrainStepRequest,
  BrainToolCall,
  CampaignCallInfo,
} from '../../call-runtime/brain.port.ts';
import { fill } from '../../call-runtime/persona.ts';
import { classifyUtterance, extractName, extractYesNo, normalizeUtterance, parseViewingTime } from '../nlu/index.ts';
import type { NluResult, ViewingTime } from '../nlu/types.ts';
import { lastStepReplies, localToolCalls, words, type ToolReply } from './tool-replies.ts';

/**
 * The local, deterministic brain of an outbound campaign call (agents/<playbook>.json): no model, no network.
 * The opening already asked the playbook's one question; each turn reads the answer with the rule-based NLU
 * (yes / no / call me later / wrong number / a question about the property), records the result with
 * set_call_outcome and closes with the playbook's lines. An interested person gets one follow-up question
 * (a viewing time where the playbook offers viewings). Opt-out ("stop") is handled by the runtime first.
 */

type Reading =
  | 'fair_housing'
  | 'wrong_number'
  | 'call_back'
  | 'not_interested'
  | 'send_details'
  | 'question'
  | 'human'
  | 'no'
  | 'goodbye'
  | 'yes'
  | 'repeat'
  | 'other';

const WRONG_NUMBER =
  /\b(?:wrong (?:number|person)|no ?(?:one|body) (?:here )?(?:by|with|named|called)|(?:doesn't|does not) live here|never (?:owned|lived))\b/;
const CALL_BACK =
  /\b(?:call (?:me |us )?back|call (?:me |us )?later|try (?:me |us )?(?:again )?later|maybe later|(?:not|isn't|is not) a good time|bad time|(?:i'm|i am|we're|we are) (?:busy|driving|at work|in a meeting)|(?:can't|cannot) talk|(?:some )?other time|another time)\b/;
const NOT_INTERESTED =
  /\b(?:not (?:really |very )?interested|no thanks|no thank you|not (?:looking|selling|buying|moving|for me)|(?:i'm|we're) (?:good|fine)|changed (?:my|our) minds?|forget it|never ?mind|not (?:right now|at the moment)|i'll pass|we'll pass)\b/;
const YES =
  /\b(?:sure|tell me more|i'?d love|i would love|love to|count (?:me|us) in|yes please|maybe|possibly|perhaps|why not|sounds (?:good|great|interesting|nice)|interested|i might be|could be|go ahead|(?:i'?ll|we'?ll) (?:be there|come)|absolutely|definitely|of course)\b/;
/** "Just send me the details", "email it to me": interested, without a conversation now. */
const SEND_DETAILS = /\b(?:send|e-?mail|text|mail) (?:me|us|it|them|the|over|some)\b/;
/** When to call back, as said, when no clock time was given. */
const LATER =
  /\b(?:next (?:week|month)|this (?:weekend|evening|afternoon)|tonight|later (?:today|this week|on)|in an? (?:hour|few (?:hours|days|minutes))|on the weekend)\b/;

interface Plan {
  text: string;
  calls: BrainToolCall[];
}

const say = (text: string): Plan => ({ text, calls: [] });

const toolCall = localToolCalls('playbook');

export class LocalPlaybookBrain implements Brain {
  readonly name = 'local';
  private readonly campaign: CampaignCallInfo;
  private readonly vars: Record<string, string>;
  /** The person said yes to the playbook question: the follow-up question is the open one. */
  private interested = false;
  /** A viewing time said before schedule_viewing could be called. */
  private time: ViewingTime | null = null;
  /** What to say (and end with) once the outcome is recorded. */
  private closing = '';
  private lastReply = '';
  private allowed = new Set<string>();

  constructor(
    private readonly call: BrainCallInfo,
    private readonly now: () => Date = () => new Date(),
  ) {
    if (!call.campaign) throw new Error('The playbook brain needs a campaign call');
    this.campaign = call.campaign;
    const first = call.campaign.personName?.trim().split(/\s+/)[0] ?? '';
    this.vars = {
      agent: call.agentName,
      name: first,
      name_greeting: first ? ` ${first}` : '',
      property: call.campaign.propertyAddress ?? 'the property',
    };
  }

  async *step(req: BrainStepRequest): AsyncGenerator<BrainChunk> {
    this.allowed = new Set(req.tools.map((t) => t.name));
    const last = req.history.at(-1);
    const plan =
      last?.role === 'tool'
        ? this.afterTool(lastStepReplies(req.history).at(-1) ?? null)
        : this.onUtterance(last?.role === 'user' ? last.text : '', req.phase);
    if (plan.text) {
      this.lastReply = plan.text;
      yield { type: 'text', text: plan.text };
    }
    for (const c of plan.calls) if (this.allowed.has(c.name)) yield { type: 'tool_call', call: c };
  }

  // ---- the person spoke ----

  private onUtterance(text: string, phase: string): Plan {
    const nlu = classifyUtterance(text, { now: this.now(), timeZone: this.call.timeZone });
    const reading = read(text, nlu);
    const time = parseViewingTime(normalizeUtterance(text), this.now(), this.call.timeZone);
    if (phase === 'offeringHuman') {
      if (reading === 'yes' || reading === 'human') return this.transfer(text);
      if (reading === 'no') return say(`No problem. ${this.reask()}`);
    }
    switch (reading) {
      case 'fair_housing':
        return say(this.line('fairHousing'));
      case 'wrong_number':
        return this.outcome('wrong_number', {}, this.line('wrongNumber'));
      case 'call_back': {
        const when = time?.text ?? LATER.exec(normalizeUtterance(text))?.[0] ?? 'later';
        if (this.interested) return this.interestedOutcome(`Call back ${when}: "${text}"`);
        return this.outcome('call_back', { call_back_at: when }, this.line('callBack', { when }));
      }
      case 'not_interested':
        return this.outcome('not_interested', {}, this.line('notInterested'));
      case 'send_details':
        return this.interestedOutcome(`Wants the details sent: "${text}"`);
      case 'question':
        return this.listingInfo();
      case 'human':
        return this.allowed.has('transfer_call') ? this.transfer(text) : this.onYes(text, time);
      case 'goodbye':
        if (this.interested) return this.interestedOutcome(`Said yes, then ended the call: "${text}"`, '');
        return { text: '', calls: [toolCall('end_call', {})] };
      case 'repeat':
        return say(this.lastReply || this.reask());
      case 'no':
        // Once interested, a "no" answers the follow-up ("no, just send me the details").
        if (this.interested) return this.interestedOutcome(`Said: "${text}"`);
        return this.outcome('not_interested', {}, this.line('notInterested'));
      case 'yes':
        return this.onYes(text, time);
      case 'other':
        if (time) return this.onYes(text, time);
        if (this.interested && words(text) >= 2) return this.interestedOutcome(`Said: "${text}"`);
        return say(`Sorry, I didn't catch that. ${this.reask()}`);
    }
  }

  /** Yes to the playbook question, or to the follow-up. */
  private onYes(text: string, time: ViewingTime | null): Plan {
    const offersViewing = this.playbook().offersViewing && this.campaign.propertyId !== null;
    if (time) this.time = time;
    if (!this.interested) {
      this.interested = true;
      if (!offersViewing || !this.time) return say(this.line('interested'));
      if (!this.allowed.has('schedule_viewing')) return say(`Great! Shall I book you in for ${this.time.text}?`);
      return this.book(this.time, text);
    }
    if (!offersViewing) return this.interestedOutcome(`Said: "${text}"`);
    return this.time ? this.book(this.time, text) : say(this.line('followUpQuestion'));
  }

  private book(time: ViewingTime, text: string): Plan {
    if (!this.allowed.has('schedule_viewing')) return this.interestedOutcome(`Wants a viewing ${time.text}`);
    const { propertyId, personName } = this.campaign;
    const name = personName ?? extractName(text);
    return {
      text: '',
      calls: [
        toolCall('schedule_viewing', {
          property_id: propertyId,
          when: time.text,
          ...(name ? { visitor_name: name } : {}),
        }),
      ],
    };
  }

  private listingInfo(): Plan {
    const { propertyId } = this.campaign;
    if (!propertyId || !this.allowed.has('listing_info'))
      return say(
        `I don't have those details in front of me, but ${this.vars.agent} can tell you more. ${this.reask()}`,
      );
    return { text: '', calls: [toolCall('listing_info', { property_id: propertyId })] };
  }

  private transfer(text: string): Plan {
    if (!this.allowed.has('transfer_call')) return this.interestedOutcome(`Asked to speak with the agent: "${text}"`);
    const who = this.campaign.personName ?? 'The person called';
    return {
      text: '',
      calls: [toolCall('transfer_call', { reason: `${who} (${this.playbook().purpose}): "${text}"` })],
    };
  }

  // ---- outcomes ----

  /** Records the outcome; the closing line and end_call follow when it has been recorded. */
  private outcome(outcome: string, args: Record<string, unknown>, closing: string): Plan {
    if (!this.allowed.has('set_call_outcome')) return this.end(closing);
    this.closing = closing;
    return { text: '', calls: [toolCall('set_call_outcome', { outcome, ...args })] };
  }

  private interestedOutcome(note: string, closing = this.line('interestedClose')): Plan {
    return this.outcome('interested', { note: note.slice(0, 300) }, closing);
  }

  private end(text: string): Plan {
    return { text, calls: [toolCall('end_call', {})] };
  }

  // ---- a tool answered ----

  private afterTool(r: ToolReply | null): Plan {
    switch (r?.name) {
      case 'set_call_outcome': {
        const closing = this.closing;
        this.closing = '';
        return this.end(closing);
      }
      case 'schedule_viewing': {
        this.time = null;
        if (!r.ok) return say(askAgain(r.error));
        const summary = r.voice_summary ?? 'You’re booked.';
        const booked = this.campaign.persona.lines.booked ? this.line('booked') : '';
        const plan = this.outcome('interested', { note: `Viewing booked: ${summary}`.slice(0, 300) }, booked);
        return { ...plan, text: plan.text ? `${summary} ${plan.text}` : summary };
      }
      case 'listing_info':
        if (!r.ok || !r.voice_summary)
          return say(
            `I can't pull up the details right now, but ${this.vars.agent} can tell you more. ${this.reask()}`,
          );
        return say(`${r.voice_summary} ${this.reask()}`);
      case 'transfer_call':
        if (r.ok) return say('');
        return {
          ...this.interestedOutcome('Asked to speak with the agent (no transfer possible)', ''),
          text: `${this.vars.agent} can't take the call right now, so I'll have them call you back.`,
        };
      default:
        return say('');
    }
  }

  // ---- helpers ----

  private playbook(): NonNullable<CampaignCallInfo['persona']['playbook']> {
    const playbook = this.campaign.persona.playbook;
    if (!playbook) throw new Error(`Persona ${this.campaign.persona.name} is not a playbook`);
    return playbook;
  }

  private line(key: string, extra: Record<string, string> = {}): string {
    const value = this.campaign.persona.lines[key];
    const text = Array.isArray(value) ? value[0] : value;
    if (text === undefined) throw new Error(`Playbook ${this.campaign.persona.name} has no line "${key}"`);
    return fill(text, { ...this.vars, ...extra });
  }

  /** The open question: the playbook's, or the follow-up once the person said yes. */
  private reask(): string {
    return this.line(this.interested ? 'followUpQuestion' : 'question');
  }
}

/** What a turn means for the playbook (first match wins: "no, call me tomorrow" is a call-back). */
function read(text: string, nlu: NluResult): Reading {
  const t = normalizeUtterance(text);
  if (!t) return 'other';
  if (nlu.intent === 'fair_housing_question') return 'fair_housing';
  if (WRONG_NUMBER.test(t)) return 'wrong_number';
  if (CALL_BACK.test(t)) return 'call_back';
  if (NOT_INTERESTED.test(t)) return 'not_interested';
  if (SEND_DETAILS.test(t)) return 'send_details';
  if (nlu.intent === 'price_comparison' || (nlu.intent === 'property_inquiry' && nlu.slots.inquiryTopics?.length))
    return 'question';
  if (nlu.intent === 'speak_to_agent') return 'human';
  const yesNo = extractYesNo(t);
  if (yesNo === false || nlu.intent === 'no') return 'no';
  if (nlu.intent === 'goodbye' || /\b(?:good ?bye|bye)\b/.test(t)) return 'goodbye';
  if (yesNo === true || nlu.intent === 'yes' || YES.test(t)) return 'yes';
  if (nlu.intent === 'repeat') return 'repeat';
  return 'other';
}

/** A failed booking's reason, then the question again (tool errors name records by "#12"). */
function askAgain(error: string | undefined): string {
  const reason = error?.replace(/\s*\(?#\d+\)?/g, '').trim();
  if (!reason) return 'That time doesn’t work. What other day and time would suit you?';
  return reason.endsWith('?') ? reason : `${reason} What other time would work for you?`;
}

/** Factory for the runtime: one brain per campaign call. */
export function localPlaybookBrain(call: BrainCallInfo): Brain {
  return new LocalPlaybookBrain(call);
}
