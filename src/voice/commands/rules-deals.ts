import { formatPrice } from '../../domain/shared/money.ts';
import { findProperty, perProperty, target } from './property.ts';
import { numbered } from './slots.ts';
import { amounts, cut, orList, priceList, titleCase, toNumber } from './text.ts';
import { clarify, command, isClarify, type Rule } from './types.ts';

const rehabTier = (rest: string): Record<string, unknown> => {
  const m = /\b(light|medium|heavy)\b(?: rehab| repairs?| fix)?/.exec(rest);
  return m ? { rehab_tier: m[1] } : {};
};

const FINANCING: [RegExp, string, string][] = [
  [/\b(?:all )?cash\b/, 'cash', 'cash'],
  [/\bconventional\b/, 'conventional', 'conventional financing'],
  [/\bfha\b|\bf h a\b/, 'fha', 'FHA'],
  [/\bva (?:loan|financing)\b|\bv a\b/, 'va', 'VA'],
  [/\bhard money\b/, 'hard_money', 'hard money'],
  [/\bseller financ(?:ing|ed)\b/, 'seller_financing', 'seller financing'],
];

function financing(text: string): { type: string; said: string } | undefined {
  const found = FINANCING.find(([re]) => re.test(text));
  return found && { type: found[1], said: found[2] };
}

const possessive = (name: string): string => (name.endsWith('s') ? `${name}'` : `${name}'s`);

const CONTINGENCIES = ['inspection', 'financing', 'appraisal', 'home sale'];

function contingencies(text: string): string[] | undefined {
  if (/\bno contingenc/.test(text)) return [];
  if (!/\bcontingen/.test(text)) return undefined;
  return CONTINGENCIES.filter((c) => new RegExp(`\\b${c}\\b`).test(text));
}

type OfferAction = 'accept' | 'counter' | 'reject' | 'withdraw';
const ACTIONS: [RegExp, OfferAction][] = [
  [/\baccept\b/, 'accept'],
  [/\bcounter\b/, 'counter'],
  [/\b(?:reject|decline|turn down|refuse|pass on)\b/, 'reject'],
  [/\bwithdraw\b/, 'withdraw'],
];

const respondToOffer: Rule = {
  tool: 'respond_to_offer',
  when: /^(?:accept|counter|reject|decline|turn down|refuse|withdraw|pass on)\b|\b(?:accept|counter|reject|decline|turn down|refuse|withdraw) (?:the |that |this |their |his |her |our |my |a )?(?:[a-z]+ ){0,2}?offer\b|\bcounter (?:them|him|her|it|at|with)\b/,
  build(u, ctx) {
    const found = ACTIONS.map(([re, action]) => ({ action, at: re.exec(u.text)?.index ?? -1 }))
      .filter((a) => a.at >= 0)
      .sort((a, b) => a.at - b.at)[0];
    if (!found) return null;
    const { action } = found;
    const id = numbered(u.text, 'offer');
    if (id.conflict) return clarify(`Which offer: ${orList(id.conflict.map((n) => `offer ${n}`))}?`);
    const price = action === 'counter' ? amounts(id.rest) : null;
    if (price?.kind === 'many') return clarify(`Which price should I counter with: ${priceList(price.values)}?`);
    const counterAt = price?.kind === 'one' ? price.value : undefined;
    if (id.value === undefined) {
      // "The offer from John" / "counter at 835": on the property named or of the conversation, the tool finds
      // the buyer's (or the only) open offer — or asks which.
      const named = findProperty(id.rest);
      // "from John", "from John Carter at 835", "from the Johnsons on it": the buyer's name, one or two words.
      const from = /\bfrom (?:the )?([a-z]+(?: (?!(?:at|with|on|for|to|by)\b)[a-z]+)?)\b/.exec(named.rest)?.[1];
      const buyer = from && !/\b(?:buyer|buyers|seller|them|him|her)\b/.test(from) ? titleCase(from) : undefined;
      if (action === 'counter' && counterAt === undefined) return clarify('What price should I counter with?');
      const on = target(named.ref, ctx);
      if (!on || isClarify(on)) {
        const at = counterAt !== undefined ? ` at ${formatPrice(counterAt)}` : '';
        return clarify(`Which offer should I ${action}${at}? Tell me the offer number or the property.`);
      }
      const whose = buyer ? `${possessive(buyer)} offer` : 'the open offer';
      const readBack =
        action === 'counter'
          ? `Counter ${whose} on ${on.label} at ${formatPrice(counterAt!)}?`
          : action === 'accept'
            ? `Accept ${whose} on ${on.label}? Competing offers will be rejected.`
            : `${action === 'reject' ? 'Reject' : 'Withdraw'} ${whose} on ${on.label}?`;
      return command(
        'respond_to_offer',
        {
          ...on.args,
          action,
          ...(buyer ? { buyer } : {}),
          ...(counterAt !== undefined ? { counter_price: counterAt } : {}),
        },
        readBack,
        on.id,
      );
    }
    if (action === 'counter') {
      if (counterAt === undefined) return clarify(`What price should I counter offer ${id.value} with?`);
      return command(
        'respond_to_offer',
        { offer_id: id.value, action, counter_price: counterAt },
        `Counter offer ${id.value} at ${formatPrice(counterAt)}?`,
      );
    }
    const readBack =
      action === 'accept'
        ? `Accept offer ${id.value}? Competing offers will be rejected.`
        : `${action === 'reject' ? 'Reject' : 'Withdraw'} offer ${id.value}?`;
    return command('respond_to_offer', { offer_id: id.value, action }, readBack);
  },
};

