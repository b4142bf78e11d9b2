import type { FastifyInstance } from 'fastify';
import { parseDocuSealWebhook, verifyDocuSealWebhook } from '../../integrations/docuseal/index.ts';
import type { AppContext } from '../../services.ts';

/**
 * Vendor webhooks. Each verifies its signature over the raw body before reading anything;
 * unsigned or wrongly signed requests get 401 and change nothing.
 */
export async function webhookRoutes(app: FastifyInstance, { ctx }: { ctx: AppContext }): Promise<void> {
  // Raw bytes for signature checks (this plugin scope only).
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: 1_048_576 }, (_req, body, done) => done(null, body));

  app.post(
    '/webhooks/docuseal',
    { schema: { tags: ['webhooks'], summary: 'DocuSeal signing events (HMAC-SHA256 signed)' } },
    async (req, reply) => {
      const raw = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
      const { DOCUSEAL_WEBHOOK_SECRET: secret, DOCUSEAL_SIGNING_SECRET: signing } = ctx.config;
      if (!secret && !signing) {
        req.log.warn('docuseal webhook refused: no webhook secret is configured');
        return reply.status(401).send({ error: 'unauthorized', message: 'Webhook signing is not configured' });
      }
      const ok = verifyDocuSealWebhook(raw, req.headers, {
        secret: secret ?? '',
        ...(signing ? { docuSealSigningSecret: signing } : {}),
      });
      if (!ok) {
        req.log.warn('docuseal webhook refused: bad signature');
        return reply.status(401).send({ error: 'unauthorized', message: 'Invalid or missing webhook signature' });
      }
      let json: unknown;
      try {
        json = JSON.parse(raw.toString('utf8'));
      } catch {
        return reply.status(400).send({ error: 'bad_request', message: 'Body is not valid JSON' });
      }
      const event = parseDocuSealWebhook(json);
      if (!event) return reply.status(202).send({ status: 'ignored' });
      const applied = await ctx.orm.em
        .fork()
        .transactional((em) => ctx.services.signing.applySignatureEvent(em, event));
      return reply
        .status(applied ? 200 : 202)
        .send({ status: applied ? 'applied' : 'unknown_submission', ...(applied ?? {}) });
    },
  );
}
