/**
 * Typed domain errors. Surfaces translate them at exactly one edge each:
 * REST in the Fastify error handler, tools in the tool runner.
 */
export abstract class DomainError extends Error {
  abstract readonly code: string;
  /** HTTP-like status used by the REST edge. */
  abstract readonly status: number;
  constructor(
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

export class NotFoundError extends DomainError {
  readonly code = 'not_found';
  readonly status = 404;
  constructor(entity: string, id: number | string) {
    super(`${entity} ${id} was not found`, { entity, id });
  }
}

export class ConflictError extends DomainError {
  readonly code = 'conflict';
  readonly status = 409;
}

export class ValidationError extends DomainError {
  readonly code = 'validation_error';
  readonly status = 400;
}

export class UnauthorizedError extends DomainError {
  readonly code = 'unauthorized';
  readonly status = 401;
}

/** A spoken or typed reference matched several rows equally well. */
export class AmbiguousReferenceError extends DomainError {
  readonly code = 'ambiguous_reference';
  readonly status = 409;
}
