import { z } from 'zod';
import { spokenToAddress } from '../domain/properties/address.ts';
import { DEAL_TYPES, PROPERTY_STAGES, PROPERTY_TYPES, STAGE_LABELS } from '../domain/properties/property.enums.ts';
import {
  PropertyCreateSchema,
  PropertyListQuerySchema,
  PropertyUpdateSchema,
} from '../domain/properties/property.schemas.ts';
import type { PropertyView } from '../domain/properties/properties.service.ts';
import { formatPrice, parsePrice } from '../domain/shared/money.ts';
import { propertyRefShape, resolveProperty } from './property-ref.ts';
import { defineTool, ToolError } from './registry.ts';

const price = z
  .union([z.number(), z.string().max(60)])
  .describe('Price in dollars: 850000, "$850,000", "850k" or "850 thousand".');

function readPrice(v: number | string | undefined, field = 'price'): number | undefined {
  if (v === undefined) return undefined;
  const n = parsePrice(v);
  if (n === null)
    throw new ToolError(
      `I could not understand the ${field} "${v}". Say it as a number of dollars.`,
      'invalid_arguments',
    );
  return n;
}

/** Addresses said aloud ("one forty one elm street") are written down as addresses ("141 Elm St"). */
function writtenAddress(address: string): string {
  return /\d/.test(address) ? address.trim() : spokenToAddress(address);
}

export function describeProperty(p: PropertyView): string {
  const parts: string[] = [];
  if (p.bedrooms !== null) parts.push(`${p.bedrooms}-bed`);
  if (p.bathrooms !== null) parts.push(`${p.bathrooms}-bath`);
  const kind = [parts.join(', '), p.property_type].filter(Boolean).join(' ');
  const size = p.square_feet !== null ? ` of ${p.square_feet.toLocaleString('en-US')} square feet` : '';
  const listed = p.price !== null ? ` listed at ${formatPrice(p.price)}` : '';
  return `Property #${p.id} at ${p.address}, ${p.city} is a ${kind}${size}${listed}. It is in the ${STAGE_LABELS[p.status]} stage.`;
}

const propertyFields = {
  title: z.string().max(300).optional(),
  description: z.string().max(10_000).optional(),
  zip_code: z.string().max(10).optional(),
  bedrooms: z.number().int().min(0).max(100).optional(),
  bathrooms: z.number().min(0).max(100).optional(),
  square_feet: z.number().int().min(1).max(10_000_000).optional(),
  lot_size: z.number().min(0).optional(),
  year_built: z.number().int().optional(),
  property_type: z.enum(PROPERTY_TYPES).optional(),
  deal_type: z.enum(DEAL_TYPES).optional(),
};

export const listProperties = defineTool({
  name: 'list_properties',
  title: 'List properties',
  description:
    'List the agent’s properties with optional filters ("all condos under 500k in Miami"). Returns up to `limit` properties.',
  readOnly: true,
  input: z.strictObject({
    status: z.enum(PROPERTY_STAGES).optional(),
    property_type: z.enum(PROPERTY_TYPES).optional(),
    city: z.string().max(100).optional(),
    min_price: price.optional(),
    max_price: price.optional(),
    bedrooms: z.number().int().min(0).max(100).optional().describe('Minimum bedrooms'),
    query: z.string().max(200).optional().describe('Free text matched against address, city and title'),
    limit: z.number().int().min(1).max(50).default(10),
  }),
  async run(ctx, input) {
    const q = PropertyListQuerySchema.parse({
      status: input.status,
      property_type: input.property_type,
      city: input.city,
      min_price: readPrice(input.min_price, 'minimum price'),
      max_price: readPrice(input.max_price, 'maximum price'),
      bedrooms: input.bedrooms,
      q: input.query,
      limit: input.limit,
      include_heartbeat: 'false',
    });
    const page = await ctx.services.properties.list(ctx.scope, q);
    const shown = page.items
      .slice(0, 3)
      .map((p) => `#${p.id} ${p.address}${p.price !== null ? ` at ${formatPrice(p.price)}` : ''}`);
    const more = page.total > shown.length ? `, and ${page.total - shown.length} more` : '';
    const voice =
      page.total === 0
        ? 'No properties match that.'
        : `You have ${page.total} ${page.total === 1 ? 'property' : 'properties'} matching: ${shown.join('; ')}${more}.`;
    // A single match becomes the property "it" refers to next ("tell me more about it").
    return { data: page, voice_summary: voice, property_id: page.total === 1 ? page.items[0]!.id : null };
  },
});

