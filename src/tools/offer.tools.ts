import { z } from 'zod';
import { FINANCING_TYPES } from '../domain/intelligence/shared.ts';
import { formatPrice, parsePrice } from '../domain/shared/money.ts';
import { propertyRefShape, resolveProperty, type PropertyRef } from './property-ref.ts';
import { defineTool, ToolError, type ToolContext } from './registry.ts';

const priceArg = z.union([z.number(), z.string().max(60)]).describe('Dollars: 800000, "$800,000" or "800 thousand"');
const readPrice = (v: number | string): number => {
  const n = parsePrice(v);
  if (n === null || n <= 0) throw new ToolError(`I could not understand the amount "${v}".`, 'invalid_arguments');
  return n;
};

export const analyzeOfferTool = defineTool({
  name: 'analyze_offer',
  title: 'Analyse an offer',
  description:
    'How strong an offer is against list price, MAO and comparable listings; accept, counter or reject, with a counter price.',
  readOnly: true,
  input: z.strictObject({
    ...propertyRefShape,
    offer_price: priceArg,
    buyer_strength: z.enum(['strong', 'average', 'weak']).optional(),
    contingencies: z.array(z.string().max(60)).max(20).optional(),
    financing_type: z.enum(FINANCING_TYPES).optional(),
  }),
  async run(ctx, input) {
    const property = await resolveProperty(ctx, input);
    const analysis = await ctx.services.offerAnalysis.analyze(ctx.scope, property.id, {
      offer_price: readPrice(input.offer_price),
      contingencies: input.contingencies ?? [],
      ...(input.buyer_strength ? { buyer_strength: input.buyer_strength } : {}),
      ...(input.financing_type ? { financing_type: input.financing_type } : {}),
    });
    return { data: analysis, voice_summary: analysis.voice_summary, property_id: property.id };
  },
});

export const recordOffer = defineTool({
  name: 'record_offer',
  title: 'Record an offer',
  description:
    'Record an offer received on a property ("we got an offer of 800 thousand on Elm Street, cash, closing in 30 days").',
  input: z.strictObject({
    ...propertyRefShape,
    offer_price: priceArg,
    buyer_contact_id: z.number().int().positive().optional(),
    financing_type: z.enum(FINANCING_TYPES).optional(),
    closing_days: z.number().int().min(1).max(365).optional(),
    contingencies: z.array(z.string().max(60)).max(20).optional(),
  }),
  async run(ctx, input) {
    const property = await resolveProperty(ctx, input);
    const offer = await ctx.services.offers.create(ctx.scope, property.id, {
      offer_price: readPrice(input.offer_price),
      buyer_contact_id: input.buyer_contact_id ?? null,
      financing_type: input.financing_type ?? null,
      closing_days: input.closing_days ?? null,
      contingencies: input.contingencies ?? [],
    });
    return {
      data: offer,
      voice_summary: `Recorded offer #${offer.id} of ${formatPrice(offer.offer_price)} on ${property.address}.`,
      property_id: property.id,
    };
  },
});

/**
 * "The offer from John" on the property (the one named, or the one this conversation is about): the open offer
 * whose buyer's name contains what was said; without a name, the property's only open offer. Anything else is a
 * question back, never a guess.
 */
async function offerByBuyer(ctx: ToolContext, input: PropertyRef & { buyer?: string | undefined }): Promise<number> {
  const property = await resolveProperty(ctx, input);
  const open = (await ctx.services.offers.list(ctx.scope, property.id)).filter(
    (o) => !o.is_our_offer && (o.status === 'submitted' || o.status === 'countered'),
  );
  const named = await Promise.all(
    open.map(async (o) => ({
      offer: o,
      buyer: o.buyer_contact_id
        ? ((await ctx.services.contacts.get(ctx.scope, o.buyer_contact_id).catch(() => null))?.name ?? null)
        : null,
    })),
  );
  const said = input.buyer?.toLowerCase();
  const matches = said ? named.filter((n) => n.buyer?.toLowerCase().includes(said)) : named;
  const who = input.buyer ? ` from ${input.buyer}` : '';
  if (matches.length === 1) return matches[0]!.offer.id;
  if (!matches.length) throw new ToolError(`There's no open offer${who} on ${property.address}.`, 'offer_not_found');
  const list = matches.map(
    (m) => `offer ${m.offer.id}${m.buyer ? ` from ${m.buyer}` : ''} at ${formatPrice(m.offer.offer_price)}`,
  );
  throw new ToolError(
    `There are ${matches.length} open offers${who} on ${property.address}: ${list.join(', ')}. Which one?`,
    'offer_ambiguous',
  );
}

export const respondToOffer = defineTool({
  name: 'respond_to_offer',
  title: 'Accept, counter or reject an offer',
  description:
    'Accept (competing offers are rejected and the property moves to waiting for contracts), counter with a price, reject or withdraw.',
  input: z.strictObject({
    offer_id: z.number().int().positive().optional().describe('The offer; else found by buyer on the property'),
    buyer: z.string().trim().min(1).max(200).optional().describe('The buyer as said ("John"), with the property'),
    ...propertyRefShape,
    action: z.enum(['accept', 'counter', 'reject', 'withdraw']),
    counter_price: priceArg.optional(),
  }),
  async run(ctx, raw) {
    const offers = ctx.services.offers;
    const input = { ...raw, offer_id: raw.offer_id ?? (await offerByBuyer(ctx, raw)) };
    if (input.action === 'accept') {
      const res = await offers.accept(ctx.scope, input.offer_id);
      const extra = res.rejected_competing.length
        ? ` ${res.rejected_competing.length} competing offer(s) were rejected.`
        : '';
      return {
        data: res,
        voice_summary: `Accepted offer #${res.offer.id} at ${formatPrice(res.offer.offer_price)}.${extra}`,
        property_id: res.offer.property_id,
      };
    }
    if (input.action === 'counter') {
      if (input.counter_price === undefined)
        throw new ToolError('What price should I counter with?', 'counter_price_required');
      const counter = await offers.counter(ctx.scope, input.offer_id, { offer_price: readPrice(input.counter_price) });
      return {
        data: counter,
        voice_summary: `Countered offer #${input.offer_id} at ${formatPrice(counter.offer_price)}.`,
        property_id: counter.property_id,
      };
    }
    const res = await offers.respond(ctx.scope, input.offer_id, input.action === 'reject' ? 'rejected' : 'withdrawn');
    return { data: res, voice_summary: `Offer #${res.id} is ${res.status}.`, property_id: res.property_id };
  },
});

export const counterOfferLetter = defineTool({
  name: 'counter_offer_letter',
  title: 'Counter-offer letter',
  description:
    'Write the counter-offer letter for an offer (complete letter with the suggested or a given counter price).',
  readOnly: true,
  input: z.strictObject({ offer_id: z.number().int().positive(), counter_price: priceArg.optional() }),
  async run(ctx, input) {
    const agent = await ctx.services.agents.get(ctx.scope.em, ctx.scope.agentId);
    const letter = await ctx.services.offerAnalysis.counterLetter(ctx.scope, input.offer_id, {
      senderName: agent.name,
      brokerage: agent.brokerage_name,
      ...(input.counter_price !== undefined ? { counterPrice: readPrice(input.counter_price) } : {}),
    });
    return { data: letter, voice_summary: letter.voice_summary };
  },
});

export const offerTools = [analyzeOfferTool, recordOffer, respondToOffer, counterOfferLetter];
