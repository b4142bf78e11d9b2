import type {
  ComplianceDocument,
  ComplianceInput,
  ComplianceProperty,
} from '../../../src/domain/compliance/check.types.ts';

export const property = (over: Partial<ComplianceProperty> = {}): ComplianceProperty => ({
  id: 12,
  state: 'TX',
  city: 'Austin',
  property_type: 'house',
  price: 450_000,
  year_built: 1962,
  description: 'Three bedroom ranch with a big back yard, close to parks and schools.',
  bedrooms: 3,
  square_feet: 1_650,
  ...over,
});

export const input = (
  over: Partial<ComplianceProperty> = {},
  documents: readonly ComplianceDocument[] = [],
  rest: Partial<Omit<ComplianceInput, 'property' | 'documents'>> = {},
): ComplianceInput => ({ property: property(over), documents, transaction_type: 'sale', ...rest });

export const doc = (name: string, status: ComplianceDocument['status'] = 'completed', type_key?: string) =>
  type_key === undefined ? { name, status } : { name, status, type_key };

/** Completed documents that satisfy every TX document rule for a pre-1978 house. */
export const TX_COMPLETE_DOCS: ComplianceDocument[] = [
  doc("Seller's Disclosure Notice"),
  doc('Lead-Based Paint Addendum', 'pending_signature'),
  doc('Information About Brokerage Services', 'in_progress'),
  doc('One to Four Family Residential Contract (Resale)'),
];
