import cookie from '@fastify/cookie';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import { jsonSchemaTransform, serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import websocket from '@fastify/websocket';
import { mediaStreamRoutes } from '../call-server/media-stream.ws.ts';
import { relayRoutes } from '../call-server/relay.ws.ts';
import { twilioWebhooks } from '../call-server/twilio-webhooks.ts';
import { vapiRoutes } from '../call-server/vapi.routes.ts';
import { callRoutes } from './routes/calls.routes.ts';
import { consoleRoutes } from './routes/console.routes.ts';
import { consoleStatic } from './console.ts';
import { testCallRoutes } from '../call-server/test-call.ws.ts';
import type { AppContext } from '../services.ts';
import { requestContext } from './auth.ts';
import { findNul } from '../nul-check.ts';
import { installErrorHandler } from './errors.ts';
import { agentRoutes } from './routes/agents.routes.ts';
import { contractRoutes } from './routes/contracts.routes.ts';
import { crmRoutes } from './routes/crm.routes.ts';
import { insightsRoutes } from './routes/insights.routes.ts';
import { mcpRoutes } from './routes/mcp.routes.ts';
import { offerRoutes } from './routes/offers.routes.ts';
import { propertyRoutes } from './routes/properties.routes.ts';
import { showingRoutes } from './routes/showings.routes.ts';
import { campaignRoutes } from './routes/campaigns.routes.ts';
import { callingComplianceRoutes } from './routes/compliance-calls.routes.ts';
import { systemRoutes } from './routes/system.routes.ts';
import { toolRoutes } from './routes/tools.routes.ts';
import { valuationRoutes } from './routes/valuation.routes.ts';
import { webhookRoutes } from './routes/webhooks.routes.ts';
import { workflowRoutes } from './routes/workflow.routes.ts';

/** Builds the HTTP surface over an already-built context; `server`/`main` only start it. */
export async function buildApp(ctx: AppContext): Promise<FastifyInstance> {
  const app = Fastify({
    loggerInstance: ctx.log as FastifyBaseLogger,
    bodyLimit: 1_048_576,
    routerOptions: { maxParamLength: 200 },
    ajv: { customOptions: { removeAdditional: false } },
  });
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  installErrorHandler(app);

  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Realtor voice agent API',
        version: '0.1.0',
        description:
          'Admin REST API of the voice-first agent service. Authenticate with "Authorization: Bearer <API key>".',
      },
      servers: [{ url: ctx.config.publicUrl }],
      components: { securitySchemes: { bearerAuth: { type: 'http', scheme: 'bearer' } } },
    },
    transform: jsonSchemaTransform,
  });
  await app.register(swaggerUi, { routePrefix: '/docs' });

  await app.register(cookie);
  await app.register(requestContext, { ctx });
  app.addHook('preValidation', async (req, reply) => {
    const where = findNul(req.query, 'query') ?? findNul(req.params, 'params') ?? findNul(req.body, 'body');
    if (where) {
      return reply
        .status(400)
        .send({ error: 'validation_error', message: `${where}: must not contain NUL characters` });
    }
  });
  app.addHook('onResponse', async (req, reply) => {
    const route = req.routeOptions.url ?? 'unmatched';
    ctx.metrics.httpDuration.observe(
      { method: req.method, route, status: String(reply.statusCode) },
      reply.elapsedTime / 1000,
    );
  });

  await app.register(websocket, { options: { maxPayload: 1 << 20 } });
  for (const routes of [
    systemRoutes,
    agentRoutes,
    propertyRoutes,
    crmRoutes,
    workflowRoutes,
    insightsRoutes,
    contractRoutes,
    offerRoutes,
    valuationRoutes,
    showingRoutes,
    campaignRoutes,
    callingComplianceRoutes,
    toolRoutes,
    mcpRoutes,
    webhookRoutes,
    twilioWebhooks,
    relayRoutes,
    mediaStreamRoutes,
    vapiRoutes,
    callRoutes,
    consoleRoutes,
    testCallRoutes,
  ]) {
    await app.register(routes, { ctx });
  }
  await app.register(consoleStatic, { dir: ctx.config.CONSOLE_DIR });
  return app;
}
