import type { EntityName, EventArgs, EventSubscriber } from '@mikro-orm/core';
import type { ListingCatalog } from '../domain/properties/listing-catalog.ts';
import { Offer } from '../domain/offers/offer.entity.ts';
import { Property } from '../domain/properties/property.entity.ts';

type Changed = { agent: { id: number } };

/** Drops an agent's listing snapshot whenever the ORM writes one of its properties or offers. */
export class ListingChanges implements EventSubscriber<Changed> {
  constructor(private readonly catalog: ListingCatalog) {}

  getSubscribedEntities(): EntityName<Changed>[] {
    return [Property, Offer] as unknown as EntityName<Changed>[];
  }

  afterCreate(args: EventArgs<Changed>): void {
    this.changed(args);
  }

  afterUpdate(args: EventArgs<Changed>): void {
    this.changed(args);
  }

  afterDelete(args: EventArgs<Changed>): void {
    this.changed(args);
  }

  afterUpsert(args: EventArgs<Changed>): void {
    this.changed(args);
  }

  private changed({ entity }: EventArgs<Changed>): void {
    const agentId = entity.agent?.id;
    if (typeof agentId === 'number') this.catalog.invalidate(agentId);
  }
}
