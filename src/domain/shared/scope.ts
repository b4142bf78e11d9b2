import type { SqlEntityManager } from '@mikro-orm/sql';

/**
 * The unit of work and the tenant of one request, call or tool invocation.
 * Every domain query is filtered by `agentId`.
 */
export interface AgentScope {
  em: SqlEntityManager;
  agentId: number;
}

export function isValidTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}
