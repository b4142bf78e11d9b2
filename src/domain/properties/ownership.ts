import { NotFoundError } from '../errors.ts';
import type { AgentScope } from '../shared/scope.ts';
import { Property, type IProperty } from './property.entity.ts';

/** Returns a reference to the caller's property, or throws 404 (also for other agents' ids). */
export async function ownPropertyRef(scope: AgentScope, propertyId: number): Promise<IProperty> {
  const count = await scope.em.count(Property, { id: propertyId, agent: scope.agentId });
  if (count === 0) throw new NotFoundError('Property', propertyId);
  return scope.em.getReference(Property, propertyId);
}
