import type { Brain, BrainCallInfo, BrainChunk, BrainStepRequest } from '../../call-runtime/brain.port.ts';
import { classifyUtterance, extractYesNo } from '../nlu/index.ts';
import type { NluResult } from '../nlu/types.ts';
import {
  anythingElse,
  askOfferAmount,
  QUALIFICATION,
  say,
  tool,
  toolCall,
  type Goal,
  type Memory,
  type Pending,
  type Plan,
} from './receptionist-dialogue.ts';
import { lastStepReplies, words, type ToolReply } from './tool-replies.ts';
import {
  bareName,
  describeListing,
  GOAL_OF_TOOL,
  leadArgs,
  qualificationAnswer,
  refText,
  spokenError,
} from './receptionist-replies.ts';

/**
 * The local, deterministic receptionist brain: no model, no network. Understanding comes from the rule-based
 * NLU (intents + slots: addresses, dates and times, names, phone numbers, money, yes/no); this module is the
 * dialogue policy on top: it fills the slots a task needs by asking for them one at a time, calls the same
 * tools an LLM would, and words the answer from the tool results. Same port as the LLM brains. Its dialogue
 * state: receptionist-dialogue.ts; reading words and tool results: receptionist-replies.ts.
 */

export class LocalReceptionistBrain implements Brain {
  readonly name = 'local';
  private readonly memory: Memory = {
    pending: null,
    callerName: null,
    property: null,
    time: null,
    topics: [],
    messageText: null,
    lastReply: '',
    nextQuestion: null,
  };

