import { z } from 'zod';

export const idParam = z.coerce.number().int().positive().max(2_147_483_647);
export const IdParams = z.strictObject({ id: idParam });
export const PageQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
});
export const security = [{ bearerAuth: [] }];
