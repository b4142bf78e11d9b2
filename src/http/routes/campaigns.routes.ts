import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { CampaignControl, type CampaignCommand } from '../../campaigns/campaign-control.ts';
import { Playbooks } from '../../campaigns/playbooks.ts';
import { ValidationError } from '../../domain/errors.ts';
import {
  CampaignCreateSchema,
  CampaignEnrolSchema,
  DEFAULT_PLAYBOOKS,
  toCampaignView,
} from '../../domain/campaigns/campaigns.service.ts';
import { listTargets, TargetListQuery } from '../../domain/campaigns/campaign-targets.ts';
import { ABANDONMENT_LIMIT, ABANDONMENT_SLOW_AT, ABANDONMENT_WINDOW_DAYS } from '../../domain/campaigns/abandonment.ts';
import { CONTACT_ROLES } from '../../domain/contacts/contact.entity.ts';
import type { AppContext } from '../../services.ts';
import { inTransaction, requireAgent, scopeOf } from '../auth.ts';
import { IdParams, security } from './params.ts';

const AuditQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(500).default(100),
  offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
  blocked_only: z
    .enum(['true', 'false'])
    .transform((v) => v === 'true')
    .default(false),
});

export async function campaignRoutes(app: FastifyInstance, { ctx }: { ctx: AppContext }): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const auth = requireAgent(ctx);
  const tags = ['campaigns'];
  const campaigns = ctx.services.campaigns;
  const control = new CampaignControl(campaigns);
  const playbooks = new Playbooks();

  r.get(
    '/api/campaigns',
    { preHandler: auth, schema: { tags, security, summary: 'Campaigns, newest first, with their targets by status' } },
    async (req) => {
      const scope = scopeOf(req);
      const list = await campaigns.list(scope);
      const counts = await campaigns.targetsByStatus(
        scope,
        list.map((c) => c.id),
      );
      return list.map((c) => ({ ...toCampaignView(c), targets_by_status: counts.get(c.id) ?? {} }));
    },
  );
  r.get(
    '/api/campaigns/options',
    {
      preHandler: auth,
      schema: {
        tags,
        security,
        summary: 'What a campaign can be: purposes (with their default playbook), playbooks, contact roles, limits',
      },
    },
    async () => ({
      purposes: Object.entries(DEFAULT_PLAYBOOKS).map(([purpose, playbook]) => ({
        purpose,
        default_playbook: playbook,
      })),
      playbooks: playbooks.list(),
      contact_roles: CONTACT_ROLES,
      abandonment: {
        window_days: ABANDONMENT_WINDOW_DAYS,
        slow_down_at: ABANDONMENT_SLOW_AT,
        limit: ABANDONMENT_LIMIT,
      },
    }),
  );
  r.post(
    '/api/campaigns',
    { preHandler: auth, schema: { tags, security, summary: 'Create a campaign (draft)', body: CampaignCreateSchema } },
    async (req, reply) => {
      const b = req.body;
      if (b.playbook && !playbooks.has(b.playbook)) {
        throw new ValidationError(`playbook: agents/${b.playbook}.json is not a campaign playbook`, {
          playbooks: playbooks.names(),
        });
      }
      const campaign = await inTransaction(req, (s) =>
        campaigns.create(s, {
          name: b.name,
          purpose: b.purpose,
          ...(b.playbook ? { playbook: b.playbook } : {}),
          propertyId: b.property_id ?? null,
          ...(b.contact_roles ? { contactRoles: b.contact_roles } : {}),
          callerId: b.caller_id,
          ...(b.telemarketing !== undefined ? { telemarketing: b.telemarketing } : {}),
          ...(b.max_attempts !== undefined ? { maxAttempts: b.max_attempts } : {}),
          ...(b.retry_delay_minutes !== undefined ? { retryDelayMinutes: b.retry_delay_minutes } : {}),
          ...(b.calls_per_minute !== undefined ? { callsPerMinute: b.calls_per_minute } : {}),
          ...(b.max_concurrent !== undefined ? { maxConcurrent: b.max_concurrent } : {}),
          ...(b.window_start ? { windowStart: b.window_start } : {}),
          ...(b.window_end ? { windowEnd: b.window_end } : {}),
        }),
      );
      return reply.status(201).send(toCampaignView(campaign));
    },
  );
  r.get(
    '/api/campaigns/:id',
    { preHandler: auth, schema: { tags, security, summary: 'A campaign with its statistics', params: IdParams } },
    async (req) => {
      const s = scopeOf(req);
      const campaign = await campaigns.get(s, req.params.id);
      return { ...toCampaignView(campaign), stats: await campaigns.stats(s, campaign.id) };
    },
  );
  r.get(
    '/api/campaigns/:id/targets',
    {
      preHandler: auth,
      schema: {
        tags,
        security,
        summary: 'The numbers it calls, in enrolment order: status, attempts, outcome, next attempt, latest dial',
        params: IdParams,
        querystring: TargetListQuery,
      },
    },
    async (req) => {
      const s = scopeOf(req);
      const campaign = await campaigns.get(s, req.params.id);
      return listTargets(s, campaign.id, req.query);
    },
  );
  r.post(
    '/api/campaigns/:id/targets',
    {
      preHandler: auth,
      schema: {
        tags,
        security,
        summary: 'Enrol targets: contacts, raw numbers or the property’s contacts by role',
        params: IdParams,
        body: CampaignEnrolSchema,
      },
    },
    async (req) => {
      const b = req.body;
      const report = await inTransaction(req, (s) =>
        campaigns.enrol(s, req.params.id, {
          ...(b.contact_ids ? { contactIds: b.contact_ids } : {}),
          ...(b.numbers ? { numbers: b.numbers } : {}),
          ...(b.from_property ? { fromProperty: true } : {}),
        }),
      );
      return {
        requested: report.requested,
        added: report.added,
        skipped_existing: report.skippedExisting,
        skipped_duplicate: report.skippedDuplicate,
        invalid: report.invalid,
      };
    },
  );
  const commands: [string, CampaignCommand, string][] = [
    ['start', 'START', 'Start calling (needs targets)'],
    ['pause', 'PAUSE', 'Pause: no new dials; calls in progress finish'],
    ['resume', 'RESUME', 'Resume a paused campaign'],
    ['cancel', 'CANCEL', 'Cancel: targets not yet in a call are cancelled'],
  ];
  for (const [path, command, summary] of commands) {
    r.post(
      `/api/campaigns/:id/${path}`,
      { preHandler: auth, schema: { tags, security, summary, params: IdParams } },
      async (req) => toCampaignView(await inTransaction(req, (s) => control.command(s, req.params.id, command))),
    );
  }
  r.get(
    '/api/campaigns/:id/audit',
    {
      preHandler: auth,
      schema: {
        tags,
        security,
        summary: 'Compliance audit: a page of the dial decisions, newest first, with the rules behind each',
        params: IdParams,
        querystring: AuditQuery,
      },
    },
    async (req) =>
      campaigns.audit(scopeOf(req), req.params.id, {
        limit: req.query.limit,
        offset: req.query.offset,
        blockedOnly: req.query.blocked_only,
      }),
  );
}
