/**
 * Slot-aware endpointing: how long the caller may pause before their turn is over depends on what the
 * receptionist just asked. Digits, an address, an email or a spelled-out name come in bursts with pauses
 * between them ("five one two … five five five …"); a yes/no answer is one short word. Pure functions:
 * `expectingAfter(agentText)` reads the agent's last question (works for any brain, local or LLM), and
 * `endpointingFor(expecting)` turns it into the silence (ms) that ends the caller's utterance, which the
 * transport hands to the recognizer (`SttStream.setEndpointing`).
 */

/** What kind of answer the caller is expected to give next. */
export type Expecting =
  /** A yes/no (or short either/or) answer: "yes", "no thanks", "cash". */
  | 'yes_no'
  /** A phone number, read out as digits in groups. */
  | 'phone'
  /** An email address. */
  | 'email'
  /** Something spelled out letter by letter. */
  | 'spelling'
  /** A street address (which property). */
  | 'address'
  /** The caller's name. */
  | 'name'
  /** A day and time. */
  | 'time'
  /** A price or an amount of money. */
  | 'amount'
  /** A message to pass on: composed while speaking, with pauses. */
  | 'message'
  /** Anything: an open question, or no question at all. */
  | 'free';

/** Caller silence (ms) that ends an utterance, by what is expected. */
export type EndpointingTable = Record<Expecting, number>;

export const DEFAULT_ENDPOINTING: Readonly<EndpointingTable> = {
  yes_no: 400,
  free: 650,
  time: 800,
  amount: 1_000,
  message: 1_000,
  name: 1_000,
  address: 1_300,
  phone: 1_500,
  email: 1_500,
  spelling: 1_500,
};

/** Silence (ms) before the end of the caller's turn when `expecting` is what the agent asked for. */
export function endpointingFor(expecting: Expecting, table: Partial<EndpointingTable> = {}): number {
  return table[expecting] ?? DEFAULT_ENDPOINTING[expecting];
}

