import type { DealType, PropertyType } from '../properties/property.enums.ts';
import type { ContractStatus } from '../contracts/templates/contract-status.ts';
import type { FinancingType } from '../intelligence/shared.ts';
import type { DisclosureKey } from './disclosures.ts';
import type { RuleCategory, Severity, TransactionType } from './rule.types.ts';

export { FINANCING_TYPES, type FinancingType } from '../intelligence/shared.ts';

export type FieldValue = string | number | boolean | null;

/** The property facts a check reads. Unknown facts are null, never guessed. */
export interface ComplianceProperty {
  id: number;
  /** Two-letter state (any case). */
  state: string | null;
  city: string | null;
  property_type: PropertyType | null;
  price: number | null;
  year_built: number | null;
  description?: string | null;
  bedrooms?: number | null;
  bathrooms?: number | null;
  square_feet?: number | null;
  lot_size?: number | null;
  deal_type?: DealType | null;
  /** Unknown (null/absent) financing is treated as possibly financed. */
  financing_type?: FinancingType | null;
  /** Further facts for boolean / required_field rules (e.g. `has_smoke_alarms`). */
  attributes?: Readonly<Record<string, FieldValue>>;
}

/** A contract attached to the property. `type_key` is a disclosure key or a template key. */
export interface ComplianceDocument {
  name: string;
  type_key?: string | null;
  status: ContractStatus;
}

export interface ComplianceInput {
  property: ComplianceProperty;
  documents: readonly ComplianceDocument[];
  transaction_type: TransactionType;
  /** Only check rules of these categories (default: all). */
  categories?: readonly RuleCategory[];
  /** Reserved: the LLM tier lives outside the domain. Without it every ai_review rule needs a human review. */
  llm?: undefined;
}

export interface ComplianceViolation {
  rule: string;
  code: string;
  version: number;
  category: RuleCategory;
  citation: string;
  severity: Severity;
  description: string;
  remediation: string;
  disclosure: DisclosureKey | null;
  expected?: string;
  actual?: string;
}

export interface ComplianceReviewItem {
  rule: string;
  code: string;
  version: number;
  category: RuleCategory | null;
  severity: Severity;
  /** Why a human must look ("year built unknown; lead paint disclosure may be required"). */
  reason: string;
  /** What to check, for ai_review rules. */
  question?: string;
}

export type ComplianceStatus = 'passed' | 'needs_review' | 'failed';

export interface ComplianceCheckResult {
  property_id: number;
  /** No failing violation (warnings and review items do not make a property non-compliant). */
  compliant: boolean;
  status: ComplianceStatus;
  /** Failures: severity critical/high/medium. */
  violations: ComplianceViolation[];
  /** Non-blocking findings: low/info severity violations and caution phrases. */
  warnings: ComplianceViolation[];
  /** What a human must check: ai_review rules, and rules that may apply but lack property facts. */
  needs_review: ComplianceReviewItem[];
  required_disclosures: DisclosureKey[];
  /** Rules that applied (or may apply) to this property and were evaluated. */
  checked_rules: number;
  passed_rules: string[];
  rule_set_version: string;
  voice_summary: string;
}
