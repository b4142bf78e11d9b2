import type { FastifyReply, FastifyRequest } from 'fastify';
import type { z } from 'zod';
import { authenticateVapiRequest, type VapiAuthSettings } from '../integrations/vapi/auth.ts';
import { findNul } from '../nul-check.ts';

/**
 * Reading a request to the Vapi routes: the authentication pre-handler over the raw bytes, the body as JSON, and
 * the 400 answers for a body or message that does not validate.
 */

/**
 * A pre-handler that refuses a request Vapi did not send (src/integrations/vapi/auth.ts); refused requests change
 * nothing.
 */
export function vapiAuthGuard(
  secrets: Pick<VapiAuthSettings, 'hmacSecret' | 'serverSecret'>,
  acceptSecretWithHmac: boolean,
): (req: FastifyRequest, reply: FastifyReply) => Promise<void> {
  return async (req, reply) => {
    const result = authenticateVapiRequest(rawBody(req), req.headers, { ...secrets, acceptSecretWithHmac });
    if (!result.ok) {
      req.log.warn({ url: req.url, reason: result.reason }, 'vapi request refused');
      await reply.status(result.status).send({ error: result.error, message: result.message });
    }
  };
}

function rawBody(req: FastifyRequest): Buffer {
  return Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
}

/** The body as JSON (NUL-free: PostgreSQL text cannot hold one); undefined when a 400 was sent. */
export function jsonBody(req: FastifyRequest, reply: FastifyReply): unknown {
  let json: unknown;
  try {
    json = JSON.parse(rawBody(req).toString('utf8'));
  } catch {
    void reply.status(400).send({ error: 'bad_request', message: 'Body is not valid JSON' });
    return undefined;
  }
  const nul = findNul(json, 'body');
  if (nul) {
    void reply.status(400).send({ error: 'validation_error', message: `${nul}: must not contain NUL characters` });
    return undefined;
  }
  return json;
}

/** The message parsed by its schema; null when a 400 was sent. */
export function valid<S extends z.ZodType>(schema: S, message: unknown, reply: FastifyReply): z.infer<S> | null {
  const parsed = schema.safeParse(message);
  if (parsed.success) return parsed.data;
  void badRequest(reply, parsed.error.issues, 'message.');
  return null;
}

export function badRequest(reply: FastifyReply, issues: readonly z.core.$ZodIssue[], prefix = ''): FastifyReply {
  const message = issues
    .slice(0, 5)
    .map((i) => `${prefix}${i.path.length ? i.path.join('.') : '(body)'}: ${i.message}`)
    .join('; ');
  return reply.status(400).send({ error: 'validation_error', message });
}