export const getProperty = defineTool({
  name: 'get_property',
  title: 'Get a property',
  description: 'Look up one property by id, by address as spoken, or "this property" from the conversation.',
  readOnly: true,
  input: z.strictObject({ ...propertyRefShape }),
  async run(ctx, input) {
    const property = await resolveProperty(ctx, input);
    const view = await ctx.services.properties.getView(ctx.scope, property.id, true);
    return { data: view, voice_summary: describeProperty(view), property_id: view.id };
  },
});

export const createProperty = defineTool({
  name: 'create_property',
  title: 'Create a property',
  description:
    'Create a listing ("create a property at 123 Main St for 850 thousand"). Needs the street address, city and state; a duplicate address is refused with the existing id.',
  input: z.strictObject({
    address: z.string().min(3).max(300).describe('Street address, written or as spoken'),
    city: z.string().max(100).optional(),
    state: z.string().max(2).optional().describe('Two-letter state code'),
    price: price.optional(),
    ...propertyFields,
  }),
  async run(ctx, input) {
    const { address, city, state, price: rawPrice, ...rest } = input;
    const written = writtenAddress(address);
    if (!city || !state) {
      throw new ToolError(`Which city and state is ${written} in?`, 'city_and_state_required', { address: written });
    }
    const data = PropertyCreateSchema.parse({ ...rest, address: written, city, state, price: readPrice(rawPrice) });
    const view = await ctx.services.properties.create(ctx.scope, data);
    const at = view.price !== null ? ` for ${formatPrice(view.price)}` : '';
    return {
      data: view,
      voice_summary: `Created property #${view.id} at ${view.address}, ${view.city}${at}.`,
      property_id: view.id,
    };
  },
});

export const updateProperty = defineTool({
  name: 'update_property',
  title: 'Update a property',
  description: 'Change fields of a property: price, status (pipeline stage), beds, baths, square feet and so on.',
  input: z.strictObject({
    ...propertyRefShape,
    address: z.string().min(3).max(300).optional(),
    city: z.string().max(100).optional(),
    state: z.string().max(2).optional(),
    price: price.optional(),
    status: z.enum(PROPERTY_STAGES).optional(),
    ...propertyFields,
  }),
  async run(ctx, input) {
    const { property_id: _id, property: _ref, price: rawPrice, address, ...rest } = input;
    const property = await resolveProperty(ctx, input);
    const changes = PropertyUpdateSchema.parse({
      ...rest,
      ...(address !== undefined ? { address: writtenAddress(address) } : {}),
      ...(rawPrice !== undefined ? { price: readPrice(rawPrice) } : {}),
    });
    const view = await ctx.services.properties.update(ctx.scope, property.id, changes);
    const said = Object.keys(changes).map((k) => {
      const v = (view as unknown as Record<string, unknown>)[k];
      return `${k.replace(/_/g, ' ')} to ${k === 'price' && typeof v === 'number' ? formatPrice(v) : String(v)}`;
    });
    return { data: view, voice_summary: `Updated property #${view.id}: ${said.join(', ')}.`, property_id: view.id };
  },
});

export const deleteProperty = defineTool({
  name: 'delete_property',
  title: 'Delete a property',
  description: 'Delete a property with its notes and contacts. Requires confirm: true.',
  input: z.strictObject({ ...propertyRefShape, confirm: z.literal(true).describe('Must be true') }),
  async run(ctx, input) {
    const property = await resolveProperty(ctx, input);
    const view = await ctx.services.properties.delete(ctx.scope, property.id);
    return { data: view, voice_summary: `Deleted property #${view.id} at ${view.address}.`, property_id: view.id };
  },
});

export const propertyHeartbeat = defineTool({
  name: 'property_heartbeat',
  title: 'Property heartbeat',
  description:
    'Pipeline stage, checklist, health (healthy, stale or blocked), days in stage and the next action for a property.',
  readOnly: true,
  input: z.strictObject({ ...propertyRefShape }),
  async run(ctx, input) {
    const property = await resolveProperty(ctx, input);
    const heartbeat = await ctx.services.properties.heartbeat(ctx.scope, property.id);
    return { data: heartbeat, voice_summary: heartbeat.voice_summary, property_id: property.id };
  },
});

export const propertyTools = [
  listProperties,
  getProperty,
  createProperty,
  updateProperty,
  deleteProperty,
  propertyHeartbeat,
];
