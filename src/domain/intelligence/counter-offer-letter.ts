/**
 * Counter-offer letter from a fixed template (the seed used an LLM with a canned fallback; reference
 * §2.6). Built only from the analysis and the parties: it never reveals the walk-away price.
 */
import type { OfferAnalysis } from './offer-analysis.ts';
import { formatUsd, isPositive, type FinancingType } from './shared.ts';

export interface CounterOfferLetterInput {
  analysis: OfferAnalysis;
  propertyAddress: string;
  sellerName: string;
  buyerName: string;
  /** Who the letter is addressed to (e.g. the buyer's agent); defaults to the buyer. */
  recipientName?: string;
  /** The listing agent signing the letter. */
  senderName: string;
  senderTitle?: string;
  brokerage?: string;
  senderPhone?: string;
  senderEmail?: string;
  /** Defaults to the analysis' suggested counter price. */
  counterPrice?: number;
  earnestMoney?: number;
  closingDays?: number;
  letterDate: Date;
  expiresAt: Date;
  /** IANA time zone for the dates in the letter; UTC by default. */
  timeZone?: string;
}

export interface CounterOfferLetter {
  subject: string;
  letter: string;
  counter_price: number;
  expires_at: string;
  talking_points: string[];
  voice_summary: string;
}

const FINANCING_LABELS: Record<FinancingType, string> = {
  cash: 'Cash',
  conventional: 'Conventional mortgage',
  fha: 'FHA loan',
  va: 'VA loan',
  hard_money: 'Hard-money loan',
  seller_financing: 'Seller financing',
  other: 'As stated in the original offer',
};

/** ICU puts narrow no-break spaces before AM/PM; letters read better with plain spaces. */
const plainSpaces = (s: string): string => s.replace(/[\u202f\u00a0]/g, ' ');

function formatDate(d: Date, timeZone: string): string {
  return plainSpaces(
    new Intl.DateTimeFormat('en-US', { timeZone, year: 'numeric', month: 'long', day: 'numeric' }).format(d),
  );
}

function formatDateTime(d: Date, timeZone: string): string {
  const time = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hour: 'numeric',
    minute: '2-digit',
    timeZoneName: 'short',
  }).format(d);
  return `${plainSpaces(time)} on ${formatDate(d, timeZone)}`;
}

/** A complete, professional counter-offer letter (no LLM). Throws on a missing counter price or an expiry in the past. */
export function counterOfferLetter(input: CounterOfferLetterInput): CounterOfferLetter {
  const a = input.analysis;
  const counter = input.counterPrice ?? a.counter_strategy?.suggested_price;
  if (!isPositive(counter)) throw new RangeError('a positive counter price is required');
  if (input.expiresAt.getTime() <= input.letterDate.getTime())
    throw new RangeError('the counter-offer must expire after the letter date');
  const tz = input.timeZone ?? 'UTC';
  const recipient = input.recipientName ?? input.buyerName;
  const expiry = formatDateTime(input.expiresAt, tz);

  const justification: string[] = [`The property is listed at ${formatUsd(a.list_price)}.`];
  const comps = a.market_context.comps_reference_price;
  if (comps !== null && comps >= counter) {
    const label = a.market_reference.basis === 'comps_average' ? 'an average' : 'a median';
    justification.push(`Recent comparable sales in the area show ${label} sale price of ${formatUsd(comps)}.`);
  }
  const zestimate = a.market_context.zestimate;
  if (zestimate !== null && zestimate >= counter) {
    justification.push(`Zillow's current estimate of the home's value is ${formatUsd(zestimate)}.`);
  }

  const terms = [`Purchase price: ${formatUsd(counter)}`];
  if (isPositive(input.earnestMoney)) terms.push(`Earnest money deposit: ${formatUsd(input.earnestMoney)}`);
  if (isPositive(input.closingDays)) terms.push(`Closing: within ${input.closingDays} days of acceptance`);
  if (a.financing_type) terms.push(`Financing: ${FINANCING_LABELS[a.financing_type]}`);
  terms.push(
    a.contingencies.length > 0
      ? `Contingencies: ${a.contingencies.join(', ')}, as stated in your offer`
      : 'Contingencies: none',
  );
  terms.push('All other terms of the original offer remain unchanged.');

  const signature = [
    input.senderName,
    input.senderTitle,
    input.brokerage,
    [input.senderPhone, input.senderEmail].filter(Boolean).join(' | ') || undefined,
    `On behalf of ${input.sellerName}, Seller`,
  ].filter((l): l is string => Boolean(l));

  const letter = [
    formatDate(input.letterDate, tz),
    '',
    `Re: Counter-offer for ${input.propertyAddress}`,
    '',
    `Dear ${recipient},`,
    '',
    `Thank you for the offer of ${formatUsd(a.offer_price)} submitted on behalf of ${input.buyerName} for the property at ${input.propertyAddress}. ${input.sellerName} appreciates the interest in the home and has reviewed the offer carefully.`,
    '',
    `After weighing the offer against current market conditions, ${input.sellerName} respectfully submits a counter-offer at a purchase price of ${formatUsd(counter)}. ${justification.join(' ')}`,
    '',
    'The terms of this counter-offer are:',
    ...terms.map((t) => `  - ${t}`),
    '',
    `This counter-offer expires at ${expiry}. To accept, please sign and return the counter-offer form before that time; after it, this counter-offer is withdrawn without further notice. This letter summarises the proposal, and only the signed counter-offer form is binding.`,
    '',
    `We believe this price reflects the fair market value of the property, and we look forward to working with you toward a smooth closing.`,
    '',
    'Sincerely,',
    '',
    ...signature,
  ].join('\n');

  const talking = [
    `Thank you for the offer of ${formatUsd(a.offer_price)}`,
    `Our counter is ${formatUsd(counter)}, against a list price of ${formatUsd(a.list_price)}`,
    ...justification.slice(1).map((j) => j.replace(/\.$/, '')),
    `The counter-offer expires at ${expiry}`,
  ];
  return {
    subject: `Counter-offer for ${input.propertyAddress}: ${formatUsd(counter)}`,
    letter,
    counter_price: counter,
    expires_at: input.expiresAt.toISOString(),
    talking_points: talking,
    voice_summary: `I drafted a counter-offer of ${formatUsd(counter)} against the ${formatUsd(a.offer_price)} offer on ${input.propertyAddress}, expiring at ${expiry}.`,
  };
}
