import { z } from 'zod';
import type { ContactRole } from '../../contacts/contact.entity.ts';
import { DEAL_TYPES, PROPERTY_TYPES, type DealType, type PropertyType } from '../../properties/property.enums.ts';
import { US_STATE_CODES, type UsStateCode } from '../../shared/us-states.ts';
import { DISCLOSURE_KEYS, type DisclosureKey } from '../../compliance/disclosures.ts';

export const TEMPLATE_REQUIREMENTS = ['required', 'recommended'] as const;
export type TemplateRequirement = (typeof TEMPLATE_REQUIREMENTS)[number];

/** Who demands the template; drives the wording of match reasons. */
export const TEMPLATE_AUTHORITIES = ['state', 'federal', 'deal_type', 'best_practice'] as const;
export type TemplateAuthority = (typeof TEMPLATE_AUTHORITIES)[number];

export const SIGNING_ORDERS = ['sequential', 'parallel'] as const;
export type SigningOrder = (typeof SIGNING_ORDERS)[number];

export interface ContractTemplateDef {
  /** Stable key, stored on contracts as `template_key`. */
  key: string;
  name: string;
  description: string;
  /** Two-letter state, or null for federal / all-state templates. */
  state: UsStateCode | null;
  /** City (case-insensitive), or null. */
  city: string | null;
  /** null = every property type. */
  property_types: readonly PropertyType[] | null;
  min_price: number | null;
  max_price: number | null;
  /** null = every deal type. */
  deal_types: readonly DealType[] | null;
  /** Only for properties built before this year (lead paint: 1978); unknown year ⇒ a `review` match. */
  year_built_before: number | null;
  requirement: TemplateRequirement;
  auto_attach: boolean;
  /** Higher first. */
  priority: number;
  default_recipient_role: ContactRole;
  required_signer_roles: readonly ContactRole[];
  signing_order: SigningOrder;
  /** Message sent with the signing request. */
  message: string;
  /** File name of a real blank form under shared/data/documents, when there is one. */
  document?: string;
  version: number;
  authority: TemplateAuthority;
  /** The disclosure this template delivers (links templates to compliance rules). */
  disclosure: DisclosureKey | null;
  /** Keys of templates this one replaces when both match (a state form for the generic federal one). */
  supersedes?: readonly string[];
}

const roleSchema = z.custom<ContactRole>((v) => typeof v === 'string' && /^[a-z_]+$/.test(v), 'contact role');

export const ContractTemplateDefSchema = z
  .object({
    key: z.string().regex(/^[a-z0-9]+(_[a-z0-9]+)*$/),
    name: z.string().min(1),
    description: z.string().min(1),
    state: z.enum(US_STATE_CODES).nullable(),
    city: z.string().min(1).nullable(),
    property_types: z.array(z.enum(PROPERTY_TYPES)).min(1).nullable(),
    min_price: z.number().nonnegative().nullable(),
    max_price: z.number().nonnegative().nullable(),
    deal_types: z.array(z.enum(DEAL_TYPES)).min(1).nullable(),
    year_built_before: z.number().int().nullable(),
    requirement: z.enum(TEMPLATE_REQUIREMENTS),
    auto_attach: z.boolean(),
    priority: z.number().int().min(0).max(100),
    default_recipient_role: roleSchema,
    required_signer_roles: z.array(roleSchema),
    signing_order: z.enum(SIGNING_ORDERS),
    message: z.string().min(1),
    document: z
      .string()
      .regex(/^[\w.-]+\.pdf$/)
      .optional(),
    version: z.number().int().positive(),
    authority: z.enum(TEMPLATE_AUTHORITIES),
    disclosure: z.enum(DISCLOSURE_KEYS).nullable(),
    supersedes: z.array(z.string()).optional(),
  })
  .superRefine((t, ctx) => {
    if ((t.authority === 'state') !== (t.state !== null)) {
      ctx.addIssue({ code: 'custom', message: 'state templates (and only they) have a state' });
    }
    if (t.city !== null && t.state === null) ctx.addIssue({ code: 'custom', message: 'a city needs a state' });
    if (t.min_price !== null && t.max_price !== null && t.min_price > t.max_price) {
      ctx.addIssue({ code: 'custom', message: 'min_price > max_price' });
    }
    if (t.authority === 'deal_type' && t.deal_types === null) {
      ctx.addIssue({ code: 'custom', message: 'deal-type templates list their deal types' });
    }
  });

/** What matching reads from a property. Unknown facts are null. */
export interface TemplateMatchProperty {
  state: string | null;
  city: string | null;
  property_type: PropertyType | null;
  price: number | null;
  /** Unknown deal type is treated as `traditional` (the default deal type). */
  deal_type: DealType | null;
  year_built: number | null;
}

/** Sale deal types on residential property: every deal type but rental and commercial. */
export const RESIDENTIAL_SALE_DEALS = [
  'traditional',
  'short_sale',
  'reo',
  'fsbo',
  'new_construction',
  'wholesale',
] as const satisfies readonly DealType[];

/** Every deal type that is a sale (not a lease). */
export const SALE_DEALS = [...RESIDENTIAL_SALE_DEALS, 'commercial'] as const satisfies readonly DealType[];

export const DWELLING_TYPES = ['house', 'apartment', 'condo', 'townhouse'] as const satisfies readonly PropertyType[];
