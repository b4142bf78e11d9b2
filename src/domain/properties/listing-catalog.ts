import { Offer } from '../offers/offer.entity.ts';
import type { AgentScope } from '../shared/scope.ts';
import { toPropertyView, type PropertyView } from './properties.service.ts';
import { Property } from './property.entity.ts';
import { inMemorySource, type PropertySource } from './resolver.ts';

/** An agent's listings as the receptionist answers callers about them, held in memory. */
export interface ListingSnapshot {
  readonly listings: readonly PropertyView[];
  readonly byId: ReadonlyMap<number, PropertyView>;
  /** Listings with an accepted offer. */
  readonly underContract: ReadonlySet<number>;
  /** Where the property resolver finds a spoken address or an id among these listings. */
  readonly source: PropertySource<PropertyView>;
}

export interface ListingCatalogOptions {
  /** How long a snapshot is answered from before it is read again. Default 10 s. */
  ttlMs?: number;
  /** Agents with more properties than this are not held in memory (callers' questions go to the database). */
  maxListings?: number;
  now?: () => number;
}

interface Entry {
  at: number;
  snapshot: Promise<ListingSnapshot | null>;
}

/**
 * Callers ask about the same few listings again and again, several times a call: rather than three queries
 * a question, the receptionist reads the agent's listings (two queries) once per `ttlMs` and answers from
 * memory. Writes through the ORM to a property or an offer drop the agent's snapshot at once (see
 * `invalidate`), so the staleness bound (`ttlMs`) only concerns writes this process did not see (another
 * instance, raw SQL).
 */
export class ListingCatalog {
  private readonly entries = new Map<number, Entry>();
  private readonly ttlMs: number;
  private readonly maxListings: number;
  private readonly now: () => number;

  constructor(options: ListingCatalogOptions = {}) {
    this.ttlMs = options.ttlMs ?? 10_000;
    this.maxListings = options.maxListings ?? 2_000;
    this.now = options.now ?? Date.now;
  }

  /** The agent's listings, or null when the agent has too many to hold in memory. */
  get(scope: AgentScope): Promise<ListingSnapshot | null> {
    const entry = this.entries.get(scope.agentId);
    if (entry && this.now() - entry.at < this.ttlMs) return entry.snapshot;
    const fresh: Entry = { at: this.now(), snapshot: this.load(scope) };
    this.entries.set(scope.agentId, fresh);
    // A failed read is not kept.
    fresh.snapshot.catch(() => {
      if (this.entries.get(scope.agentId) === fresh) this.entries.delete(scope.agentId);
    });
    return fresh.snapshot;
  }

  /** A property or offer of the agent changed: the next question reads the listings again. */
  invalidate(agentId: number): void {
    this.entries.delete(agentId);
  }

  private async load(scope: AgentScope): Promise<ListingSnapshot | null> {
    const properties = await scope.em.find(
      Property,
      { agent: scope.agentId },
      { limit: this.maxListings + 1, orderBy: { id: 'desc' } },
    );
    if (properties.length > this.maxListings) return null;
    const accepted = await scope.em.find(Offer, { agent: scope.agentId, status: 'accepted' }, { fields: ['property'] });
    const listings = properties.map(toPropertyView);
    const byId = new Map(listings.map((l) => [l.id, l]));
    return {
      listings,
      byId,
      underContract: new Set(accepted.map((o) => o.property.id)),
      source: inMemorySource(listings, (id) => byId.get(id)),
    };
  }
}
