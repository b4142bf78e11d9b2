import { createReadStream } from 'node:fs';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { CONTRACT_STATUSES, SIGNER_STATUSES } from '../../domain/contracts/contract.entity.ts';
import { ContractAttachSchema, TEMPLATE_DOCUMENTS_DIR } from '../../domain/contracts/contracts.service.ts';
import { SignerAddSchema } from '../../domain/contracts/contract-signing.service.ts';
import { ComplianceCheckRequestSchema } from '../../domain/compliance/compliance.service.ts';
import type { AppContext } from '../../services.ts';
import { inTransaction, requireAgent, scopeOf } from '../auth.ts';
import { IdParams, idParam, security } from './params.ts';

export async function contractRoutes(app: FastifyInstance, { ctx }: { ctx: AppContext }): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const auth = requireAgent(ctx);
  const contracts = ctx.services.contracts;
  const tags = ['contracts'];

  r.get(
    '/api/contract-templates',
    {
      preHandler: auth,
      schema: {
        tags,
        security,
        summary: 'Contract template registry',
        querystring: z.strictObject({ state: z.string().length(2).optional() }),
      },
    },
    async (req) => contracts.listTemplates(req.query),
  );
  r.get(
    '/api/contract-templates/:key/document',
    {
      preHandler: auth,
      schema: {
        tags,
        security,
        summary: 'The blank template document (PDF)',
        params: z.strictObject({ key: z.string().regex(/^[a-z0-9_.-]{1,100}$/) }),
      },
    },
    async (req, reply) => {
      const template = contracts.template(req.params.key);
      if (!template.document) {
        return reply
          .status(404)
          .send({ error: 'not_found', message: `Template ${template.key} has no stored document` });
      }
      reply
        .header('content-type', 'application/pdf')
        .header('content-disposition', `inline; filename="${template.document}"`);
      return reply.send(createReadStream(join(TEMPLATE_DOCUMENTS_DIR, template.document)));
    },
  );

  r.get(
    '/api/properties/:id/contracts',
    { preHandler: auth, schema: { tags, security, summary: 'Contracts of a property', params: IdParams } },
    async (req) => contracts.list(scopeOf(req), req.params.id),
  );
  r.post(
    '/api/properties/:id/contracts',
    {
      preHandler: auth,
      schema: {
        tags,
        security,
        summary: 'Attach a template or a named contract',
        params: IdParams,
        body: ContractAttachSchema,
      },
    },
    async (req, reply) => reply.status(201).send(await contracts.attach(scopeOf(req), req.params.id, req.body)),
  );
  r.get(
    '/api/properties/:id/contracts/readiness',
    {
      preHandler: auth,
      schema: {
        tags,
        security,
        summary: 'Ready to close? Signing status, next steps, voice summary',
        params: IdParams,
      },
    },
    async (req) => contracts.readiness(scopeOf(req), req.params.id),
  );
  r.get(
    '/api/properties/:id/contracts/suggestions',
    {
      preHandler: auth,
      schema: { tags, security, summary: 'Rule-based contract and contact suggestions', params: IdParams },
    },
    async (req) => contracts.suggest(scopeOf(req), req.params.id),
  );
  r.put(
    '/api/properties/:id/contracts/requirements',
    {
      preHandler: auth,
      schema: {
        tags,
        security,
        summary: 'Set which contracts are required and which optional',
        params: IdParams,
        body: z.strictObject({
          required: z.array(z.number().int().positive()).max(200).default([]),
          optional: z.array(z.number().int().positive()).max(200).default([]),
          reason: z.string().trim().max(500).nullable().default(null),
        }),
      },
    },
    async (req) =>
      inTransaction(req, (s) =>
        contracts.setRequiredSets(s, req.params.id, req.body.required, req.body.optional, req.body.reason),
      ),
  );

  r.get(
    '/api/contracts/:id',
    { preHandler: auth, schema: { tags, security, summary: 'A contract with its signers', params: IdParams } },
    async (req) => contracts.getView(scopeOf(req), req.params.id),
  );
  r.patch(
    '/api/contracts/:id/requirement',
    {
      preHandler: auth,
      schema: {
        tags,
        security,
        summary: 'Mark a contract required or optional, with the reason',
        params: IdParams,
        body: z.strictObject({ is_required: z.boolean(), reason: z.string().trim().max(500).nullable().default(null) }),
      },
    },
    async (req) => contracts.setRequirement(scopeOf(req), req.params.id, req.body.is_required, req.body.reason),
  );
  r.post(
    '/api/contracts/:id/status',
    {
      preHandler: auth,
      schema: {
        tags,
        security,
        summary: 'Move a contract along its lifecycle (409 lists the allowed moves)',
        params: IdParams,
        body: z.strictObject({ status: z.enum(CONTRACT_STATUSES) }),
      },
    },
    async (req) => inTransaction(req, (s) => contracts.transition(s, req.params.id, req.body.status)),
  );
  r.post(
    '/api/contracts/:id/signers',
    {
      preHandler: auth,
      schema: {
        tags,
        security,
        summary: 'Add a signer (draft contracts only)',
        params: IdParams,
        body: SignerAddSchema,
      },
    },
    async (req, reply) =>
      reply.status(201).send(await ctx.services.signing.addSigner(scopeOf(req), req.params.id, req.body)),
  );
  r.post(
    '/api/contracts/:id/send',
    {
      preHandler: auth,
      schema: {
        tags,
        security,
        summary: 'Send for signature (e-signature provider, or manual signing)',
        params: IdParams,
      },
    },
    async (req) => inTransaction(req, (s) => ctx.services.signing.send(s, req.params.id)),
  );
  r.post(
    '/api/contracts/:id/remind',
    {
      preHandler: auth,
      schema: { tags, security, summary: 'Remind the signers the contract waits on', params: IdParams },
    },
    async (req) => inTransaction(req, (s) => ctx.services.signing.remind(s, req.params.id)),
  );
  r.post(
    '/api/contracts/:id/signers/:signerId/status',
    {
      preHandler: auth,
      schema: {
        tags,
        security,
        summary: 'Record a signer’s progress by hand (paper signing)',
        params: z.strictObject({ id: idParam, signerId: idParam }),
        body: z.strictObject({ status: z.enum(SIGNER_STATUSES) }),
      },
    },
    async (req) =>
      inTransaction(req, (s) => ctx.services.signing.recordSigner(s, req.params.signerId, req.body.status)),
  );

  r.post(
    '/api/compliance/check',
    {
      preHandler: auth,
      schema: {
        tags: ['compliance'],
        security,
        summary: 'Check a property against the compliance rules (stored)',
        body: ComplianceCheckRequestSchema,
      },
    },
    async (req) => ctx.services.compliance.check(scopeOf(req), req.body),
  );
  r.get(
    '/api/compliance/rules',
    {
      preHandler: auth,
      schema: {
        tags: ['compliance'],
        security,
        summary: 'The versioned compliance rules',
        querystring: z.strictObject({ state: z.string().length(2).optional() }),
      },
    },
    async (req) => ({
      rule_set_version: ctx.services.compliance.ruleSetVersion,
      rules: ctx.services.compliance.listRules(req.query.state),
    }),
  );
  r.get(
    '/api/properties/:id/compliance/checks',
    {
      preHandler: auth,
      schema: { tags: ['compliance'], security, summary: 'Stored compliance checks of a property', params: IdParams },
    },
    async (req) => ctx.services.compliance.history(scopeOf(req), req.params.id),
  );
}
