import { z } from 'zod';
import { Agent } from '../agents/agent.entity.ts';
import { Contact } from '../contacts/contact.entity.ts';
import { ConflictError, NotFoundError } from '../errors.ts';
import { ACTIVE_OFFER_STATUSES, FINANCING_TYPES, type OfferStatus } from '../intelligence/shared.ts';
import type { MaoRange } from '../intelligence/offer-pricing.ts';
import type { NotificationsService } from '../notifications/notifications.service.ts';
import type { PipelineService } from '../pipeline/pipeline.service.ts';
import { Property, type IProperty } from '../properties/property.entity.ts';
import type { AgentScope } from '../shared/scope.ts';
import type { OfferAnalysisService } from './offer-analysis.service.ts';
import { Offer, type IOffer } from './offer.entity.ts';

const money = z.number().finite().positive().max(10_000_000_000);

export const OfferCreateSchema = z.strictObject({
  offer_price: money,
  buyer_contact_id: z.number().int().positive().nullable().optional(),
  earnest_money: z.number().finite().nonnegative().max(1_000_000_000).nullable().optional(),
  financing_type: z.enum(FINANCING_TYPES).nullable().optional(),
  closing_days: z.number().int().min(1).max(365).nullable().optional(),
  contingencies: z.array(z.string().trim().min(1).max(60)).max(20).default([]),
  notes: z.string().max(5_000).nullable().optional(),
  expires_at: z.iso.datetime({ offset: true }).nullable().optional(),
  is_our_offer: z.boolean().default(false),
});
export type OfferCreateInput = z.input<typeof OfferCreateSchema>;

export const OfferCounterSchema = OfferCreateSchema.omit({ is_our_offer: true, buyer_contact_id: true })
  .partial()
  .extend({
    offer_price: money,
  });

export interface OfferView {
  id: number;
  property_id: number;
  buyer_contact_id: number | null;
  parent_offer_id: number | null;
  offer_price: number;
  earnest_money: number | null;
  financing_type: IOffer['financingType'] | null;
  closing_days: number | null;
  contingencies: string[];
  notes: string | null;
  status: OfferStatus;
  is_our_offer: boolean;
  mao: MaoRange | null;
  submitted_at: string | null;
  expires_at: string | null;
  responded_at: string | null;
  created_at: string;
}

export function toOfferView(o: IOffer): OfferView {
  return {
    id: o.id,
    property_id: o.property.id,
    buyer_contact_id: o.buyerContact?.id ?? null,
    parent_offer_id: o.parentOfferId ?? null,
    offer_price: o.offerPrice,
    earnest_money: o.earnestMoney ?? null,
    financing_type: o.financingType ?? null,
    closing_days: o.closingDays ?? null,
    contingencies: o.contingencies ?? [],
    notes: o.notes ?? null,
    status: o.status,
    is_our_offer: o.isOurOffer,
    mao: o.maoBase != null ? { low: o.maoLow!, base: o.maoBase, high: o.maoHigh! } : null,
    submitted_at: o.submittedAt?.toISOString() ?? null,
    expires_at: o.expiresAt?.toISOString() ?? null,
    responded_at: o.respondedAt?.toISOString() ?? null,
    created_at: o.createdAt.toISOString(),
  };
}

/** Offers and negotiation: the counter chain, acceptance side effects, analysis with MAO and comps. */
export class OffersService {
  constructor(
    private readonly notifications: NotificationsService,
    private readonly pipeline: PipelineService,
    private readonly analysis: OfferAnalysisService,
  ) {}

  async create(scope: AgentScope, propertyId: number, raw: OfferCreateInput, now = new Date()): Promise<OfferView> {
    const input = OfferCreateSchema.parse(raw);
    const property = await this.property(scope, propertyId);
    const buyer = input.buyer_contact_id ? await this.contact(scope, input.buyer_contact_id) : null;
    const mao = await this.analysis.mao(scope, property);
    const offer = scope.em.create(Offer, {
      agent: scope.em.getReference(Agent, scope.agentId),
      property,
      buyerContact: buyer,
      offerPrice: input.offer_price,
      earnestMoney: input.earnest_money ?? null,
      financingType: input.financing_type ?? null,
      closingDays: input.closing_days ?? null,
      contingencies: input.contingencies,
      notes: input.notes ?? null,
      status: 'submitted',
      isOurOffer: input.is_our_offer,
      maoLow: mao?.low ?? null,
      maoBase: mao?.base ?? null,
      maoHigh: mao?.high ?? null,
      submittedAt: now,
      expiresAt: input.expires_at ? new Date(input.expires_at) : null,
    });
    await scope.em.flush();
    if (!input.is_our_offer) {
      await this.notifications.create(scope, {
        type: 'offer_received',
        priority: 'high',
        title: `Offer on ${property.address}`,
        message: `${buyer?.name ?? 'A buyer'} offered $${input.offer_price.toLocaleString('en-US')} for ${property.address}.`,
        propertyId: property.id,
        contactId: buyer?.id ?? null,
        data: { offer_id: offer.id },
      });
    }
    return toOfferView(offer);
  }

  async list(scope: AgentScope, propertyId: number): Promise<OfferView[]> {
    await this.property(scope, propertyId);
    const rows = await scope.em.find(
      Offer,
      { agent: scope.agentId, property: propertyId },
      { orderBy: { createdAt: 'asc', id: 'asc' } },
    );
    return rows.map(toOfferView);
  }

