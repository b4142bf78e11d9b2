import type { FastifyError, FastifyInstance } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { ZodError } from 'zod';
import { DomainError } from '../domain/errors.ts';
import { describeIssues } from '../tools/registry.ts';

export interface ErrorBody {
  error: string;
  message: string;
  details?: unknown;
}

/**
 * The one REST error edge: domain errors → their 4xx; validation → 400 naming each field;
 * framework 4xx (bad JSON, too large, wrong content type) keep their status; anything else is
 * a 500 whose text is hidden and logged.
 */
export function installErrorHandler(app: FastifyInstance): void {
  app.setErrorHandler((err: FastifyError | Error, req, reply) => {
    if (err instanceof DomainError) {
      return reply.status(err.status).send({ error: err.code, message: err.message, details: err.details });
    }
    if (hasZodFastifySchemaValidationErrors(err)) {
      const where = (err as FastifyError).validationContext ?? 'body';
      const issues = err.validation.map((v) => ({
        path: [where, ...(v.instancePath ? v.instancePath.split('/').filter(Boolean) : [])].join('.'),
        message: v.message ?? 'is invalid',
        ...(v.params && 'keys' in v.params ? { keys: v.params.keys } : {}),
      }));
      const message = issues
        .slice(0, 5)
        .map((i) => `${i.path}: ${i.message}${'keys' in i ? ` (${String(i.keys)})` : ''}`)
        .join('; ');
      return reply.status(400).send({ error: 'validation_error', message, details: { issues } });
    }
    if (err instanceof ZodError) {
      return reply.status(400).send({ error: 'validation_error', message: describeIssues(err.issues) });
    }
    const status = (err as FastifyError).statusCode;
    if (typeof status === 'number' && status >= 400 && status < 500) {
      return reply.status(status).send({ error: (err as FastifyError).code ?? 'bad_request', message: err.message });
    }
    req.log.error({ err }, 'unhandled error');
    return reply.status(500).send({ error: 'internal_error', message: 'Internal server error' });
  });
  app.setNotFoundHandler((req, reply) => {
    reply
      .status(404)
      .send({ error: 'not_found', message: `Route ${req.method} ${req.url.split('?')[0]} does not exist` });
  });
}