  constructor(
    private readonly call: BrainCallInfo,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async *step(req: BrainStepRequest): AsyncGenerator<BrainChunk> {
    const last = req.history.at(-1);
    const allowed = new Set(req.tools.map((t) => t.name));
    const plan =
      last?.role === 'tool'
        ? this.afterTools(lastStepReplies(req.history))
        : this.onUtterance(last?.role === 'user' ? last.text : '', req.phase);
    const tool = plan.tool && allowed.has(plan.tool.name) ? plan.tool : null;
    const text = plan.tool && !tool ? this.unavailable(plan.tool.name) : plan.text;
    if (plan.pending) this.memory.pending = plan.pending;
    if (text) {
      this.memory.lastReply = text;
      yield { type: 'text', text };
    }
    if (tool) yield { type: 'tool_call', call: tool };
  }

  // ---- the caller spoke ----

  private onUtterance(text: string, phase: string): Plan {
    const m = this.memory;
    const nlu = classifyUtterance(text, { now: this.now(), timeZone: this.call.timeZone });
    const pending = m.pending;
    const name = nlu.slots.name ?? null;
    if (name && (!m.callerName || pending?.kind === 'caller_name')) m.callerName = name;
    if (nlu.slots.time && (nlu.intent === 'schedule_viewing' || pending?.kind === 'offer_viewing'))
      m.time = nlu.slots.time;
    m.pending = null;

    if (phase === 'offeringHuman' || pending?.kind === 'human') {
      const yes = nlu.intent === 'yes' || nlu.slots.affirmative === true || nlu.intent === 'speak_to_agent';
      if (yes) return tool('transfer_call', { reason: 'Caller asked for a person after a misunderstanding' });
      if (nlu.intent === 'no') return say('Okay. What can I help you with?');
    }
    if (nlu.intent === 'goodbye' || /\b(?:good ?bye|bye)\b/i.test(text)) return tool('end_call', {});
    if (nlu.intent === 'repeat') return say(m.lastReply || 'How can I help you today?');

    // An answer to the question asked last turn.
    if (pending) {
      const answered = this.onAnswer(pending, text, nlu);
      if (answered) return answered;
    }
    return this.onIntent(nlu, text, phase);
  }

  private onAnswer(pending: Pending, text: string, nlu: NluResult): Plan | null {
    const m = this.memory;
    const yesNo = nlu.intent === 'yes' ? true : nlu.intent === 'no' ? false : extractYesNo(text);
    switch (pending.kind) {
      case 'property':
        if (pending.suggestion && yesNo === true) {
          m.property = pending.suggestion;
          return this.pursue(pending.goal, nlu);
        }
        if (nlu.slots.property) {
          m.property = refText(nlu.slots.property);
          return this.pursue(pending.goal, nlu);
        }
        return null;
      case 'viewing_time':
        if (nlu.slots.time) {
          m.time = nlu.slots.time;
          return this.pursue('viewing', nlu);
        }
        if (yesNo === false) return anythingElse('No problem.');
        return say('Sorry, what day and time would you like? For example, tomorrow at 3 pm.', { kind: 'viewing_time' });
      case 'caller_name': {
        const name = nlu.slots.name ?? bareName(text);
        if (!name) return say('Sorry, could I get your name?', pending);
        m.callerName = name;
        return this.pursue(pending.goal, nlu);
      }
      case 'message_text':
        m.messageText = text;
        return this.pursue('message', nlu);
      case 'offer_amount':
        if (nlu.slots.money) return this.offer(nlu.slots.money);
        return askOfferAmount();
      case 'offer_viewing':
        if (yesNo === true) return this.pursue('viewing', nlu);
        if (yesNo === false) return anythingElse('Sure.');
        return null;
      case 'anything_else':
        if (yesNo === false) return tool('end_call', {});
        if (yesNo === true && nlu.intent !== 'unknown' && words(text) <= 3)
          return say('Sure, what else can I help with?');
        return null;
      case 'human':
        return null;
      case 'qualify': {
        const lead = qualificationAnswer(pending.question, nlu, yesNo);
        m.nextQuestion = pending.question === 'financing' ? 'agent' : 'done';
        if (!Object.keys(lead).length) {
          // Not an answer but a new request ("what's the HOA?"): drop the questions and serve it.
          if (nlu.intent !== 'unknown' && nlu.intent !== 'qualification_answer') {
            m.nextQuestion = null;
            return null;
          }
          return this.afterQualification();
        }
        return tool('create_lead', { ...(m.callerName ? { caller_name: m.callerName } : {}), ...lead });
      }
    }
  }

  private onIntent(nlu: NluResult, text: string, phase: string): Plan {
    const m = this.memory;
    if (nlu.slots.property) m.property = refText(nlu.slots.property);
    if (nlu.slots.time) m.time = nlu.slots.time;
    switch (nlu.intent) {
      case 'greeting':
        return say(m.callerName ? `Hi ${m.callerName}, how can I help you today?` : 'Hi! How can I help you today?');
      case 'property_inquiry':
        m.topics = nlu.slots.inquiryTopics ?? [];
        return this.pursue('info', nlu, phase);
      case 'price_comparison':
        return this.pursue('compare', nlu, phase);
      case 'schedule_viewing':
        return this.pursue('viewing', nlu, phase);
      case 'take_message':
        // "Can I leave a message for Dana?" carries no message yet; "…tell her I'll be late" does.
        if (nlu.slots.message && !/\bmessage\b/i.test(nlu.slots.message) && words(nlu.slots.message) >= 3) {
          m.messageText = nlu.slots.message;
        }
        return this.pursue('message', nlu, phase);
      case 'make_offer':
        return this.pursue('offer', nlu, phase);
      case 'speak_to_agent':
        return tool('transfer_call', { reason: `Caller asked for the agent: "${text.slice(0, 120)}"` });
      case 'qualification_answer':
        return tool('create_lead', leadArgs(nlu, m.callerName, m.property));
      case 'fair_housing_question':
        return say(
          'I can’t describe neighbourhoods in terms of who lives there, safety or school demographics. I’m happy to tell you about the home itself.',
        );
      case 'yes':
      case 'no':
        return say('Okay. What else can I help you with?');
      default:
        return say(
          'Sorry, I didn’t catch that. I can tell you about one of our listings, book a viewing, or take a message.',
        );
    }
  }

  /** Moves a task forward: asks for the next missing slot, or calls the tool when it has them all. */
  private pursue(goal: Goal, nlu: NluResult, phase = 'property'): Plan {
    const m = this.memory;
    const ref = m.property;
    const property = ref ? { property: ref } : {};
    if (goal === 'info') return this.needProperty(goal, phase) ?? tool('listing_info', property);
    if (goal === 'compare') return this.needProperty(goal, phase) ?? tool('compare_price', property);
    if (goal === 'offer') {
      if (nlu.slots.money) return this.offer(nlu.slots.money, phase);
      return this.needProperty(goal, phase) ?? askOfferAmount();
    }
    if (goal === 'message') {
      if (!m.callerName) return say('Sure. May I have your name?', { kind: 'caller_name', goal: 'message' });
      if (!m.messageText)
        return say(`Thanks, ${m.callerName}. What would you like me to pass on?`, { kind: 'message_text' });
      const message = m.messageText;
      m.messageText = null;
      return tool('take_message', { caller_name: m.callerName, message, ...property });
    }
    // viewing
    const missing = this.needProperty('viewing', phase);
    if (missing) return missing;
    if (!m.time) return say('What day and time would you like to see it?', { kind: 'viewing_time' });
    if (!m.callerName)
      return say('And may I have your name for the booking?', { kind: 'caller_name', goal: 'viewing' });
    return tool('schedule_viewing', { ...property, starts_at: m.time.start, visitor_name: m.callerName });
  }

  private needProperty(goal: Goal, phase: string): Plan | null {
    if (this.memory.property || phase === 'property') return null;
    return say('Which property are you calling about? You can give me the street address.', { kind: 'property', goal });
  }

  private offer(amount: number, phase = 'property'): Plan {
    const m = this.memory;
    const missing = this.needProperty('offer', phase);
    if (missing) return missing;
    return tool('take_offer', {
      ...(m.property ? { property: m.property } : {}),
      amount,
      ...(m.callerName ? { caller_name: m.callerName } : {}),
    });
  }

  // ---- a tool answered ----

  private afterTools(replies: ToolReply[]): Plan {
    const r = replies.at(-1);
    if (!r) return say('How else can I help?');
    const m = this.memory;
    if (!r.ok) {
      if (r.code === 'property_not_found' || r.code === 'ambiguous_reference' || r.code === 'property_required') {
        m.property = null;
        const suggestions = (r.details?.suggestions ?? []) as { address: string }[];
        return say(spokenError(r.error) ?? 'I couldn’t find that property. What is the address?', {
          kind: 'property',
          goal: GOAL_OF_TOOL[r.name] ?? 'info',
          ...(suggestions.length === 1 ? { suggestion: suggestions[0]!.address } : {}),
        });
      }
      if (r.name === 'schedule_viewing') {
        m.time = null;
        return say(r.error ?? 'That time doesn’t work. What other time would suit you?', { kind: 'viewing_time' });
      }
      return say(r.error ?? 'Sorry, I couldn’t do that.');
    }
    switch (r.name) {
      case 'listing_info': {
        m.property = null; // the property is now in focus on the call
        const answer = describeListing(r.data ?? {}, m.topics, r.voice_summary ?? '');
        m.topics = [];
        return say(`${answer} Would you like to schedule a viewing?`, { kind: 'offer_viewing' });
      }
      case 'schedule_viewing':
        m.time = null;
        m.property = null;
        // The visitor becomes a lead on the listing, then the receptionist qualifies them.
        m.nextQuestion = 'financing';
        return {
          text: r.voice_summary ?? 'You’re booked.',
          tool: toolCall('create_lead', m.callerName ? { caller_name: m.callerName } : {}),
        };
      case 'create_lead':
        if (m.nextQuestion) return this.afterQualification();
        return anythingElse(r.voice_summary ?? 'Noted.');
      case 'compare_price':
        return say(`${r.voice_summary} Would you like to see it?`, { kind: 'offer_viewing' });
      default:
        return anythingElse(r.voice_summary ?? 'Done.');
    }
  }

  /** The next qualification question, or "anything else?" when they have all been asked. */
  private afterQualification(): Plan {
    const next = this.memory.nextQuestion;
    if (next && next !== 'done') return say(QUALIFICATION[next], { kind: 'qualify', question: next });
    this.memory.nextQuestion = null;
    return anythingElse('Thanks, I’ve noted that for the agent.');
  }

  private unavailable(toolName: string): string {
    return toolName === 'transfer_call'
      ? `I can’t transfer you right now, but I can take a message for ${this.call.agentName}.`
      : 'I can’t do that just now. Is there something else I can help with?';
  }
}

/** Factory for the runtime: one brain per call. */
export function localReceptionistBrain(call: BrainCallInfo): Brain {
  return new LocalReceptionistBrain(call);
}
