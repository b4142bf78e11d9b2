import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  PropertyCreateSchema,
  PropertyListQuerySchema,
  PropertyUpdateSchema,
} from '../../domain/properties/property.schemas.ts';
import type { AppContext } from '../../services.ts';
import { requireAgent, scopeOf } from '../auth.ts';
import { IdParams, security } from './params.ts';

export async function propertyRoutes(app: FastifyInstance, { ctx }: { ctx: AppContext }): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const auth = requireAgent(ctx);
  const tags = ['properties'];
  const props = ctx.services.properties;

  r.get(
    '/api/properties',
    {
      preHandler: auth,
      schema: {
        tags,
        security,
        summary: 'List properties (filters, sort, pagination)',
        querystring: PropertyListQuerySchema,
      },
    },
    async (req) => props.list(scopeOf(req), req.query),
  );

  r.post(
    '/api/properties',
    {
      preHandler: auth,
      schema: { tags, security, summary: 'Create a property (409 if the address exists)', body: PropertyCreateSchema },
    },
    async (req, reply) => reply.status(201).send(await props.create(scopeOf(req), req.body)),
  );

  r.get(
    '/api/properties/resolve',
    {
      preHandler: auth,
      schema: {
        tags,
        security,
        summary: 'Resolve a spoken or typed reference ("one forty one elm street", "property 5")',
        querystring: z.strictObject({
          q: z.string().trim().min(1).max(300),
          session_id: z.string().max(100).optional(),
        }),
      },
    },
    async (req) => {
      const scope = scopeOf(req);
      const { q, session_id } = req.query;
      const res = await ctx.services.resolver.resolve(scope, q, {
        lastPropertyId: async () => (session_id ? ctx.services.history.lastPropertyOfSession(scope, session_id) : null),
      });
      return { via: res.via, property: await props.getView(scope, res.property.id) };
    },
  );

  r.get(
    '/api/properties/:id',
    { preHandler: auth, schema: { tags, security, summary: 'Get a property with its heartbeat', params: IdParams } },
    async (req) => props.getView(scopeOf(req), req.params.id, true),
  );

  r.patch(
    '/api/properties/:id',
    {
      preHandler: auth,
      schema: { tags, security, summary: 'Update a property', params: IdParams, body: PropertyUpdateSchema },
    },
    async (req) => props.update(scopeOf(req), req.params.id, req.body),
  );

  r.delete(
    '/api/properties/:id',
    {
      preHandler: auth,
      schema: { tags, security, summary: 'Delete a property with its notes and contacts', params: IdParams },
    },
    async (req, reply) => {
      await props.delete(scopeOf(req), req.params.id);
      return reply.status(204).send();
    },
  );

  r.get(
    '/api/properties/:id/heartbeat',
    { preHandler: auth, schema: { tags, security, summary: 'Pipeline heartbeat', params: IdParams } },
    async (req) => props.heartbeat(scopeOf(req), req.params.id),
  );
}
