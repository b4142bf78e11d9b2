import { z } from 'zod';
import type { IProperty } from '../domain/properties/property.entity.ts';
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

export async function resolveProperty(
  ctx: ToolContext,
  input: { property_id?: number | undefined; property?: string | undefined },
): Promise<IProperty> {
  const ref = input.property_id ?? input.property;
  if (ref === undefined) {
    const last = await ctx.lastPropertyId();
    if (last === null)
      throw new ToolError('Which property do you mean? Give its address or number.', 'property_required');
    return ctx.services.properties.get(ctx.scope, last);
  }
  const { property } = await ctx.services.resolver.resolve(ctx.scope, ref, {
    lastPropertyId: () => ctx.lastPropertyId(),
  });
  return property;
}
