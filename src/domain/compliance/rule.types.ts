import { z } from 'zod';
import { PROPERTY_TYPES, type PropertyType } from '../properties/property.enums.ts';
import { US_STATE_CODES, type UsStateCode } from '../shared/us-states.ts';
import { DISCLOSURE_KEYS, type DisclosureKey } from './disclosures.ts';

export const SEVERITIES = ['critical', 'high', 'medium', 'low', 'info'] as const;
export type Severity = (typeof SEVERITIES)[number];

export const RULE_TYPES = ['required_field', 'threshold', 'document', 'boolean', 'list_check', 'ai_review'] as const;
export type RuleType = (typeof RULE_TYPES)[number];

export const RULE_CATEGORIES = [
  'disclosure',
  'safety',
  'building_code',
  'zoning',
  'environmental',
  'fair_housing',
  'lending',
  'agency',
  'documentation',
] as const;
export type RuleCategory = (typeof RULE_CATEGORIES)[number];

export const JURISDICTION_LEVELS = ['federal', 'state', 'city'] as const;
export type JurisdictionLevel = (typeof JURISDICTION_LEVELS)[number];

export const TRANSACTION_TYPES = ['sale', 'lease'] as const;
export type TransactionType = (typeof TRANSACTION_TYPES)[number];

export const THRESHOLD_OPS = ['<', '<=', '>', '>=', '==', '!='] as const;
export type ThresholdOp = (typeof THRESHOLD_OPS)[number];

/** The residential property types (dwellings); `land` and `commercial` are not dwellings. */
export const RESIDENTIAL_TYPES = [
  'house',
  'apartment',
  'condo',
  'townhouse',
] as const satisfies readonly PropertyType[];

export interface Jurisdiction {
  level: JurisdictionLevel;
  /** Two-letter state for state and city rules; null for federal rules. */
  state: UsStateCode | null;
  /** City for city rules (matched case-insensitively); null otherwise. */
  city: string | null;
}

/** A document that satisfies a rule: a contract whose type_key is `type_key` or one of `template_keys`, or whose name contains one of `names` (whole words, case-insensitive). */
export interface DocumentRequirement {
  type_key: DisclosureKey;
  names: readonly string[];
  template_keys: readonly string[];
}

export interface PhraseEntry {
  phrase: string;
  /** prohibited ⇒ violation; caution ⇒ warning for human review. */
  level: 'prohibited' | 'caution';
  /** Protected class (or other basis) the phrase signals. */
  basis: string;
}

interface RuleBase {
  /** Stable identifier, e.g. `TX-SELLERS-DISCLOSURE`. A changed rule keeps its code and bumps `version`. */
  code: string;
  version: number;
  /** Display name used as `rule` in violations. */
  name: string;
  /** Short spoken noun phrase used in voice summaries ("the Texas seller's disclosure notice"). */
  topic: string;
  jurisdiction: Jurisdiction;
  category: RuleCategory;
  citation: string;
  severity: Severity;
  description: string;
  remediation: string;
  disclosure: DisclosureKey | null;
  /** Filters: null = no filter. Year bounds are inclusive. */
  property_types: readonly PropertyType[] | null;
  transaction_types: readonly TransactionType[] | null;
  min_price: number | null;
  max_price: number | null;
  min_year_built: number | null;
  max_year_built: number | null;
  /** Only when the purchase is (or may be) financed: skipped for cash deals. */
  financed_only: boolean;
  active: boolean;
}

export interface RequiredFieldRule extends RuleBase {
  rule_type: 'required_field';
  field: string;
}

/** Triggered when `property[field] op value` holds; then a violation unless `document` is satisfied. */
export interface ThresholdRule extends RuleBase {
  rule_type: 'threshold';
  field: string;
  op: ThresholdOp;
  value: number;
  document: DocumentRequirement | null;
}

export interface DocumentRule extends RuleBase {
  rule_type: 'document';
  document: DocumentRequirement;
}

/** `property[field]` (or `property.attributes[field]`) must equal `expected`. */
export interface BooleanRule extends RuleBase {
  rule_type: 'boolean';
  field: string;
  expected: boolean;
}

