import { z } from 'zod';
import { Contact } from '../contacts/contact.entity.ts';
import { NotFoundError, ValidationError } from '../errors.ts';
import { counterOfferLetter, type CounterOfferLetter } from '../intelligence/counter-offer-letter.ts';
import { analyzeOffer, type BuyerStrength, type OfferAnalysis } from '../intelligence/offer-analysis.ts';
import {
  averageAcceptedDiscount,
  learnedThresholds,
  maoFallback,
  suggestedOfferPrice,
  type MaoRange,
  type SuggestedOffer,
} from '../intelligence/offer-pricing.ts';
import { Property, type IProperty } from '../properties/property.entity.ts';
import { PropertyEnrichment } from '../research/research.entity.ts';
import { askJson, dollarAmounts } from '../shared/llm-assist.ts';
import type { AgentScope } from '../shared/scope.ts';
import type { TextGenerator } from '../shared/text-generator.port.ts';
import { median, portfolioComps } from './internal-comps.ts';
import { Offer } from './offer.entity.ts';
import { FINANCING_TYPES } from '../intelligence/shared.ts';

const money = z.number().finite().positive().max(10_000_000_000);

export const OfferAnalyzeSchema = z.strictObject({
  offer_price: money,
  buyer_strength: z.enum(['strong', 'average', 'weak']).optional(),
  contingencies: z.array(z.string().trim().min(1).max(60)).max(20).default([]),
  financing_type: z.enum(FINANCING_TYPES).optional(),
});

/** Offer analysis, suggested price, MAO and the counter-offer letter. */
export class OfferAnalysisService {
  constructor(
    private readonly llm: TextGenerator | null = null,
    /** Underwriting MAO (wholesale, from the valuation of recorded sales), when it can be computed. */
    private readonly underwritingMao:
      ((scope: AgentScope, property: IProperty) => Promise<MaoRange | null>) | null = null,
  ) {}

  /** Offer analysis with the MAO and the portfolio comps actually taken into account. */
  async analyze(
    scope: AgentScope,
    propertyId: number,
    raw: z.input<typeof OfferAnalyzeSchema>,
  ): Promise<OfferAnalysis> {
    const input = OfferAnalyzeSchema.parse(raw);
    const property = await this.property(scope, propertyId);
    if (!property.price)
      throw new ValidationError(`Property ${propertyId} has no list price to compare the offer with`, {
        field: 'price',
      });
    const [zestimate, mao, comps, thresholds] = await Promise.all([
      this.zestimate(scope, propertyId),
      this.mao(scope, property),
      this.comps(scope, property),
      this.thresholds(scope),
    ]);
    return analyzeOffer({
      propertyId: property.id,
      address: property.address,
      listPrice: property.price,
      offerPrice: input.offer_price,
      zestimate,
      mao,
      comps: comps.length ? { medianPrice: median(comps.map((c) => c.price!)), count: comps.length } : null,
      contingencies: input.contingencies,
      financingType: input.financing_type ?? null,
      buyerStrength: (input.buyer_strength as BuyerStrength | undefined) ?? null,
      thresholds,
    });
  }

  async suggestPrice(
    scope: AgentScope,
    propertyId: number,
    aggressiveness?: 'conservative' | 'moderate' | 'aggressive',
  ): Promise<SuggestedOffer> {
    const property = await this.property(scope, propertyId);
    if (!property.price) throw new ValidationError(`Property ${propertyId} has no list price`, { field: 'price' });
    const past = await this.pastOffers(scope);
    return suggestedOfferPrice({
      address: property.address,
      listPrice: property.price,
      mao: await this.mao(scope, property),
      zestimate: await this.zestimate(scope, propertyId),
      learnedDiscount: averageAcceptedDiscount(past),
      ...(aggressiveness ? { aggressiveness } : {}),
    });
  }

