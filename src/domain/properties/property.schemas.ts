import { z } from 'zod';
import { US_STATE_CODES } from '../shared/us-states.ts';
import { DEAL_TYPES, PROPERTY_STAGES, PROPERTY_TYPES } from './property.enums.ts';

/**
 * Input schemas shared by REST and the tool registry. Objects are strict: unknown fields are
 * rejected with their name.
 */
const maxYear = new Date().getUTCFullYear() + 5;

const state = z
  .string()
  .trim()
  .transform((s) => s.toUpperCase())
  .pipe(z.enum(US_STATE_CODES, { error: 'must be a two-letter US state code such as TX' }));

export const PropertyFields = {
  title: z.string().trim().max(300).nullable(),
  description: z.string().max(10_000).nullable(),
  address: z.string().trim().min(3, 'is too short').max(300),
  city: z.string().trim().min(1).max(100),
  state,
  zip_code: z
    .string()
    .trim()
    .regex(/^\d{5}(-\d{4})?$/, 'must be a 5-digit ZIP code (optionally ZIP+4)')
    .nullable(),
  price: z.number().finite().nonnegative('must not be negative').max(10_000_000_000).nullable(),
  bedrooms: z.number().int().min(0).max(100).nullable(),
  bathrooms: z.number().min(0).max(100).multipleOf(0.25).nullable(),
  square_feet: z.number().int().min(1).max(10_000_000).nullable(),
  lot_size: z.number().finite().min(0).max(1_000_000_000).nullable(),
  year_built: z.number().int().min(1600).max(maxYear).nullable(),
  latitude: z.number().min(-90).max(90).nullable(),
  longitude: z.number().min(-180).max(180).nullable(),
  property_type: z.enum(PROPERTY_TYPES),
  status: z.enum(PROPERTY_STAGES),
  deal_type: z.enum(DEAL_TYPES).nullable(),
};

export const PropertyCreateSchema = z.strictObject({
  address: PropertyFields.address,
  city: PropertyFields.city,
  state: PropertyFields.state,
  zip_code: PropertyFields.zip_code.optional(),
  title: PropertyFields.title.optional(),
  description: PropertyFields.description.optional(),
  price: PropertyFields.price.optional(),
  bedrooms: PropertyFields.bedrooms.optional(),
  bathrooms: PropertyFields.bathrooms.optional(),
  square_feet: PropertyFields.square_feet.optional(),
  lot_size: PropertyFields.lot_size.optional(),
  year_built: PropertyFields.year_built.optional(),
  latitude: PropertyFields.latitude.optional(),
  longitude: PropertyFields.longitude.optional(),
  property_type: PropertyFields.property_type.optional(),
  status: PropertyFields.status.optional(),
  deal_type: PropertyFields.deal_type.optional(),
});
export type PropertyCreateInput = z.infer<typeof PropertyCreateSchema>;

export const PropertyUpdateSchema = PropertyCreateSchema.partial().refine((v) => Object.keys(v).length > 0, {
  message: 'at least one field to change is required',
});
export type PropertyUpdateInput = z.infer<typeof PropertyUpdateSchema>;

export const PROPERTY_SORTS = [
  'created_at',
  '-created_at',
  'price',
  '-price',
  'updated_at',
  '-updated_at',
  'bedrooms',
  '-bedrooms',
  'square_feet',
  '-square_feet',
] as const;

export const PropertyListQuerySchema = z.strictObject({
  status: z.enum(PROPERTY_STAGES).optional(),
  property_type: z.enum(PROPERTY_TYPES).optional(),
  city: z.string().trim().min(1).max(100).optional(),
  state: state.optional(),
  min_price: z.coerce.number().nonnegative().max(10_000_000_000).optional(),
  max_price: z.coerce.number().nonnegative().max(10_000_000_000).optional(),
  bedrooms: z.coerce.number().int().min(0).max(100).optional(),
  q: z.string().trim().min(1).max(200).optional(),
  sort: z.enum(PROPERTY_SORTS).default('-created_at'),
  limit: z.coerce.number().int().min(1).max(100).default(20),
  offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
  include_heartbeat: z
    .enum(['true', 'false'])
    .transform((v) => v === 'true')
    .default(true),
});
export type PropertyListQuery = z.infer<typeof PropertyListQuerySchema>;
