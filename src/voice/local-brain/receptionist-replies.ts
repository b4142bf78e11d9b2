import { extractName } from '../nlu/index.ts';
import type { InquiryTopic, NluResult, PropertyRef } from '../nlu/types.ts';
import type { Goal, Qualification } from './receptionist-dialogue.ts';

/**
 * What the local receptionist brain reads from the caller's words and the tools' results (names, properties,
 * lead details, errors), and how it words a listing's facts for the caller.
 */

/** The task a tool serves, to ask again for what it could not find. */
export const GOAL_OF_TOOL: Record<string, Goal> = {
  listing_info: 'info',
  compare_price: 'compare',
  schedule_viewing: 'viewing',
  take_offer: 'offer',
  take_message: 'message',
};

/** Tool errors name records by "(#12)"; a caller does not need the id. */
export function spokenError(error: string | undefined): string | undefined {
  return error?.replace(/\s*\(#\d+\)/g, '').replace(/\s*#\d+\b/g, '');
}

export function refText(ref: PropertyRef): string {
  return ref.kind === 'address' ? ref.address : ref.kind === 'street' ? ref.street : ref.text;
}

/** "John Smith" / "it's John" as a whole answer to "may I have your name?". */
export function bareName(text: string): string | null {
  const named = extractName(text);
  if (named) return named;
  const cleaned = text.replace(/[.,!?]/g, '').trim();
  if (!/^[A-Za-z][A-Za-z'-]*(?: [A-Za-z][A-Za-z'-]*){0,2}$/.test(cleaned)) return null;
  return cleaned
    .split(' ')
    .map((w) => w[0]!.toUpperCase() + w.slice(1))
    .join(' ');
}

/** A lead from what the caller said of their search (transaction, budget, timeline, financing, agent). */
export function leadArgs(nlu: NluResult, name: string | null, property: string | null): Record<string, unknown> {
  const s = nlu.slots;
  return {
    ...(name ? { caller_name: name } : {}),
    ...(property ? { property } : {}),
    ...(s.transactionType ? { transaction_type: s.transactionType } : {}),
    ...(s.budget?.max ? { budget_max: s.budget.max } : {}),
    ...(s.timeline ? { timeline: s.timeline.text } : {}),
    ...(s.preApproved !== undefined ? { pre_approved: s.preApproved } : {}),
    ...(s.lender ? { lender: s.lender } : {}),
    ...(s.hasAgent !== undefined ? { has_agent: s.hasAgent } : {}),
  };
}

/**
 * What an answer to a qualification question tells the lead: pre-approval and lender, or whether the caller has an
 * agent. Empty when the words do not answer it.
 */
export function qualificationAnswer(
  question: Qualification,
  nlu: NluResult,
  yesNo: boolean | null,
): Record<string, unknown> {
  const s = nlu.slots;
  if (question === 'financing') {
    return {
      ...(s.preApproved !== undefined || yesNo !== null ? { pre_approved: s.preApproved ?? yesNo } : {}),
      ...(s.lender ? { lender: s.lender } : {}),
    };
  }
  return s.hasAgent !== undefined || yesNo !== null ? { has_agent: s.hasAgent ?? yesNo } : {};
}

const money = (n: number): string => `$${Math.round(n).toLocaleString('en-US')}`;

/** Words the listing facts the caller asked about (the tool's summary when no topic was named). */
export function describeListing(data: Record<string, unknown>, topics: InquiryTopic[], summary: string): string {
  const address = String(data.address ?? 'It');
  const facts: string[] = [];
  const num = (k: string): number | null => (typeof data[k] === 'number' ? (data[k] as number) : null);
  for (const topic of topics) {
    if (topic === 'price' && num('price') !== null) facts.push(`it's listed at ${money(num('price')!)}`);
    if (topic === 'beds' && num('bedrooms') !== null) facts.push(`it has ${num('bedrooms')} bedrooms`);
    if (topic === 'baths' && num('bathrooms') !== null) facts.push(`it has ${num('bathrooms')} bathrooms`);
    if (topic === 'sqft' && num('square_feet') !== null)
      facts.push(`it's ${num('square_feet')!.toLocaleString('en-US')} square feet`);
    if (topic === 'description' && typeof data.description === 'string' && data.description)
      facts.push(data.description);
    if (topic === 'availability') {
      const a = data.availability;
      facts.push(
        a === 'sold' ? 'it has sold' : a === 'under_contract' ? 'it is under contract' : 'yes, it is still available',
      );
    }
  }
  if (!facts.length) return summary;
  const sentence = facts.join(', and ');
  return `${address}: ${sentence}.`;
}