  /** A complete counter-offer letter (template; an LLM may rewrite it when one is configured). */
  async counterLetter(
    scope: AgentScope,
    offerId: number,
    opts: { senderName: string; brokerage?: string | null; counterPrice?: number; validDays?: number },
    now = new Date(),
  ): Promise<CounterOfferLetter & { source: 'llm' | 'rules'; model?: string }> {
    const offer = await scope.em.findOne(Offer, { id: offerId, agent: scope.agentId });
    if (!offer) throw new NotFoundError('Offer', offerId);
    const property = await this.property(scope, offer.property.id);
    const analysis = await this.analyze(scope, property.id, {
      offer_price: offer.offerPrice,
      contingencies: offer.contingencies ?? [],
      ...(offer.financingType ? { financing_type: offer.financingType } : {}),
    });
    const seller = await scope.em.findOne(Contact, { agent: scope.agentId, property: property.id, role: 'seller' });
    const buyer = offer.buyerContact ? await scope.em.findOne(Contact, { id: offer.buyerContact.id }) : null;
    const template = counterOfferLetter({
      analysis,
      propertyAddress: `${property.address}, ${property.city}, ${property.state}`,
      sellerName: seller?.name ?? 'the Seller',
      buyerName: buyer?.name ?? 'Buyer',
      senderName: opts.senderName,
      ...(opts.brokerage ? { brokerage: opts.brokerage } : {}),
      ...(opts.counterPrice ? { counterPrice: opts.counterPrice } : {}),
      ...(offer.earnestMoney ? { earnestMoney: offer.earnestMoney } : {}),
      ...(offer.closingDays ? { closingDays: offer.closingDays } : {}),
      letterDate: now,
      expiresAt: new Date(now.getTime() + (opts.validDays ?? 2) * 86_400_000),
    });
    // With a model: a warmer rewrite that must keep every figure of the template letter.
    const figures = dollarAmounts(template.letter);
    const ai = await askJson(
      this.llm,
      z.object({ letter: z.string().min(200).max(8_000) }),
      {
        system:
          'You write counter-offer letters for a listing agent. Rewrite the letter below in a warm, professional tone. ' +
          'Keep every party, address, amount and date exactly as given; add no new terms. Answer as JSON: {"letter":"…"}.',
        prompt: template.letter,
        maxTokens: 1000,
        temperature: 0.4,
      },
      (v) => figures.every((f) => dollarAmounts(v.letter).includes(f)),
    );
    return ai.source === 'llm'
      ? { ...template, letter: ai.value.letter, source: 'llm' as const, model: ai.model }
      : { ...template, source: 'rules' as const };
  }

  private async zestimate(scope: AgentScope, propertyId: number): Promise<number | null> {
    const e = await scope.em.findOne(
      PropertyEnrichment,
      { agent: scope.agentId, property: propertyId, zestimate: { $ne: null } },
      { orderBy: { createdAt: 'desc', id: 'desc' } },
    );
    return e?.zestimate ?? null;
  }

  /** MAO: the underwriting offer range when there is one, else Zestimate × 0.70 ± 10 % (reference §2.5). */
  async mao(scope: AgentScope, property: IProperty): Promise<MaoRange | null> {
    const underwritten = this.underwritingMao ? await this.underwritingMao(scope, property) : null;
    if (underwritten) return underwritten;
    const fallback = maoFallback(await this.zestimate(scope, property.id));
    return fallback ? { low: fallback.low, base: fallback.base, high: fallback.high } : null;
  }

  private async comps(scope: AgentScope, property: IProperty) {
    const candidates = await scope.em.find(
      Property,
      { agent: scope.agentId, id: { $ne: property.id }, state: property.state, city: property.city, price: { $gt: 0 } },
      { limit: 50, orderBy: { updatedAt: 'desc' } },
    );
    return portfolioComps(
      {
        price: property.price ?? null,
        bedrooms: property.bedrooms ?? null,
        bathrooms: property.bathrooms ?? null,
        squareFeet: property.squareFeet ?? null,
      },
      candidates.map((c) => ({
        id: c.id,
        address: c.address,
        price: c.price ?? null,
        bedrooms: c.bedrooms ?? null,
        bathrooms: c.bathrooms ?? null,
        squareFeet: c.squareFeet ?? null,
      })),
    );
  }

  private async pastOffers(scope: AgentScope) {
    const rows = await scope.em.find(
      Offer,
      { agent: scope.agentId, status: { $in: ['accepted', 'rejected'] } },
      { populate: ['property'], limit: 500 },
    );
    return rows
      .filter((o) => o.property.price)
      .map((o) => ({ status: o.status, offerPrice: o.offerPrice, listPrice: o.property.price! }));
  }

  private async thresholds(scope: AgentScope) {
    return learnedThresholds(await this.pastOffers(scope));
  }

  private async property(scope: AgentScope, id: number): Promise<IProperty> {
    const p = await scope.em.findOne(Property, { id, agent: scope.agentId });
    if (!p) throw new NotFoundError('Property', id);
    return p;
  }
}
