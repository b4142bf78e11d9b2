import { z } from 'zod';
import { FINANCING_TYPES } from '../domain/intelligence/shared.ts';
import { formatPrice, parsePrice } from '../domain/shared/money.ts';
import type { PropertyView } from '../domain/properties/properties.service.ts';
import { propertyRefShape, resolveListing, resolveProperty } from './property-ref.ts';
import { defineTool, ToolError, type ToolContext } from './registry.ts';

/**
 * Tools for callers who are not the realtor (the inbound receptionist): they reveal only what a listing
 * would publish and write leads, messages and offers for the agent to act on.
 */

const callerShape = {
  caller_name: z.string().trim().min(1).max(200).optional(),
  caller_phone: z.string().trim().max(40).optional().describe('Defaults to the caller ID'),
};

export type Availability = 'available' | 'under_contract' | 'sold';

async function availabilityOf(ctx: ToolContext, property: PropertyView): Promise<Availability> {
  if (property.status === 'complete') return 'sold';
  const snapshot = await ctx.services.listings.get(ctx.scope);
  const accepted = snapshot
    ? snapshot.underContract.has(property.id)
    : (await ctx.services.offers.list(ctx.scope, property.id)).some((o) => o.status === 'accepted');
  return accepted ? 'under_contract' : 'available';
}

const AVAILABILITY_WORDS: Record<Availability, string> = {
  available: 'is still available',
  under_contract: 'is under contract, but backup offers are welcome',
  sold: 'has sold',
};

export function publicFacts(p: PropertyView, availability: Availability) {
  return {
    id: p.id,
    address: p.address,
    city: p.city,
    state: p.state,
    zip_code: p.zip_code,
    price: p.price,
    bedrooms: p.bedrooms,
    bathrooms: p.bathrooms,
    square_feet: p.square_feet,
    lot_size: p.lot_size,
    year_built: p.year_built,
    property_type: p.property_type,
    description: p.description,
    availability,
  };
}

export const listingInfo = defineTool({
  name: 'listing_info',
  title: 'Listing facts for a caller',
  description:
    'What a buyer may know about a listing: price, bedrooms, bathrooms, square feet, lot, year built, description and whether it is still available. Finds the property from an address as said ("the one on Elm", "141 Elm Street").',
  readOnly: true,
  input: z.strictObject({ ...propertyRefShape }),
  async run(ctx, input) {
    const view = await resolveListing(ctx, input);
    const facts = publicFacts(view, await availabilityOf(ctx, view));
    const parts = [
      facts.price !== null ? `is listed at ${formatPrice(facts.price)}` : null,
      facts.bedrooms !== null ? `${facts.bedrooms} bedrooms` : null,
      facts.bathrooms !== null ? `${facts.bathrooms} bathrooms` : null,
      facts.square_feet !== null ? `${facts.square_feet.toLocaleString('en-US')} square feet` : null,
    ].filter(Boolean);
    const voice = `${facts.address} ${parts.length ? parts.join(', ') : 'is one of our listings'}, and it ${AVAILABILITY_WORDS[facts.availability]}.`;
    return { data: facts, voice_summary: voice, property_id: view.id };
  },
});

export const comparePrice = defineTool({
  name: 'compare_price',
  title: 'How the price compares',
  description:
    'How a listing’s asking price compares with similar homes that sold nearby (median sold price and count).',
  readOnly: true,
  input: z.strictObject({ ...propertyRefShape }),
  async run(ctx, input) {
    const property = await resolveProperty(ctx, input);
    const v = await ctx.services.valuation.valueProperty(ctx.scope, property.id).catch(() => null);
    const prices = (v?.comps ?? []).map((c) => c.price).sort((a, b) => a - b);
    if (!v || !prices.length) {
      return {
        data: { comps: 0 },
        voice_summary: `I don't have enough recent sales near ${property.address} to compare; the agent can walk you through the pricing.`,
        property_id: property.id,
      };
    }
    const median = prices[Math.floor(prices.length / 2)]!;
    const asking = property.price;
    const diff = asking ? (asking - median) / median : null;
    const position =
      diff === null
        ? ''
        : Math.abs(diff) <= 0.05
          ? `, so the asking price of ${formatPrice(asking!)} is within 5 percent of the market`
          : `, so the asking price of ${formatPrice(asking!)} is ${Math.round(Math.abs(diff) * 100)} percent ${diff > 0 ? 'above' : 'below'} that`;
    return {
      data: { comps: prices.length, median_sale_price: median, asking_price: asking, difference: diff },
      voice_summary: `${prices.length} comparable homes sold nearby at a median of ${formatPrice(median)}${position}.`,
      property_id: property.id,
    };
  },
});

