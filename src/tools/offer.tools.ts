import { z } from 'zod';
import { FINANCING_TYPES } from '../domain/intelligence/shared.ts';
import { formatPrice, parsePrice } from '../domain/shared/money.ts';
import { propertyRefShape, resolveProperty } from './property-ref.ts';
import { defineTool, ToolError } from './registry.ts';

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

export const respondToOffer = defineTool({
  name: 'respond_to_offer',
  title: 'Accept, counter or reject an offer',
  description:
    'Accept (competing offers are rejected and the property moves to waiting for contracts), counter with a price, reject or withdraw.',
  input: z.strictObject({
    offer_id: z.number().int().positive(),
    action: z.enum(['accept', 'counter', 'reject', 'withdraw']),
    counter_price: priceArg.optional(),
  }),
  async run(ctx, input) {
    const offers = ctx.services.offers;
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
