import { parseViewingTime } from './datetime.ts';
import { detectFairHousing } from './fair-housing.ts';
import {
  extractBudget,
  extractMoney,
  extractName,
  extractPhone,
  extractPropertyRef,
  extractTimeline,
  extractYesNo,
} from './slots.ts';
import { normalizeUtterance } from './text.ts';
import type { InquiryTopic, Intent, NluContext, NluResult, Slots } from './types.ts';

interface Rule {
  intent: Intent;
  name: string;
  re: RegExp;
  weight: number;
}

const r = (intent: Intent, name: string, re: RegExp, weight: number): Rule => ({ intent, name, re, weight });

/** Keyword/regex rules; an intent's score is the sum of the weights of the rules that fire. */
export const RULES: readonly Rule[] = [
  // property questions
  r(
    'property_inquiry',
    'price',
    /\b(?:how much|what's the price|what is the price|price|asking|listed (?:at|for)|cost|costs)\b/,
    0.8,
  ),
  r('property_inquiry', 'beds', /\b(?:how many )?(?:bed ?rooms?|beds|br)\b/, 0.8),
  r('property_inquiry', 'baths', /\b(?:bath ?rooms?|baths)\b/, 0.8),
  r('property_inquiry', 'sqft', /\b(?:square (?:feet|foot|footage)|sq ?ft|sqft|how big|size of|lot size)\b/, 0.8),
  r(
    'property_inquiry',
    'description',
    /\b(?:tell me (?:more )?about|describe|details|more information|more info|what's it like|what is it like|features|garage|pool|yard|hoa)\b/,
    0.7,
  ),
  r(
    'property_inquiry',
    'availability',
    /\b(?:still available|is it available|still on the market|still for sale|been sold|is it sold|under contract|off the market|pending)\b/,
    1,
  ),
  r(
    'property_inquiry',
    'calling-about',
    /\b(?:calling about|calling on|interested in|question about|asking about|saw (?:the|your) (?:listing|sign|ad))\b/,
    0.5,
  ),
  // price comparison
  r(
    'price_comparison',
    'compare',
    /\b(?:compare|comparison|compared|comps|comparables?|similar (?:homes|houses|properties))\b/,
    1.2,
  ),
  r(
    'price_comparison',
    'fair-price',
    /\b(?:overpriced|over priced|underpriced|fair price|good deal|priced right|priced fairly|market value|worth the price|what it's worth)\b/,
    1.2,
  ),
  // viewing
  r(
    'schedule_viewing',
    'see',
    /\b(?:see|view|viewing|tour|showing|look at|walk ?through|check (?:it|the (?:place|house)) out|come by|stop by|open house)\b/,
    1,
  ),
  r('schedule_viewing', 'schedule', /\b(?:schedule|book|set up|arrange|appointment|reschedule)\b/, 0.6),
  r(
    'schedule_viewing',
    'when-free',
    /\b(?:are you free|is (?:he|she|the agent) (?:free|available)|what times|any time|what time works)\b/,
    0.5,
  ),
  // message
  r(
    'take_message',
    'message',
    /\b(?:leave a message|take a message|pass (?:along|on) a message|leave (?:him|her|them) a (?:message|note)|give (?:him|her|them) a message|let (?:him|her|them) know|tell (?:him|her|them))\b/,
    1.4,
  ),
  r(
    'take_message',
    'call-back',
    /\b(?:call me back|have (?:him|her|them) call|callback|call back|return my call|reach me at|my number is)\b/,
    1.1,
  ),
  // offer
  r('make_offer', 'offer', /\b(?:make an offer|put in an offer|submit an offer|put an offer|offer|bid)\b/, 1.4),
  r(
    'make_offer',
    'would-pay',
    /\b(?:would you take|will (?:they|the seller|the sellers) take|would (?:they|the seller|the sellers) (?:take|accept)|willing to pay|i'll pay|we'll pay|i can pay|we can pay)\b/,
    1.2,
  ),
  // transfer
  r(
    'speak_to_agent',
    'transfer',
    /\b(?:speak|talk|chat) (?:to|with) (?:the |a |your |an )?(?:agent|realtor|broker|person|human|someone|somebody|him|her|owner|listing agent)\b/,
    1.6,
  ),
  r(
    'speak_to_agent',
    'put-through',
    /\b(?:transfer me|put me through|connect me|is (?:he|she|the agent) (?:in|there|around)|real person|live person|human being|representative|operator)\b/,
    1.4,
  ),
  r('speak_to_agent', 'named-agent', /\b(?:can i speak to|may i speak (?:to|with)|i need to speak|get me)\b/, 0.8),
  // qualification
  r(
    'qualification_answer',
    'transaction',
    /\b(?:(?:i'm|i am|we're|we are|im) (?:looking to |planning to |hoping to |trying to )?(?:buy|buying|sell|selling|rent|renting|relocating|moving)|looking (?:to|for a place to) (?:buy|rent)|first time (?:home ?)?buyers?|looking for a (?:rental|home|house|condo)|want to (?:buy|sell|rent))\b/,
    1,
  ),
  r(
    'qualification_answer',
    'pre-approved',
    /\b(?:pre ?-?approved|pre ?-?approval|pre ?-?qualified|mortgage|lender|loan officer|financing|cash buyer|paying cash|all cash|in cash)\b/,
    1.2,
  ),
  r(
    'qualification_answer',
    'budget',
    /\b(?:budget|afford|price range|spend|(?:looking|want to stay) (?:under|below|around))\b/,
    1,
  ),
  r(
    'qualification_answer',
    'timeline',
    /\b(?:in the next|within|months?|asap|as soon as possible|by (?:the )?(?:spring|summer|fall|winter|end of)|lease (?:is )?up|no rush|just (?:looking|browsing))\b/,
    0.6,
  ),
  r(
    'qualification_answer',
    'agent',
    /\b(?:(?:have|got|working with|signed with|using) (?:an|a|my own|another) (?:agent|realtor|buyer's agent)|(?:don't|do not) have (?:an|a) (?:agent|realtor)|not working with (?:an agent|anyone|a realtor|anybody))\b/,
    1.3,
  ),
  // chit-chat
  r('greeting', 'hello', /^(?:hi|hello|hey|hiya|good (?:morning|afternoon|evening)|howdy|yo)\b/, 0.9),
  r('greeting', 'how-are-you', /\bhow are you\b|\bhow's it going\b/, 0.5),
  r(
    'goodbye',
    'bye',
    /\b(?:bye|goodbye|good bye|talk (?:to you )?later|have a (?:good|great|nice) (?:day|one|night|evening)|that's all|that is all|that's it|nothing else|i'm all set|all set|take care)\b/,
    1.3,
  ),
  r(
    'goodbye',
    'thanks-end',
    /^(?:thanks|thank you|thank you so much|ok thanks|okay thank you)(?: (?:so much|very much|bye))?$/,
    0.9,
  ),
  r(
    'repeat',
    'repeat',
    /\b(?:repeat|say (?:that|it) again|come again|pardon|didn't (?:catch|hear|get) (?:that|you)|what did you say|one more time|sorry what|i missed that|say again)\b/,
    1.5,
  ),
  r('repeat', 'huh', /^(?:what|huh|sorry|excuse me|pardon me)$/, 1.5),
];

function topics(text: string): InquiryTopic[] {
  const out: InquiryTopic[] = [];
  if (/\b(?:how much|price|asking|listed (?:at|for)|cost)\b/.test(text)) out.push('price');
  if (/\b(?:bed ?rooms?|beds|br)\b/.test(text)) out.push('beds');
  if (/\b(?:bath ?rooms?|baths)\b/.test(text)) out.push('baths');
  if (/\b(?:square (?:feet|foot|footage)|sq ?ft|sqft|how big|size)\b/.test(text)) out.push('sqft');
  if (/\b(?:available|on the market|for sale|sold|under contract|pending)\b/.test(text)) out.push('availability');
  if (/\b(?:tell me (?:more )?about|describe|details|more info|what's it like|what is it like|features)\b/.test(text))
    out.push('description');
  return out;
}

function qualificationSlots(text: string, slots: Slots): void {
  const tx = /\b(buy|buying|purchase|purchasing|sell|selling|list my|rent|renting|rental|lease)\b/.exec(text);
  if (tx) {
    const w = tx[1]!;
    slots.transactionType = /^(?:sell|list)/.test(w) ? 'selling' : /^(?:rent|lease)/.test(w) ? 'renting' : 'buying';
  }
  if (/\bpre ?-?(?:approved|approval|qualified)\b|\bcash buyer|paying cash|all cash\b/.test(text)) {
    slots.preApproved =
      !/\b(?:not|haven't|have not|aren't|isn't|no|yet to|need to get|don't|didn't)\b[^.]{0,20}\bpre ?-?(?:approved|approval|qualified)/.test(
        text,
      );
  }
  const lender =
    /\b(?:with|through|from|using|lender is|bank is)\s+((?:[a-z]+\s+){0,3}?(?:bank|mortgage|credit union|financial|lending|home loans|loans|chase|wells fargo|rocket mortgage|bank of america|citi|us bank))\b/.exec(
      text,
    );
  if (lender) slots.lender = lender[1]!.replace(/\b\w/g, (c) => c.toUpperCase());
  if (
    /\b(?:don't|do not|no|not working with|without) (?:have )?(?:an |a )?(?:agent|realtor|anyone|anybody)\b/.test(text)
  )
    slots.hasAgent = false;
  else if (
    /\b(?:have|got|working with|signed with|using) (?:an|a|my own|another|our) (?:agent|realtor|buyer's agent)\b/.test(
      text,
    )
  )
    slots.hasAgent = true;
}

/**
 * Classifies one caller utterance into an intent with slots. Pure and deterministic: the clock
 * and time zone come from `ctx`.
 */
export function classifyUtterance(utterance: string, ctx: NluContext): NluResult {
  const text = normalizeUtterance(typeof utterance === 'string' ? utterance : '');
  const slots: Slots = {};
  if (!text) return { intent: 'unknown', confidence: 0, slots, reasons: [] };

  const property = extractPropertyRef(text);
  if (property) slots.property = property;
  const time = parseViewingTime(text, ctx.now, ctx.timeZone);
  // "about 141 Elm": the number is the house number, not a clock time.
  const houseNumber = property?.kind === 'address' ? property.houseNumber : null;
  if (time && !(houseNumber && new RegExp(`\\b${houseNumber}\\b`).test(time.text))) slots.time = time;
  const name = extractName(utterance);
  if (name) slots.name = name;
  const phone = extractPhone(text);
  if (phone) slots.phone = phone;
  const budget = extractBudget(text);
  if (budget) slots.budget = budget;
  const money = extractMoney(text);
  if (money !== null) slots.money = money;
  const timeline = extractTimeline(text);
  if (timeline) slots.timeline = timeline;
  const yn = extractYesNo(text);
  if (yn !== null) slots.affirmative = yn;
  qualificationSlots(text, slots);

  const fh = detectFairHousing(text);
  if (fh.isFairHousing) {
    return {
      intent: 'fair_housing_question',
      confidence: Math.min(0.99, 0.6 + 0.2 * fh.score),
      slots,
      reasons: fh.reasons,
    };
  }

  const scores = new Map<Intent, { score: number; reasons: string[] }>();
  const add = (intent: Intent, name: string, weight: number): void => {
    const s = scores.get(intent) ?? { score: 0, reasons: [] };
    s.score += weight;
    s.reasons.push(name);
    scores.set(intent, s);
  };
  for (const rule of RULES) if (rule.re.test(text)) add(rule.intent, rule.name, rule.weight);

  // Slot evidence.
  if (slots.time) add('schedule_viewing', 'slot:time', slots.time.certainty === 'exact' ? 0.6 : 0.4);
  if (slots.property) add('property_inquiry', 'slot:property', 0.3);
  if (slots.budget) add('qualification_answer', 'slot:budget', 0.6);
  if (slots.timeline && slots.timeline.urgency !== 'immediate') add('qualification_answer', 'slot:timeline', 0.4);
  if (slots.money !== null && slots.money !== undefined && scores.has('make_offer'))
    add('make_offer', 'slot:money', 0.4);
  if (slots.phone) add('take_message', 'slot:phone', 0.5);
  if (slots.name && scores.size === 0) add('greeting', 'slot:name-intro', 0.6);

  // A price question that mentions comparison is a comparison, not a plain price lookup.
  if (scores.has('price_comparison')) scores.get('property_inquiry')?.reasons.push('subsumed-by-comparison');
  if (scores.has('price_comparison') && scores.has('property_inquiry')) {
    const pi = scores.get('property_inquiry')!;
    pi.score = Math.min(pi.score, 0.8);
  }
  // "are you free tomorrow to show it" is a viewing even though "show" talks about the property.
  if (scores.has('schedule_viewing') && slots.time) {
    const pi = scores.get('property_inquiry');
    if (pi && !pi.reasons.includes('availability')) pi.score *= 0.6;
  }
  // "hi, this is Bob calling about …": the greeting is a preamble to the real request.
  const greeting = scores.get('greeting');
  if (greeting && [...scores.entries()].some(([i, v]) => i !== 'greeting' && v.score >= 0.5)) greeting.score *= 0.4;
  // Bare yes/no answers.
  const words = text.split(' ').length;
  if (yn !== null) add(yn ? 'yes' : 'no', 'yes-no', words <= 4 ? 1.5 : 0.7);

  const ranked = [...scores.entries()].sort((a, b) => b[1].score - a[1].score);
  const top = ranked[0];
  if (!top || top[1].score < 0.5) {
    return { intent: 'unknown', confidence: top ? 0.2 : 0.1, slots, reasons: top ? top[1].reasons : [] };
  }
  const second = ranked[1]?.[1].score ?? 0;
  const strength = 1 - Math.exp(-1.5 * top[1].score);
  const margin = (top[1].score - second) / top[1].score;
  const confidence = Math.round(Math.min(0.99, strength * (0.6 + 0.4 * margin)) * 100) / 100;
  const intent = top[0];
  if (intent === 'property_inquiry') {
    const t = topics(text);
    if (t.length > 0) slots.inquiryTopics = t;
  }
  if (intent === 'take_message') slots.message = utterance.trim();
  return { intent, confidence, slots, reasons: top[1].reasons };
}
