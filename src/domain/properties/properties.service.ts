import { UniqueConstraintViolationException, raw } from '@mikro-orm/core';
import type { FilterQuery } from '@mikro-orm/core';
import { Agent } from '../agents/agent.entity.ts';
import { ConflictError, NotFoundError, ValidationError } from '../errors.ts';
import type { AgentScope } from '../shared/scope.ts';
import { addressKey } from './address.ts';
import { computeHeartbeat, type Heartbeat } from './heartbeat.ts';
import { Property, type IProperty } from './property.entity.ts';
import type { DealType, PropertyStatus, PropertyType, ScoreGrade } from './property.enums.ts';
import type { PropertyCreateInput, PropertyListQuery, PropertyUpdateInput } from './property.schemas.ts';
import { gatherFacts, type StageFactsSource } from './stage-facts.ts';

export interface PropertyView {
  id: number;
  title: string | null;
  description: string | null;
  address: string;
  city: string;
  state: string;
  zip_code: string | null;
  price: number | null;
  bedrooms: number | null;
  bathrooms: number | null;
  square_feet: number | null;
  lot_size: number | null;
  year_built: number | null;
  latitude: number | null;
  longitude: number | null;
  property_type: PropertyType;
  status: PropertyStatus;
  deal_type: DealType | null;
  deal_score: number | null;
  score_grade: ScoreGrade | null;
  score_breakdown: Record<string, unknown> | null;
  stage_entered_at: string;
  created_at: string;
  updated_at: string;
  heartbeat?: Heartbeat;
}

/** Work that belongs to creating a property (e.g. attaching the contracts its state requires). */
export type PropertyCreatedHook = (scope: AgentScope, property: IProperty) => Promise<unknown>;

export interface PropertyPage {
  items: PropertyView[];
  total: number;
  limit: number;
  offset: number;
}

export function toPropertyView(p: IProperty): PropertyView {
  return {
    id: p.id,
    title: p.title ?? null,
    description: p.description ?? null,
    address: p.address,
    city: p.city,
    state: p.state,
    zip_code: p.zipCode ?? null,
    price: p.price ?? null,
    bedrooms: p.bedrooms ?? null,
    bathrooms: p.bathrooms ?? null,
    square_feet: p.squareFeet ?? null,
    lot_size: p.lotSize ?? null,
    year_built: p.yearBuilt ?? null,
    latitude: p.latitude ?? null,
    longitude: p.longitude ?? null,
    property_type: p.propertyType,
    status: p.status,
    deal_type: p.dealType ?? null,
    deal_score: p.dealScore ?? null,
    score_grade: p.scoreGrade ?? null,
    score_breakdown: p.scoreBreakdown ?? null,
    stage_entered_at: p.stageEnteredAt.toISOString(),
    created_at: p.createdAt.toISOString(),
    updated_at: p.updatedAt.toISOString(),
  };
}

const SORT_FIELDS = {
  created_at: 'createdAt',
  updated_at: 'updatedAt',
  price: 'price',
  bedrooms: 'bedrooms',
  square_feet: 'squareFeet',
} as const;

function escapeLike(s: string): string {
  return s.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/** Maps snake_case input fields to entity fields. */
function toEntityFields(input: PropertyUpdateInput): Partial<IProperty> {
  const map: Record<string, string> = {
    title: 'title',
    description: 'description',
    address: 'address',
    city: 'city',
    state: 'state',
    zip_code: 'zipCode',
    price: 'price',
    bedrooms: 'bedrooms',
    bathrooms: 'bathrooms',
    square_feet: 'squareFeet',
    lot_size: 'lotSize',
    year_built: 'yearBuilt',
    latitude: 'latitude',
    longitude: 'longitude',
    property_type: 'propertyType',
    status: 'status',
    deal_type: 'dealType',
  };
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(input)) {
    const field = map[k];
    if (field && v !== undefined) out[field] = v;
  }
  return out as Partial<IProperty>;
}

export class PropertiesService {
  constructor(
    private readonly factSources: readonly StageFactsSource[],
    private readonly onCreated: readonly PropertyCreatedHook[] = [],
    /** Told of a property deleted (the ORM's change events do not see a native delete). */
    private readonly onDeleted: readonly ((agentId: number, id: number) => void)[] = [],
  ) {}

  /**
   * Creates a property and runs the on-create hooks (contract auto-attach, …) in the same
   * transaction: either all of it exists afterwards or none of it.
   */
  async create(scope: AgentScope, input: PropertyCreateInput): Promise<PropertyView> {
    const key = addressKey(input.address, input.city, input.state);
    await this.assertAddressFree(scope, key);
    return scope.em.transactional(async (tx) => {
      const inner: AgentScope = { em: tx, agentId: scope.agentId };
      const property = tx.create(Property, {
        ...(toEntityFields(input) as Required<Pick<IProperty, 'address' | 'city' | 'state'>>),
        agent: tx.getReference(Agent, scope.agentId),
        addressKey: key,
      });
      await this.flushUnique(inner);
      for (const hook of this.onCreated) await hook(inner, property);
      return toPropertyView(property);
    });
  }

