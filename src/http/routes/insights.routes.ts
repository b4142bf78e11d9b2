import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { OutcomeInputSchema } from '../../domain/learning/learning.service.ts';
import { TaskCreateSchema, TaskListQuerySchema, TaskUpdateSchema } from '../../domain/tasks/tasks.service.ts';
import type { AppContext } from '../../services.ts';
import { inTransaction, requireAgent, scopeOf } from '../auth.ts';
import { IdParams, security } from './params.ts';

/** Scheduled tasks, the follow-up queue, deal scores and closing predictions. */
export async function insightsRoutes(app: FastifyInstance, { ctx }: { ctx: AppContext }): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const auth = requireAgent(ctx);
  const { tasks, insights } = ctx.services;
  const t = ['tasks'];
  const i = ['intelligence'];

  r.get(
    '/api/tasks',
    { preHandler: auth, schema: { tags: t, security, summary: 'Scheduled tasks', querystring: TaskListQuerySchema } },
    async (req) => tasks.list(scopeOf(req), req.query),
  );
  r.post(
    '/api/tasks',
    {
      preHandler: auth,
      schema: {
        tags: t,
        security,
        summary: 'Schedule a reminder, recurring task, follow-up or contract check',
        body: TaskCreateSchema,
      },
    },
    async (req, reply) => reply.status(201).send(await tasks.create(scopeOf(req), req.body)),
  );
  r.patch(
    '/api/tasks/:id',
    {
      preHandler: auth,
      schema: { tags: t, security, summary: 'Change a pending task', params: IdParams, body: TaskUpdateSchema },
    },
    async (req) => tasks.update(scopeOf(req), req.params.id, req.body),
  );
  r.post(
    '/api/tasks/:id/complete',
    { preHandler: auth, schema: { tags: t, security, summary: 'Complete a task', params: IdParams } },
    async (req) => tasks.setStatus(scopeOf(req), req.params.id, 'completed'),
  );
  r.post(
    '/api/tasks/:id/cancel',
    { preHandler: auth, schema: { tags: t, security, summary: 'Cancel a task', params: IdParams } },
    async (req) => tasks.setStatus(scopeOf(req), req.params.id, 'cancelled'),
  );
  r.post(
    '/api/tasks/run-due',
    { preHandler: auth, schema: { tags: t, security, summary: 'Run due tasks now (also runs every minute)' } },
    async (req) => {
      const agent = await ctx.services.agents.get(req.em, scopeOf(req).agentId);
      return inTransaction(req, (scope) => tasks.runDue(scope, agent.timezone));
    },
  );

  r.get(
    '/api/follow-ups',
    {
      preHandler: auth,
      schema: {
        tags: i,
        security,
        summary: 'Follow-up queue: who to call next and why',
        querystring: z.strictObject({
          limit: z.coerce.number().int().min(1).max(100).default(10),
          priority: z.enum(['urgent', 'high', 'medium', 'low']).optional(),
        }),
      },
    },
    async (req) => insights.followUpQueue(scopeOf(req), req.query),
  );
  r.post(
    '/api/follow-ups/:id/snooze',
    {
      preHandler: auth,
      schema: {
        tags: i,
        security,
        summary: 'Snooze a property in the follow-up queue (default 72 h)',
        params: IdParams,
        body: z
          .strictObject({
            hours: z
              .number()
              .int()
              .min(1)
              .max(24 * 90)
              .default(72),
          })
          .default({ hours: 72 }),
      },
    },
    async (req) => insights.snoozeFollowUp(scopeOf(req), req.params.id, req.body.hours),
  );
  r.post(
    '/api/follow-ups/:id/complete',
    {
      preHandler: auth,
      schema: {
        tags: i,
        security,
        summary: 'Mark a follow-up done, with an optional note',
        params: IdParams,
        body: z
          .strictObject({ note: z.string().trim().min(1).max(5_000).nullable().default(null) })
          .default({ note: null }),
      },
    },
    async (req) => inTransaction(req, (scope) => insights.completeFollowUp(scope, req.params.id, req.body.note)),
  );
  r.post(
    '/api/properties/:id/score',
    { preHandler: auth, schema: { tags: i, security, summary: 'Score a property (stored on it)', params: IdParams } },
    async (req) => insights.scoreProperty(scopeOf(req), req.params.id),
  );
  r.get(
    '/api/properties/:id/closing-prediction',
    {
      preHandler: auth,
      schema: {
        tags: i,
        security,
        summary: 'Closing probability, confidence, days to close, recommendations (a read: nothing is logged)',
        params: IdParams,
      },
    },
    async (req) => insights.predictClosing(scopeOf(req), req.params.id),
  );
  r.post(
    '/api/properties/:id/closing-prediction',
    {
      preHandler: auth,
      schema: {
        tags: i,
        security,
        summary: 'Make the closing prediction and log it for the learning loop (accuracy once the outcome is in)',
        params: IdParams,
      },
    },
    async (req, reply) =>
      reply
        .status(201)
        .send(await inTransaction(req, (s) => insights.predictClosing(s, req.params.id, new Date(), { log: true }))),
  );

  r.get(
    '/api/digest',
    { preHandler: auth, schema: { tags: i, security, summary: 'Today’s digest, built now (not stored)' } },
    async (req) => {
      const scope = scopeOf(req);
      const agent = await ctx.services.agents.get(scope.em, scope.agentId);
      return ctx.services.digest.build(scope, agent.timezone);
    },
  );
  r.post(
    '/api/digest/generate',
    {
      preHandler: auth,
      schema: { tags: i, security, summary: 'Generate and store today’s digest (once per local day)' },
    },
    async (req, reply) => {
      const scope = scopeOf(req);
      const agent = await ctx.services.agents.get(scope.em, scope.agentId);
      const digest = await ctx.services.digest.generate(scope, agent.timezone);
      return digest ? reply.status(201).send(digest) : reply.status(200).send({ status: 'already_generated' });
    },
  );
  r.get(
    '/api/digest/history',
    {
      preHandler: auth,
      schema: {
        tags: i,
        security,
        summary: 'Stored digests of the last days',
        querystring: z.strictObject({ days: z.coerce.number().int().min(1).max(90).default(7) }),
      },
    },
    async (req) => ctx.services.digest.history(scopeOf(req), req.query.days),
  );

  r.get(
    '/api/properties/:id/next-action',
    { preHandler: auth, schema: { tags: i, security, summary: 'What to do next with a property', params: IdParams } },
    async (req) => insights.nextAction(scopeOf(req), req.params.id),
  );
  r.get(
    '/api/contacts/:id/relationship',
    { preHandler: auth, schema: { tags: i, security, summary: 'Relationship health of a contact', params: IdParams } },
    async (req) => insights.relationship(scopeOf(req), req.params.id),
  );
  r.post(
    '/api/properties/:id/outcome',
    {
      preHandler: auth,
      schema: {
        tags: i,
        security,
        summary: 'Record how a deal ended (feeds learned weights and calibration)',
        params: IdParams,
        body: OutcomeInputSchema,
      },
    },
    async (req, reply) =>
      reply
        .status(201)
        .send(await inTransaction(req, (scope) => ctx.services.learning.recordOutcome(scope, req.params.id, req.body))),
  );
  r.get(
    '/api/intelligence/accuracy',
    { preHandler: auth, schema: { tags: i, security, summary: 'Prediction accuracy: MAE and directional accuracy' } },
    async (req) => ctx.services.learning.accuracy(scopeOf(req)),
  );
  r.get(
    '/api/intelligence/weights',
    { preHandler: auth, schema: { tags: i, security, summary: 'Deal-score weights in use (default or learned)' } },
    async (req) => ctx.services.learning.dealWeights(scopeOf(req)),
  );
}
