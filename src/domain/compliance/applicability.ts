import type { ComplianceInput, ComplianceProperty, FieldValue } from './check.types.ts';
import type { ComplianceRule } from './rule.types.ts';

export type Applicability = { kind: 'skip' } | { kind: 'applies' } | { kind: 'unknown'; fields: string[] };

const KNOWN_FIELDS = new Set([
  'id',
  'state',
  'city',
  'property_type',
  'price',
  'year_built',
  'description',
  'bedrooms',
  'bathrooms',
  'square_feet',
  'lot_size',
  'deal_type',
  'financing_type',
]);

/** A property fact by field name: a top-level field, else `attributes[field]`; undefined when absent. */
export function fieldValue(property: ComplianceProperty, field: string): FieldValue | undefined {
  if (KNOWN_FIELDS.has(field)) return (property as unknown as Record<string, FieldValue | undefined>)[field];
  return property.attributes?.[field];
}

export const isUnknown = (v: FieldValue | undefined): v is null | undefined => v === null || v === undefined;

const FIELD_LABELS: Record<string, string> = {
  year_built: 'year built',
  property_type: 'property type',
  price: 'price',
  city: 'city',
  financing_type: 'financing type',
  square_feet: 'square footage',
};

export const fieldLabel = (field: string): string => FIELD_LABELS[field] ?? field.replace(/_/g, ' ');

const sameText = (a: string, b: string): boolean => a.trim().toLowerCase() === b.trim().toLowerCase();

/**
 * Whether a rule applies to the input. A filter on a fact the property lacks gives `unknown` (the
 * rule may apply: a human must look), unless another filter already rules it out.
 */
export function applicability(rule: ComplianceRule, input: ComplianceInput): Applicability {
  const p = input.property;
  const unknown: string[] = [];
  if (!rule.active) return { kind: 'skip' };
  if (input.categories && !input.categories.includes(rule.category)) return { kind: 'skip' };

  const j = rule.jurisdiction;
  if (j.level !== 'federal') {
    if (p.state === null || j.state === null || !sameText(p.state, j.state)) return { kind: 'skip' };
    if (j.city !== null) {
      if (p.city === null || p.city.trim() === '') unknown.push('city');
      else if (!sameText(p.city, j.city)) return { kind: 'skip' };
    }
  }

  if (rule.transaction_types && !rule.transaction_types.includes(input.transaction_type)) return { kind: 'skip' };

  if (rule.financed_only) {
    if (p.financing_type === 'cash') return { kind: 'skip' };
  }

  if (rule.property_types) {
    if (p.property_type === null) unknown.push('property_type');
    else if (!rule.property_types.includes(p.property_type)) return { kind: 'skip' };
  }

  if (rule.min_price !== null || rule.max_price !== null) {
    if (p.price === null) unknown.push('price');
    else if (
      (rule.min_price !== null && p.price < rule.min_price) ||
      (rule.max_price !== null && p.price > rule.max_price)
    )
      return { kind: 'skip' };
  }

  if (rule.min_year_built !== null || rule.max_year_built !== null) {
    if (p.year_built === null) unknown.push('year_built');
    else if (
      (rule.min_year_built !== null && p.year_built < rule.min_year_built) ||
      (rule.max_year_built !== null && p.year_built > rule.max_year_built)
    )
      return { kind: 'skip' };
  }

  return unknown.length ? { kind: 'unknown', fields: unknown } : { kind: 'applies' };
}
