import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { CONSENT_TYPES } from '../../domain/campaigns/campaign.entity.ts';
import type { AppContext } from '../../services.ts';
import { requireAgent, scopeOf } from '../auth.ts';
import { security } from './params.ts';

const Phone = z.string().trim().min(7).max(40);

const DncAdd = z.strictObject({ phone: Phone, reason: z.string().trim().max(500).optional() });
const DncQuery = z.strictObject({ phone: Phone });
const DncListUpload = z.strictObject({
  kind: z.enum(['national', 'state']),
  state: z.string().trim().length(2).toUpperCase().optional(),
  scrubbed_at: z.iso.datetime({ offset: true }),
  numbers: z.array(z.string().trim().min(1).max(40)).min(1).max(200_000),
});
const ConsentAdd = z.strictObject({
  phone: Phone,
  type: z.enum(CONSENT_TYPES),
  source: z.string().trim().min(1).max(200),
  evidence: z.string().trim().min(1).max(10_000),
  given_at: z.iso.datetime({ offset: true }),
  contact_id: z.number().int().positive().optional(),
});
const ConsentRevoke = z.strictObject({ phone: Phone });

/**
 * Outbound-calling compliance records: the brokerage's internal do-not-call list, uploaded national/state
 * lists with their scrub date, and the consent ledger. The dial gate reads them before every dial.
 */
export async function callingComplianceRoutes(app: FastifyInstance, { ctx }: { ctx: AppContext }): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const auth = requireAgent(ctx);
  const tags = ['calling compliance'];
  const dnc = ctx.services.doNotCall;

  r.post(
    '/api/do-not-call',
    {
      preHandler: auth,
      schema: { tags, security, summary: 'Add a number to the internal do-not-call list', body: DncAdd },
    },
    async (req, reply) => {
      const s = scopeOf(req);
      const out = await dnc.add(s.em, req.body.phone, 'manual', {
        agentId: s.agentId,
        reason: req.body.reason ?? null,
      });
      return reply.status(out.added ? 201 : 200).send(out);
    },
  );
  r.get(
    '/api/do-not-call',
    {
      preHandler: auth,
      schema: { tags, security, summary: 'Is a number on the internal list?', querystring: DncQuery },
    },
    async (req) => ({ phone: req.query.phone, listed: await dnc.isListed(scopeOf(req).em, req.query.phone) }),
  );
  r.post(
    '/api/do-not-call/lists',
    {
      preHandler: auth,
      schema: {
        tags,
        security,
        summary: 'Upload a national or state do-not-call list (as of its scrub date)',
        body: DncListUpload,
      },
      bodyLimit: 8 * 1024 * 1024,
    },
    async (req, reply) => {
      const b = req.body;
      const out = await dnc.importList(scopeOf(req).em, {
        kind: b.kind,
        state: b.state ?? null,
        scrubbedAt: new Date(b.scrubbed_at),
        numbers: b.numbers,
      });
      return reply.status(201).send(out);
    },
  );
  r.post(
    '/api/consents',
    {
      preHandler: auth,
      schema: { tags, security, summary: 'Record consent to be called, with its evidence', body: ConsentAdd },
    },
    async (req, reply) => {
      const b = req.body;
      const id = await dnc.recordConsent(scopeOf(req), {
        phone: b.phone,
        type: b.type,
        source: b.source,
        evidence: b.evidence,
        givenAt: new Date(b.given_at),
        contactId: b.contact_id ?? null,
      });
      return reply.status(201).send({ id });
    },
  );
  r.post(
    '/api/consents/revoke',
    { preHandler: auth, schema: { tags, security, summary: 'Withdraw consent for a number', body: ConsentRevoke } },
    async (req) => ({ revoked: await dnc.revokeConsent(scopeOf(req), req.body.phone) }),
  );
}