/** Finds the caller's contact by phone, or creates one; fills in a name when one is given. */
async function upsertCaller(
  ctx: ToolContext,
  c: { name?: string; phone?: string; propertyId: number | null; role: 'buyer' | 'other'; notes?: string },
): Promise<{ id: number; name: string } | null> {
  if (!c.phone && !c.name) return null;
  const existing = c.phone ? await ctx.services.contacts.findByPhone(ctx.scope, c.phone) : null;
  if (existing) {
    const updated = await ctx.services.contacts.update(ctx.scope, existing.id, {
      ...(c.name && existing.name === 'Caller' ? { name: c.name } : {}),
      ...(existing.property_id === null && c.propertyId ? { property_id: c.propertyId } : {}),
      ...(c.notes ? { notes: [existing.notes, c.notes].filter(Boolean).join('\n') } : {}),
    });
    return { id: updated.id, name: updated.name };
  }
  const created = await ctx.services.contacts.create(ctx.scope, {
    name: c.name ?? 'Caller',
    phone: c.phone ?? null,
    role: c.role,
    property_id: c.propertyId,
    notes: c.notes ?? null,
  });
  return { id: created.id, name: created.name };
}

async function optionalProperty(
  ctx: ToolContext,
  input: { property_id?: number | undefined; property?: string | undefined },
) {
  if (input.property_id === undefined && input.property === undefined && (await ctx.lastPropertyId()) === null) {
    return null;
  }
  return resolveProperty(ctx, input);
}

export const takeMessage = defineTool({
  name: 'take_message',
  title: 'Take a message',
  description:
    'Take a message for the agent: who called, their number and what they want. The agent gets a high-priority call-back task (within the hour) and a notification.',
  input: z.strictObject({
    ...callerShape,
    message: z.string().trim().min(1).max(2_000),
    ...propertyRefShape,
  }),
  async run(ctx, input) {
    const property = await optionalProperty(ctx, input);
    const who = input.caller_name ?? 'A caller';
    const contact = await upsertCaller(ctx, {
      name: input.caller_name,
      phone: input.caller_phone,
      propertyId: property?.id ?? null,
      role: property ? 'buyer' : 'other',
    });
    const about = property ? ` about ${property.address}` : '';
    const text = `${who}${input.caller_phone ? ` (${input.caller_phone})` : ''} called${about}: ${input.message}`;
    const task = await ctx.services.tasks.create(
      ctx.scope,
      {
        task_type: 'follow_up',
        title: `Call back ${who}`.slice(0, 200),
        description: text,
        scheduled_at: new Date(Date.now() + 60 * 60_000).toISOString(),
        property_id: property?.id ?? null,
        contact_id: contact?.id ?? null,
      },
      { createdBy: 'receptionist' },
    );
    await ctx.services.notifications.create(ctx.scope, {
      type: 'new_lead',
      priority: 'high',
      title: `Message from ${who}`,
      message: text,
      propertyId: property?.id ?? null,
      contactId: contact?.id ?? null,
    });
    if (property) await ctx.services.notes.add(ctx.scope, property.id, { content: text, source: 'phone_call' });
    return {
      data: { task_id: task.id, contact_id: contact?.id ?? null, property_id: property?.id ?? null },
      voice_summary: 'I’ve passed your message on, and you’ll get a call back within the hour.',
      property_id: property?.id ?? null,
    };
  },
});

