import { z } from 'zod';
import { toPropertyView, type PropertyView } from '../domain/properties/properties.service.ts';
import type { IProperty } from '../domain/properties/property.entity.ts';
import { PropertyNotResolvedError } from '../domain/properties/resolver.ts';
import { NotFoundError } from '../domain/errors.ts';
import { ToolError, type ToolContext } from './registry.ts';

/** How every per-property tool names its property: an id, or words ("141 Elm", "this property"). */
export const propertyRefShape = {
  property_id: z.number().int().positive().optional().describe('Numeric property id; wins over `property`.'),
  property: z
    .string()
    .max(300)
    .optional()
    .describe('The property as said: an address ("one forty one Elm Street"), "property 5", or "this property".'),
};

export type PropertyRef = { property_id?: number | undefined; property?: string | undefined };

async function lastProperty(ctx: ToolContext): Promise<number> {
  const last = await ctx.lastPropertyId();
  if (last === null)
    throw new ToolError('Which property do you mean? Give its address or number.', 'property_required');
  return last;
}

export async function resolveProperty(ctx: ToolContext, input: PropertyRef): Promise<IProperty> {
  const ref = input.property_id ?? input.property;
  if (ref === undefined) return ctx.services.properties.get(ctx.scope, await lastProperty(ctx));
  const { property } = await ctx.services.resolver.resolve(ctx.scope, ref, {
    lastPropertyId: () => ctx.lastPropertyId(),
  });
  return property;
}

/**
 * The same reference, resolved among the agent's listings held in memory (ListingCatalog) when there is a
 * snapshot, else from the database. For read-only answers: what comes back is a view, not an entity.
 */
export async function resolveListing(ctx: ToolContext, input: PropertyRef): Promise<PropertyView> {
  const snapshot = await ctx.services.listings.get(ctx.scope);
  if (!snapshot) return toPropertyView(await resolveProperty(ctx, input));
  const ref = input.property_id ?? input.property ?? (await lastProperty(ctx));
  try {
    const { property } = await ctx.services.resolver.resolveIn(snapshot.source, ref, {
      lastPropertyId: () => ctx.lastPropertyId(),
    });
    return property;
  } catch (err) {
    // Not among the listings read a moment ago: it may be newer (another instance wrote it). Ask the database.
    if (!(err instanceof NotFoundError || err instanceof PropertyNotResolvedError)) throw err;
    return toPropertyView(await resolveProperty(ctx, input));
  }
}