const counterOfferLetter: Rule = {
  tool: 'counter_offer_letter',
  when: /\bcounter ?(?:offer )?letter\b|\bletter\b.{0,40}\bcounter\b|\bwrite (?:up )?(?:a |the )?counter\b/,
  build(u) {
    const id = numbered(u.text, 'offer');
    if (id.conflict) return clarify(`Which offer: ${orList(id.conflict.map((n) => `offer ${n}`))}?`);
    if (id.value === undefined)
      return clarify('Which offer is the counter-offer letter for? Tell me the offer number.');
    const price = amounts(id.rest);
    if (price.kind === 'many') return clarify(`Which counter price: ${priceList(price.values)}?`);
    const args: Record<string, unknown> = { offer_id: id.value };
    if (price.kind === 'one') args.counter_price = price.value;
    const at = price.kind === 'one' ? ` at ${formatPrice(price.value)}` : '';
    return command('counter_offer_letter', args, `Writing the counter-offer letter for offer ${id.value}${at}.`);
  },
};

/** analyze_offer and record_offer: an amount on a property, with financing, closing days and contingencies. */
function offerOn(tool: 'analyze_offer' | 'record_offer', when: RegExp): Rule {
  return {
    tool,
    when,
    build(u, ctx) {
      const { ref, rest: afterRef } = findProperty(u.text);
      const closing = /\bclos(?:e|ing) in (\d{1,3}) (day|week)s?\b/.exec(afterRef);
      const rest = cut(numbered(afterRef, 'offer').rest, closing?.[0]);
      const price = amounts(rest);
      if (price.kind === 'many') return clarify(`Which amount is the offer: ${priceList(price.values)}?`);
      if (price.kind !== 'one') return clarify('How much is the offer?');
      const t = target(ref, ctx);
      if (t === null || isClarify(t)) return t;
      const args: Record<string, unknown> = { ...t.args, offer_price: price.value };
      const said: string[] = [];
      const fin = financing(rest);
      if (fin) {
        args.financing_type = fin.type;
        said.push(fin.said);
      }
      const cont = contingencies(rest);
      if (cont) args.contingencies = cont;
      if (tool === 'analyze_offer') {
        const strength = /\b(strong|average|weak)(?: buyer)?\b/.exec(rest)?.[1];
        if (strength) args.buyer_strength = strength;
        return command(tool, args, `Analyzing an offer of ${formatPrice(price.value)} on ${t.label}.`, t.id);
      }
      const days = closing ? toNumber(closing[1])! * (closing[2] === 'week' ? 7 : 1) : null;
      if (days !== null && days >= 1 && days <= 365) {
        args.closing_days = days;
        said.push(`closing in ${days} days`);
      }
      const extra = said.length > 0 ? `, ${said.join(', ')}` : '';
      return command(tool, args, `Record an offer of ${formatPrice(price.value)} on ${t.label}${extra}?`, t.id);
    },
  };
}