export const createLead = defineTool({
  name: 'create_lead',
  title: 'Create or update a lead',
  description:
    'Save the caller as a lead (by phone number; an existing contact is updated), with what they told you: buying, selling or renting, budget, timeline, pre-approval and lender, whether they already work with an agent.',
  input: z.strictObject({
    ...callerShape,
    ...propertyRefShape,
    transaction_type: z.enum(['buying', 'selling', 'renting']).optional(),
    budget_max: z.union([z.number().positive(), z.string().max(40)]).optional(),
    timeline: z.string().max(200).optional(),
    pre_approved: z.boolean().optional(),
    lender: z.string().max(200).optional(),
    has_agent: z.boolean().optional(),
  }),
  async run(ctx, input) {
    const property = await optionalProperty(ctx, input);
    const budget = input.budget_max === undefined ? undefined : parsePrice(input.budget_max);
    const facts = [
      input.transaction_type && `Interested in ${input.transaction_type}`,
      budget && `budget up to ${formatPrice(budget)}`,
      input.timeline && `timeline: ${input.timeline}`,
      input.pre_approved !== undefined && (input.pre_approved ? 'pre-approved' : 'not pre-approved yet'),
      input.lender && `lender: ${input.lender}`,
      input.has_agent !== undefined && (input.has_agent ? 'already works with an agent' : 'no agent yet'),
    ].filter(Boolean);
    const contact = await upsertCaller(ctx, {
      name: input.caller_name,
      phone: input.caller_phone,
      propertyId: property?.id ?? null,
      role: 'buyer',
      notes: facts.length ? `Phone lead: ${facts.join('; ')}.` : undefined,
    });
    if (!contact) throw new ToolError('I need a name or a phone number for the lead.', 'caller_required');
    await ctx.services.notifications.create(ctx.scope, {
      type: 'new_lead',
      priority: 'medium',
      title: `New lead: ${contact.name}`,
      message: facts.length ? facts.join('; ') : 'Called the office line.',
      propertyId: property?.id ?? null,
      contactId: contact.id,
      dedupeKey: `lead:${contact.id}:${new Date().toISOString().slice(0, 10)}`,
    });
    return {
      data: { contact_id: contact.id, facts },
      voice_summary: 'Thanks, I’ve noted that for the agent.',
      property_id: property?.id ?? null,
    };
  },
});

export const takeOffer = defineTool({
  name: 'take_offer',
  title: 'Take an offer from a caller',
  description:
    'Record a caller’s offer on a listing as a lead for the agent to review (amount as said: "820 thousand"). It is not accepted on the phone.',
  input: z.strictObject({
    ...callerShape,
    ...propertyRefShape,
    amount: z.union([z.number().positive(), z.string().min(1).max(60)]),
    financing_type: z.enum(FINANCING_TYPES).optional(),
    closing_days: z.number().int().min(1).max(365).optional(),
  }),
  async run(ctx, input) {
    const property = await resolveProperty(ctx, input);
    const amount = parsePrice(input.amount);
    if (!amount) throw new ToolError('What amount would you like to offer?', 'amount_required');
    const contact = await upsertCaller(ctx, {
      name: input.caller_name,
      phone: input.caller_phone,
      propertyId: property.id,
      role: 'buyer',
    });
    const offer = await ctx.services.offers.create(ctx.scope, property.id, {
      offer_price: amount,
      buyer_contact_id: contact?.id ?? null,
      financing_type: input.financing_type ?? null,
      closing_days: input.closing_days ?? null,
      contingencies: [],
    });
    return {
      data: { offer_id: offer.id, contact_id: contact?.id ?? null, amount },
      voice_summary: `I’ve recorded your offer of ${formatPrice(amount)} on ${property.address}; the agent will review it and call you back.`,
      property_id: property.id,
    };
  },
});

export const receptionTools = [listingInfo, comparePrice, takeMessage, createLead, takeOffer];