/** Scans a text field for listed phrases (forbidden_phrases) or checks a value against a list (allowed_values). */
export type ListCheckRule = RuleBase & { rule_type: 'list_check'; field: string } & (
    | { mode: 'forbidden_phrases'; phrases: readonly PhraseEntry[] }
    | { mode: 'allowed_values'; values: readonly string[] }
  );

/** Needs judgement: an LLM verdict, or without one a human review of `review_prompt`. */
export interface AiReviewRule extends RuleBase {
  rule_type: 'ai_review';
  review_prompt: string;
}

export type ComplianceRule =
  RequiredFieldRule | ThresholdRule | DocumentRule | BooleanRule | ListCheckRule | AiReviewRule;

// ---- zod schemas (for rules stored or edited outside the seed) ----

const documentSchema = z.object({
  type_key: z.enum(DISCLOSURE_KEYS),
  names: z.array(z.string().min(1)).min(1),
  template_keys: z.array(z.string().min(1)),
});

const baseSchema = z.object({
  code: z.string().regex(/^[A-Z0-9]+(-[A-Z0-9]+)*$/),
  version: z.number().int().positive(),
  name: z.string().min(1),
  topic: z.string().min(1),
  jurisdiction: z.object({
    level: z.enum(JURISDICTION_LEVELS),
    state: z.enum(US_STATE_CODES).nullable(),
    city: z.string().min(1).nullable(),
  }),
  category: z.enum(RULE_CATEGORIES),
  citation: z.string().min(1),
  severity: z.enum(SEVERITIES),
  description: z.string().min(1),
  remediation: z.string().min(1),
  disclosure: z.enum(DISCLOSURE_KEYS).nullable(),
  property_types: z.array(z.enum(PROPERTY_TYPES)).min(1).nullable(),
  transaction_types: z.array(z.enum(TRANSACTION_TYPES)).min(1).nullable(),
  min_price: z.number().nonnegative().nullable(),
  max_price: z.number().nonnegative().nullable(),
  min_year_built: z.number().int().nullable(),
  max_year_built: z.number().int().nullable(),
  financed_only: z.boolean(),
  active: z.boolean(),
});

const fieldName = z.string().regex(/^[a-z_][a-z0-9_]*$/);

export const ComplianceRuleSchema = z
  .union([
    baseSchema.extend({ rule_type: z.literal('required_field'), field: fieldName }),
    baseSchema.extend({
      rule_type: z.literal('threshold'),
      field: fieldName,
      op: z.enum(THRESHOLD_OPS),
      value: z.number(),
      document: documentSchema.nullable(),
    }),
    baseSchema.extend({ rule_type: z.literal('document'), document: documentSchema }),
    baseSchema.extend({ rule_type: z.literal('boolean'), field: fieldName, expected: z.boolean() }),
    baseSchema.extend({
      rule_type: z.literal('list_check'),
      field: fieldName,
      mode: z.literal('forbidden_phrases'),
      phrases: z
        .array(z.object({ phrase: z.string().min(2), level: z.enum(['prohibited', 'caution']), basis: z.string() }))
        .min(1),
    }),
    baseSchema.extend({
      rule_type: z.literal('list_check'),
      field: fieldName,
      mode: z.literal('allowed_values'),
      values: z.array(z.string()).min(1),
    }),
    baseSchema.extend({ rule_type: z.literal('ai_review'), review_prompt: z.string().min(1) }),
  ])
  .superRefine((rule, ctx) => {
    const j = rule.jurisdiction;
    if ((j.level === 'federal') !== (j.state === null)) {
      ctx.addIssue({ code: 'custom', message: 'federal rules have no state; state and city rules have one' });
    }
    if ((j.level === 'city') !== (j.city !== null)) {
      ctx.addIssue({ code: 'custom', message: 'only city rules have a city' });
    }
    if (rule.min_price !== null && rule.max_price !== null && rule.min_price > rule.max_price) {
      ctx.addIssue({ code: 'custom', message: 'min_price > max_price' });
    }
    if (rule.min_year_built !== null && rule.max_year_built !== null && rule.min_year_built > rule.max_year_built) {
      ctx.addIssue({ code: 'custom', message: 'min_year_built > max_year_built' });
    }
  });