/** Slots, most specific first ("email address" is an email, not an address). */
const SLOT_PATTERNS: [Exclude<Expecting, 'yes_no' | 'free'>, RegExp][] = [
  ['email', /\be-?mail\b/],
  ['spelling', /\bspell(?:ing|ed)?\b|\bletter by letter\b/],
  [
    'phone',
    /\b(?:phone|cell|cellphone|mobile|telephone|callback|call-back|digits)\b|\bnumber\b.*\b(?:reach|call|contact|text)\b|\b(?:reach|call|contact|text)\b.*\bnumber\b/,
  ],
  [
    'address',
    /\baddress\b|\bstreet\b|\bzip(?: code)?\b|\bpostcode\b|\b(?:which|what) (?:property|properties|house|home|listing|unit|building)\b/,
  ],
  [
    'name',
    /\b(?:your|ur)\b.*\bname\b|\bname (?:for|on|please|should)\b|\b(?:first|last|full|sur) ?name\b|\bwhat name\b|\bwho (?:am i|is this|'s this|is calling|'s calling)\b|\bwhom am i\b|\bwho i'm speaking\b/,
  ],
  [
    'time',
    /\b(?:what|which)(?: other| good)? (?:day|days|time|times|date|dates)\b|\b(?:day|date|time) (?:and|or) (?:time|date|day)\b|\btime\b.*\b(?:suit|suits|work|works|good|best|convenient|prefer)\b|\b(?:good|best|convenient|better) (?:day|time|date)\b|\bwhen (?:would|can|could|do|does|is|are|will|should|works|suits)\b/,
  ],
  [
    'amount',
    /\bhow much\b|\bamount\b|\bbudget\b|\bprice range\b|\bwhat price\b|\bwhat (?:would|do|did) you (?:like to |want to )?(?:offer|pay|spend)\b/,
  ],
  [
    'message',
    /\bpass (?:it |that |this )?on\b|\b(?:what|what's) (?:is )?(?:the|your) message\b|\bwhat (?:would|do) you (?:like|want) (?:me )?to (?:tell|say to|let)\b|\bwhat should i tell\b/,
  ],
];

const AUXILIARY =
  /^(?:is|are|am|was|were|do|does|did|have|has|had|can|could|will|would|shall|should|may|might|must|isn't|aren't|don't|doesn't|didn't|won't|wouldn't|can't|couldn't|shouldn't|haven't|hasn't)\b/;
const WH = /^(?:what|what's|whats|which|when|where|who|who's|whom|whose|how|how's|why)\b/;
/** "Could I get …", "Can you tell me …": a request for information, not a yes/no question. */
const REQUEST =
  /^(?:could|can|may|would|will|might) (?:i|we|you) (?:please )?(?:get|have|take|grab|ask|tell|give|share|spell|say|provide|read|repeat|confirm|leave|send|text|let me know)\b|^would you mind\b/;
/** "…, right?", "…, is that correct?" */
const TAG = /,\s*(?:right|correct|ok|okay|yes|yeah|is that right|is that correct|does that work|sound good)\s*\?$/;
/** Open invitations answered with a new request ("yes, I also wanted to ask …"), not a bare yes/no. */
const OPEN_INVITATION = /\banything else\b|\bsomething else\b|\bany (?:other )?questions\b|\bhow else\b/;
/** Discourse markers and vocatives that may open a clause ("and", "sorry", "okay so"). */
const LEAD_IN =
  /^(?:and|so|sorry|okay|ok|great|thanks|thank you|perfect|sure|also|then|now|oh|alright|all right|well|got it|lovely|no problem|of course)\b[\s,]*/;

function normalize(text: string): string {
  return text
    .toLowerCase()
    .replace(/[\u2018\u2019\u02bc]/g, "'")
    .replace(/[\u201c\u201d]/g, '"')
    .replace(/\s+/g, ' ')
    .trim();
}

/** The agent's last question (the last sentence ending in "?"), else its last sentence. */
function lastQuestion(text: string): string {
  const sentences = normalize(text)
    .split(/(?<=[.?!])\s+/)
    .map((s) => s.trim())
    .filter(Boolean);
  return sentences.findLast((s) => s.endsWith('?')) ?? sentences.at(-1) ?? '';
}

function stripLeadIns(clause: string): string {
  let rest = clause.trim();
  for (let prev = ''; prev !== rest;) {
    prev = rest;
    rest = rest.replace(LEAD_IN, '').trim();
  }
  return rest;
}

/** The grammatical form of the question: the first clause that opens with an auxiliary or a wh-word. */
function form(question: string): 'yes_no' | 'request' | 'wh' | 'none' {
  if (TAG.test(question)) return 'yes_no';
  for (const raw of question.split(/[,;:]|\s-\s|\s\u2014\s/)) {
    const clause = stripLeadIns(raw.replace(/^["'(]+/, ''));
    if (REQUEST.test(clause)) return 'request';
    if (WH.test(clause)) return 'wh';
    if (AUXILIARY.test(clause)) return 'yes_no';
  }
  return 'none';
}

/**
 * What the caller is expected to answer after the agent said `agentText` (a whole reply). Reads its last
 * question: a request for a slot ("what's the best number to reach you?", "may I have your name?") →
 * that slot; a yes/no or either/or question ("would you like to schedule a viewing?") → `yes_no`;
 * anything else, or an open invitation ("is there anything else I can help with?") → `free`.
 */
export function expectingAfter(agentText: string): Expecting {
  const question = lastQuestion(agentText);
  if (!question) return 'free';
  const shape = form(question);
  const slot = SLOT_PATTERNS.find(([, re]) => re.test(question))?.[0];
  if (OPEN_INVITATION.test(question) && !slot) return 'free';
  if (shape === 'yes_no') return 'yes_no';
  if (slot) return slot;
  return 'free';
}
