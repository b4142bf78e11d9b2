import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ContactCreateSchema, ContactUpdateSchema, toContactView } from '../../domain/contacts/contacts.service.ts';
import { NoteCreateSchema } from '../../domain/notes/notes.service.ts';
import { ownPropertyRef } from '../../domain/properties/ownership.ts';
import type { AppContext } from '../../services.ts';
import { requireAgent, scopeOf } from '../auth.ts';
import { IdParams, PageQuery, security } from './params.ts';

/** Contacts, notes and activity history. */
export async function crmRoutes(app: FastifyInstance, { ctx }: { ctx: AppContext }): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const auth = requireAgent(ctx);
  const { contacts, notes, history } = ctx.services;

  r.get(
    '/api/properties/:id/contacts',
    { preHandler: auth, schema: { tags: ['contacts'], security, summary: 'Contacts of a property', params: IdParams } },
    async (req) => contacts.listForProperty(scopeOf(req), req.params.id),
  );
  r.post(
    '/api/properties/:id/contacts',
    {
      preHandler: auth,
      schema: {
        tags: ['contacts'],
        security,
        summary: 'Attach a contact to a property',
        params: IdParams,
        body: ContactCreateSchema.omit({ property_id: true }),
      },
    },
    async (req, reply) =>
      reply.status(201).send(await contacts.create(scopeOf(req), { ...req.body, property_id: req.params.id })),
  );
  r.post(
    '/api/contacts',
    {
      preHandler: auth,
      schema: { tags: ['contacts'], security, summary: 'Create a contact', body: ContactCreateSchema },
    },
    async (req, reply) => reply.status(201).send(await contacts.create(scopeOf(req), req.body)),
  );
  r.get(
    '/api/contacts/:id',
    { preHandler: auth, schema: { tags: ['contacts'], security, summary: 'Get a contact', params: IdParams } },
    async (req) => toContactView(await contacts.get(scopeOf(req), req.params.id)),
  );
  r.patch(
    '/api/contacts/:id',
    {
      preHandler: auth,
      schema: {
        tags: ['contacts'],
        security,
        summary: 'Update a contact',
        params: IdParams,
        body: ContactUpdateSchema,
      },
    },
    async (req) => contacts.update(scopeOf(req), req.params.id, req.body),
  );
  r.delete(
    '/api/contacts/:id',
    { preHandler: auth, schema: { tags: ['contacts'], security, summary: 'Delete a contact', params: IdParams } },
    async (req, reply) => {
      await contacts.delete(scopeOf(req), req.params.id);
      return reply.status(204).send();
    },
  );

  r.get(
    '/api/properties/:id/notes',
    {
      preHandler: auth,
      schema: {
        tags: ['notes'],
        security,
        summary: 'Notes on a property, newest first',
        params: IdParams,
        querystring: PageQuery.pick({ limit: true }),
      },
    },
    async (req) => notes.list(scopeOf(req), req.params.id, req.query.limit),
  );
  r.post(
    '/api/properties/:id/notes',
    {
      preHandler: auth,
      schema: { tags: ['notes'], security, summary: 'Add a note', params: IdParams, body: NoteCreateSchema },
    },
    async (req, reply) => reply.status(201).send(await notes.add(scopeOf(req), req.params.id, req.body)),
  );

  r.get(
    '/api/properties/:id/history',
    {
      preHandler: auth,
      schema: {
        tags: ['history'],
        security,
        summary: 'Activity history of a property',
        params: IdParams,
        querystring: PageQuery,
      },
    },
    async (req) => {
      const scope = scopeOf(req);
      await ownPropertyRef(scope, req.params.id);
      return history.forProperty(scope, req.params.id, req.query.limit, req.query.offset);
    },
  );
  r.get(
    '/api/history',
    {
      preHandler: auth,
      schema: {
        tags: ['history'],
        security,
        summary: 'Activity history of a session',
        querystring: PageQuery.extend({ session_id: z.string().min(1).max(100) }),
      },
    },
    async (req) => history.forSession(scopeOf(req), req.query.session_id, req.query.limit, req.query.offset),
  );
}
