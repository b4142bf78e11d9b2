import { beforeAll, describe, expect, it } from 'vitest';
import { AmbiguousReferenceError, NotFoundError, ValidationError } from '../../src/domain/errors.ts';
import { PropertyNotResolvedError } from '../../src/domain/properties/resolver.ts';
import type { AppContext } from '../../src/services.ts';
import { newAgent, testContext, type TestAgent } from '../helpers/context.ts';

let ctx: AppContext;
let agent: TestAgent;
const ids: Record<string, number> = {};

const rows: [string, string, string, string][] = [
  ['elm', '141 Elm St', 'Austin', 'TX'],
  ['elm1401', '1401 Elm St', 'Austin', 'TX'],
  ['w42', '2300 W 42nd St Apt 4B', 'Austin', 'TX'],
  ['w42c', '2300 W 42nd St Apt 5C', 'Austin', 'TX'],
  ['maple', '908 Maple Dr', 'Pflugerville', 'TX'],
  ['fifth', '750 5th Ave', 'New York', 'NY'],
  ['bk1', '12 Bergen St', 'Brooklyn', 'NY'],
  ['court', '101 Court St', 'Brooklyn', 'NY'],
];

beforeAll(async () => {
  ctx = await testContext();
  agent = await newAgent(ctx);
  for (const [key, address, city, state] of rows) {
    ids[key] = (await ctx.services.properties.create(agent.scope(), { address, city, state: state as 'TX' })).id;
  }
});

async function resolve(ref: string | number, last: number | null = null): Promise<number> {
  const r = await ctx.services.resolver.resolve(agent.scope(), ref, { lastPropertyId: async () => last });
  return r.property.id;
}

describe('property resolution from spoken references', () => {
  it.each([
    ['one forty one elm street', 'elm'],
    ['the property on one forty one elm', 'elm'],
    ['fourteen oh one elm street', 'elm1401'],
    ['twenty three hundred west forty second street apartment four b', 'w42'],
    ['2300 w 42nd st #5c', 'w42c'],
    ['nine oh eight maple drive', 'maple'],
    ['nine oh eight mapel drive', 'maple'],
    ['seven fifty fifth avenue', 'fifth'],
    ['one oh one court street', 'court'],
    ['twelve bergen', 'bk1'],
  ])('"%s" → %s', async (said, key) => {
    expect(await resolve(said)).toBe(ids[key]);
  });

  it('ids win: numbers, "property 5", "property number five"', async () => {
    expect(await resolve(ids.maple!)).toBe(ids.maple);
    expect(await resolve(`property ${ids.maple}`)).toBe(ids.maple);
    expect(await resolve(String(ids.court))).toBe(ids.court);
  });

  it('"this property", "that one", "it" → the last property of the conversation', async () => {
    for (const said of ['this property', 'that one', 'it', 'the same property', 'This property?']) {
      expect(await resolve(said, ids.fifth!)).toBe(ids.fifth);
    }
    await expect(resolve('this property', null)).rejects.toBeInstanceOf(ValidationError);
  });

  it('lists the candidates when a reference is ambiguous', async () => {
    const err = await resolve('the brooklyn property').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AmbiguousReferenceError);
    const candidates = (err as AmbiguousReferenceError).details!.candidates as { id: number }[];
    expect(candidates.map((c) => c.id).sort()).toEqual([ids.bk1, ids.court].sort());
    expect((err as Error).message).toMatch(/Which one\?/);
  });

  it('does not turn "one forty one" into 1401, nor match a different house number', async () => {
    expect(await resolve('one forty one elm street')).not.toBe(ids.elm1401);
    const err = await resolve('one forty two elm street').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PropertyNotResolvedError);
    expect((err as Error).message).toMatch(/Did you mean #\d+ 141 Elm St/);
  });

  it('says so when nothing is close, and 404s unknown or foreign ids', async () => {
    await expect(resolve('nine hundred zebra parkway')).rejects.toBeInstanceOf(PropertyNotResolvedError);
    const other = await newAgent(ctx);
    const theirs = await ctx.services.properties.create(other.scope(), {
      address: '5 Hidden Ln',
      city: 'Austin',
      state: 'TX',
    });
    await expect(resolve(theirs.id)).rejects.toBeInstanceOf(NotFoundError);
    await expect(resolve('five hidden lane')).rejects.toBeInstanceOf(PropertyNotResolvedError);
  });
});