  async get(scope: AgentScope, id: number): Promise<IProperty> {
    const property = await scope.em.findOne(Property, { id, agent: scope.agentId });
    if (!property) throw new NotFoundError('Property', id);
    return property;
  }

  async getView(scope: AgentScope, id: number, withHeartbeat = false): Promise<PropertyView> {
    const property = await this.get(scope, id);
    const view = toPropertyView(property);
    if (withHeartbeat) view.heartbeat = (await this.heartbeats(scope, [property])).get(property.id);
    return view;
  }

  async update(scope: AgentScope, id: number, input: PropertyUpdateInput): Promise<PropertyView> {
    const property = await this.get(scope, id);
    const fields = toEntityFields(input);
    const nextKey = addressKey(
      fields.address ?? property.address,
      fields.city ?? property.city,
      fields.state ?? property.state,
    );
    if (nextKey !== property.addressKey) {
      await this.assertAddressFree(scope, nextKey, id);
      property.addressKey = nextKey;
    }
    if (fields.status !== undefined && fields.status !== property.status) {
      property.stageEnteredAt = new Date();
      property.stageSource = 'manual';
    }
    scope.em.assign(property, fields);
    await this.flushUnique(scope);
    return toPropertyView(property);
  }

  async delete(scope: AgentScope, id: number): Promise<PropertyView> {
    const property = await this.get(scope, id);
    const view = toPropertyView(property);
    await scope.em.nativeDelete(Property, { id, agent: scope.agentId });
    scope.em.getUnitOfWork().unsetIdentity(property);
    for (const hook of this.onDeleted) hook(scope.agentId, id);
    return view;
  }

  async list(scope: AgentScope, q: PropertyListQuery): Promise<PropertyPage> {
    if (q.min_price !== undefined && q.max_price !== undefined && q.min_price > q.max_price) {
      throw new ValidationError('min_price must not exceed max_price', { field: 'min_price' });
    }
    const where: Record<PropertyKey, unknown> = { agent: scope.agentId };
    if (q.status) where.status = q.status;
    if (q.property_type) where.propertyType = q.property_type;
    if (q.state) where.state = q.state;
    if (q.city) where[raw('lower(city)') as PropertyKey] = q.city.toLowerCase();
    if (q.min_price !== undefined || q.max_price !== undefined) {
      where.price = {
        ...(q.min_price !== undefined ? { $gte: q.min_price } : {}),
        ...(q.max_price !== undefined ? { $lte: q.max_price } : {}),
      };
    }
    if (q.bedrooms !== undefined) where.bedrooms = { $gte: q.bedrooms };
    if (q.q) {
      const like = `%${escapeLike(q.q)}%`;
      where.$or = [
        { address: { $ilike: like } },
        { city: { $ilike: like } },
        { title: { $ilike: like } },
        { zipCode: { $ilike: like } },
      ];
    }
    const desc = q.sort.startsWith('-');
    const field = SORT_FIELDS[q.sort.replace(/^-/, '') as keyof typeof SORT_FIELDS];
    // Timestamps are never null: a plain direction lets an index serve the order both ways.
    const nullable = field !== 'createdAt' && field !== 'updatedAt';
    const direction = `${desc ? 'desc' : 'asc'}${nullable ? ' nulls last' : ''}`;
    const [rows, total] = await scope.em.findAndCount(Property, where as FilterQuery<IProperty>, {
      orderBy: { [field]: direction, id: desc ? 'desc' : 'asc' },
      limit: q.limit,
      offset: q.offset,
    });
    const items = rows.map(toPropertyView);
    if (q.include_heartbeat && rows.length > 0) {
      const beats = await this.heartbeats(scope, rows);
      for (const item of items) item.heartbeat = beats.get(item.id);
    }
    return { items, total, limit: q.limit, offset: q.offset };
  }

  async heartbeat(scope: AgentScope, id: number, now = new Date()): Promise<Heartbeat> {
    const property = await this.get(scope, id);
    return (await this.heartbeats(scope, [property], now)).get(id)!;
  }

  async heartbeats(scope: AgentScope, properties: IProperty[], now = new Date()): Promise<Map<number, Heartbeat>> {
    const facts = await gatherFacts(
      this.factSources,
      scope.em,
      scope.agentId,
      properties.map((p) => p.id),
    );
    return new Map(properties.map((p) => [p.id, computeHeartbeat(p, facts.get(p.id)!, now)]));
  }

  private async assertAddressFree(scope: AgentScope, key: string, exceptId?: number): Promise<void> {
    const existing = await scope.em.findOne(
      Property,
      { agent: scope.agentId, addressKey: key, ...(exceptId ? { id: { $ne: exceptId } } : {}) },
      { fields: ['id', 'address'] },
    );
    if (existing) {
      throw new ConflictError(`A property at ${existing.address} already exists (id ${existing.id})`, {
        existing_id: existing.id,
      });
    }
  }

  /** Flushes; a concurrent insert of the same address surfaces as a 409 too. */
  private async flushUnique(scope: AgentScope): Promise<void> {
    try {
      await scope.em.flush();
    } catch (err) {
      if (err instanceof UniqueConstraintViolationException) {
        throw new ConflictError('A property at this address already exists', { field: 'address' });
      }
      throw err;
    }
  }
}
