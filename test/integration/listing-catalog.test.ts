import { beforeAll, describe, expect, it } from 'vitest';
import { ListingCatalog } from '../../src/domain/properties/listing-catalog.ts';
import type { AppContext } from '../../src/services.ts';
import { newAgent, testContext, type TestAgent } from '../helpers/context.ts';

let ctx: AppContext;

beforeAll(async () => {
  ctx = await testContext();
});

/** Counts the SQL statements run while `fn` runs (all forks of the ORM). */
async function statements<T>(fn: () => Promise<T>): Promise<{ result: T; count: number }> {
  let count = 0;
  const connection = ctx.orm.em.getConnection() as unknown as { execute: (...a: unknown[]) => Promise<unknown> };
  const proto = Object.getPrototypeOf(connection) as typeof connection;
  const original = proto.execute;
  proto.execute = function (this: unknown, ...args: unknown[]) {
    count++;
    return original.apply(this, args);
  };
  try {
    return { result: await fn(), count };
  } finally {
    proto.execute = original;
  }
}

describe('the listing catalog behind callers’ questions', () => {
  let a: TestAgent;
  const session = `catalog-${Date.now()}`;
  const ask = async (args: Record<string, unknown>) => {
    const out = await ctx.tools.invoke('listing_info', args, {
      agentId: a.agentId,
      sessionId: session,
      source: 'call',
      deferHistory: true,
    });
    await out.recorded;
    if (!out.ok) throw new Error(out.error.message);
    return out.result;
  };
  const act = async (tool: string, args: Record<string, unknown>) => {
    const out = await ctx.tools.invoke(tool, args, {
      agentId: a.agentId,
      sessionId: `${session}-realtor`,
      source: 'mcp',
    });
    if (!out.ok) throw new Error(`${tool}: ${out.error.message}`);
    return out.result;
  };

  beforeAll(async () => {
    a = await newAgent(ctx);
    await act('create_property', {
      address: '141 Elm Street',
      city: 'Austin',
      state: 'TX',
      price: 850_000,
      bedrooms: 3,
    });
    await act('create_property', { address: '1205 Oak Avenue', city: 'Austin', state: 'TX', price: 615_000 });
  });

  it('answers repeated questions from memory: only the history row is written', async () => {
    await ask({ property: 'one forty one elm street' }); // reads the listings once
    const { result, count } = await statements(() => ask({ property: 'one forty one elm street' }));
    expect(result.voice_summary).toBe('141 Elm Street is listed at $850,000, 3 bedrooms, and it is still available.');
    expect(count).toBe(1);
    const byId = await statements(() => ask({ property_id: result.property_id! }));
    expect(byId.result.voice_summary).toBe(result.voice_summary);
    expect(byId.count).toBe(1);
  });

  it('a price change, an accepted offer and a deletion are answered at once', async () => {
    const elm = await ask({ property: '141 Elm St' });
    await act('update_property', { property_id: elm.property_id, price: 835_000 });
    expect((await ask({ property: '141 Elm St' })).voice_summary).toMatch(/listed at \$835,000/);

    const offer = await act('record_offer', { property_id: elm.property_id, offer_price: 830_000 });
    await act('respond_to_offer', { offer_id: (offer.data as { id: number }).id, action: 'accept' });
    expect((await ask({ property: '141 Elm St' })).voice_summary).toMatch(/under contract/);

    const oak = await ask({ property: '1205 Oak Avenue' });
    await act('delete_property', { property_id: oak.property_id, confirm: true });
    await expect(ask({ property: '1205 Oak Avenue' })).rejects.toThrow(/No property matches/);
  });

  it('a listing written where this process did not see it is still found (the database is asked)', async () => {
    await ask({ property: '141 Elm St' });
    const em = ctx.orm.em.fork();
    await em.getConnection().execute(
      `insert into properties (agent_id, address, address_key, city, state, price, status, stage_entered_at, stage_source, created_at, updated_at)
       values (?, '77 Lakeshore Blvd', '77 lakeshore blvd|austin|tx', 'Austin', 'TX', 990000, 'new_property', now(), 'manual', now(), now())`,
      [a.agentId],
    );
    expect((await ask({ property: '77 Lakeshore Boulevard' })).voice_summary).toMatch(
      /^77 Lakeshore Blvd is listed at \$990,000/,
    );
  });

  it('an agent with more listings than it holds is answered from the database', async () => {
    const small = new ListingCatalog({ maxListings: 1 });
    const b = await newAgent(ctx);
    const scope = { em: ctx.orm.em.fork(), agentId: b.agentId };
    expect(await small.get(scope)).not.toBeNull();
    for (const address of ['1 First St', '2 Second St']) {
      const out = await ctx.tools.invoke(
        'create_property',
        { address, city: 'Austin', state: 'TX' },
        { agentId: b.agentId, sessionId: 's', source: 'mcp' },
      );
      expect(out.ok).toBe(true);
    }
    small.invalidate(b.agentId);
    expect(await small.get({ em: ctx.orm.em.fork(), agentId: b.agentId })).toBeNull();
  });

  it('holds a snapshot for its time to live, then reads again', async () => {
    let now = 0;
    const catalog = new ListingCatalog({ ttlMs: 1_000, now: () => now });
    const scope = () => ({ em: ctx.orm.em.fork(), agentId: a.agentId });
    const first = await catalog.get(scope());
    expect(await catalog.get(scope())).toBe(first);
    now = 999;
    expect(await catalog.get(scope())).toBe(first);
    now = 1_000;
    const second = await catalog.get(scope());
    expect(second).not.toBe(first);
    expect(second!.listings.map((l) => l.address)).toEqual(first!.listings.map((l) => l.address));
  });
});