  async get(scope: AgentScope, id: number): Promise<IOffer> {
    const offer = await scope.em.findOne(Offer, { id, agent: scope.agentId });
    if (!offer) throw new NotFoundError('Offer', id);
    return offer;
  }

  /** The chain an offer belongs to, first offer first. */
  async chain(scope: AgentScope, id: number): Promise<OfferView[]> {
    let offer = await this.get(scope, id);
    while (offer.parentOfferId) offer = await this.get(scope, offer.parentOfferId);
    const out: IOffer[] = [offer];
    for (;;) {
      const next = await scope.em.findOne(Offer, { agent: scope.agentId, parentOfferId: out[out.length - 1]!.id });
      if (!next) break;
      out.push(next);
    }
    return out.map(toOfferView);
  }

  /** Counters a live offer: it becomes `countered`, and the counter (from the other side) is submitted. */
  async counter(
    scope: AgentScope,
    id: number,
    raw: z.input<typeof OfferCounterSchema>,
    now = new Date(),
  ): Promise<OfferView> {
    const input = OfferCounterSchema.parse(raw);
    const original = await this.live(scope, id);
    original.status = 'countered';
    original.respondedAt = now;
    const counter = scope.em.create(Offer, {
      agent: scope.em.getReference(Agent, scope.agentId),
      property: original.property,
      buyerContact: original.buyerContact ?? null,
      parentOfferId: original.id,
      offerPrice: input.offer_price,
      earnestMoney: input.earnest_money ?? original.earnestMoney ?? null,
      financingType: input.financing_type ?? original.financingType ?? null,
      closingDays: input.closing_days ?? original.closingDays ?? null,
      contingencies: input.contingencies ?? original.contingencies ?? [],
      notes: input.notes ?? null,
      status: 'submitted',
      isOurOffer: !original.isOurOffer,
      maoLow: original.maoLow ?? null,
      maoBase: original.maoBase ?? null,
      maoHigh: original.maoHigh ?? null,
      submittedAt: now,
      expiresAt: input.expires_at ? new Date(input.expires_at) : null,
    });
    await scope.em.flush();
    return toOfferView(counter);
  }

  /**
   * Accepts a live offer: competing live offers on the property are rejected, and the property
   * moves to waiting for contracts (unless it is complete).
   */
  async accept(
    scope: AgentScope,
    id: number,
    now = new Date(),
  ): Promise<{ offer: OfferView; rejected_competing: number[] }> {
    const offer = await this.live(scope, id);
    offer.status = 'accepted';
    offer.respondedAt = now;
    // The earlier offers of its own chain stay `countered`; every other live offer competes.
    const chain = (await this.chain(scope, offer.id)).map((o) => o.id);
    const competing = await scope.em.find(Offer, {
      agent: scope.agentId,
      property: offer.property.id,
      id: { $nin: chain },
      status: { $in: [...ACTIVE_OFFER_STATUSES] },
    });
    for (const c of competing) {
      c.status = 'rejected';
      c.respondedAt = now;
      c.notes = [c.notes, `Rejected: offer #${offer.id} was accepted.`].filter(Boolean).join('\n');
    }
    await scope.em.flush();
    const property = await this.property(scope, offer.property.id);
    if (property.status !== 'complete' && property.status !== 'waiting_for_contracts') {
      await this.pipeline.advance(scope, property, 'waiting_for_contracts', `offer #${offer.id} was accepted`, now);
    }
    await this.notifications.create(scope, {
      type: 'offer_update',
      priority: 'high',
      title: `Offer accepted on ${property.address}`,
      message: `Offer #${offer.id} at $${offer.offerPrice.toLocaleString('en-US')} was accepted${competing.length ? `; ${competing.length} competing offer(s) rejected` : ''}.`,
      propertyId: property.id,
      data: { offer_id: offer.id, rejected: competing.map((c) => c.id) },
    });
    return { offer: toOfferView(offer), rejected_competing: competing.map((c) => c.id) };
  }

  async respond(scope: AgentScope, id: number, status: 'rejected' | 'withdrawn', now = new Date()): Promise<OfferView> {
    const offer = await this.live(scope, id);
    offer.status = status;
    offer.respondedAt = now;
    await scope.em.flush();
    return toOfferView(offer);
  }

  /** Live offers past their expiry become `expired`. Idempotent; run by the due-task job. */
  async expireDue(scope: AgentScope, now = new Date()): Promise<number> {
    return scope.em.nativeUpdate(
      Offer,
      { agent: scope.agentId, status: { $in: [...ACTIVE_OFFER_STATUSES] }, expiresAt: { $lte: now } },
      { status: 'expired', respondedAt: now },
    );
  }

  private async live(scope: AgentScope, id: number): Promise<IOffer> {
    const offer = await this.get(scope, id);
    if (!ACTIVE_OFFER_STATUSES.includes(offer.status)) {
      throw new ConflictError(`Offer ${id} is ${offer.status}; only submitted offers can be answered`, {
        status: offer.status,
      });
    }
    if (offer.status === 'countered')
      throw new ConflictError(`Offer ${id} was already countered; answer the counter offer`);
    return offer;
  }

  private async property(scope: AgentScope, id: number): Promise<IProperty> {
    const p = await scope.em.findOne(Property, { id, agent: scope.agentId });
    if (!p) throw new NotFoundError('Property', id);
    return p;
  }

  private async contact(scope: AgentScope, id: number) {
    const c = await scope.em.findOne(Contact, { id, agent: scope.agentId });
    if (!c) throw new NotFoundError('Contact', id);
    return c;
  }
}