export const DEAL_RULES: readonly Rule[] = [
  {
    tool: 'prediction_accuracy',
    when: /\bhow accurate\b|\bprediction accuracy\b|\baccuracy of (?:the |your |my )?predictions\b/,
    build: () => command('prediction_accuracy', {}, 'Checking how accurate the closing predictions have been.'),
  },
  perProperty(
    'calculate_mao',
    /\bmao\b|\bm a o\b|\bmax(?:imum)? allowable offer\b|\b(?:max|most) (?:i|we) (?:should|can|could) (?:offer|pay)\b/,
    (p) => `Working out the maximum allowable offer on ${p}.`,
    rehabTier,
  ),
  counterOfferLetter,
  offerOn(
    'analyze_offer',
    /\b(?:analy[sz]e|evaluate|assess|review|how (?:good|strong) is|should (?:i|we) (?:take|accept|counter|reject))\b.{0,60}\boffer\b|\bis (?:it|this|that|an?) .{0,40}\bgood offer\b|\boffer\b.{0,60}\b(?:good|strong|fair) (?:offer|enough)\b/,
  ),
  respondToOffer,
  offerOn(
    'record_offer',
    /^(?:we |i |they |the buyers? )?(?:just )?(?:got|received|have|'ve got|have got) (?:an |a |another |a new )?offer\b|\b(?:record|log|enter|add|write down|put in|submit) (?:an |a |the |this |that |another |new )*offer\b|\bnew offer\b|\boffer (?:just )?came in\b/,
  ),
  perProperty(
    'calculate_deal',
    /\b(?:run|crunch|do|work out) the numbers\b|\bdeal (?:math|numbers|analysis|calculat\w*)\b|\bbrrrr?\b|\bcash ?flow\b|\b(?:flip|rental|wholesale) numbers\b|\bis .{0,30} a good (?:flip|rental|deal|investment)\b/,
    (p) => `Running the deal numbers on ${p}.`,
    rehabTier,
  ),
  perProperty(
    'predict_closing',
    /\bpredict\w*\b|\bforecast\b|\b(?:odds|chances?|likelihood|probability)\b.{0,40}\bclos|\bwill .{0,30}\bclose\b|\bwhen will .{0,30}\bclose\b/,
    (p) => `Predicting how ${p} will close.`,
  ),
  perProperty(
    'next_action',
    /\bwhat (?:should|do|can) (?:i|we) do (?:next|now)\b|\bnext (?:step|action|move|thing)s?\b|\bwhat(?:'s| is) next (?:for|with|on)\b|\bwhat should (?:i|we) do (?:with|about)\b/,
    (p) => `Checking the next step for ${p}.`,
  ),
  perProperty(
    'get_comps',
    /\bcomps\b|\bcomparables?\b|\bcomparable (?:sales|homes|properties)\b|\bsimilar (?:homes|houses|properties|sales)\b|\bnearby sales\b|\brecent sales (?:near|around)\b/,
    (p) => `Finding comparable sales for ${p}.`,
  ),
  perProperty(
    'value_property',
    /\bworth\b|\bvalu(?:e|ation)\b|\bapprais\w*\b|\bestimate\w*\b|\bwhat (?:would|could|will|can|might) .{0,30}\bsell for\b/,
    (p) => `Estimating what ${p} is worth.`,
  ),
  perProperty('score_property', /\bscore\b|\bgrade\b|\brate (?:it|this|that|property)\b/, (p) => `Score ${p}?`),
];
