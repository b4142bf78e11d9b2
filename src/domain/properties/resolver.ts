import { distance } from 'fastest-levenshtein';
import { AmbiguousReferenceError, DomainError, NotFoundError, ValidationError } from '../errors.ts';
import type { AgentScope } from '../shared/scope.ts';
import { isGenericToken, tokenizeAddress, type AddressTokens } from './address.ts';
import { Property, type IProperty } from './property.entity.ts';
import { wordsToDigits } from './spoken-numbers.ts';

/** No property matched a spoken or typed reference; carries close-match suggestions. */
export class PropertyNotResolvedError extends DomainError {
  readonly code = 'property_not_found';
  readonly status = 404;
}

export interface ResolveContext {
  /** The property the conversation was last about, for "this property" / "it". */
  lastPropertyId: () => Promise<number | null>;
}

export interface Resolution {
  property: IProperty;
  via: 'id' | 'context' | 'address';
}

export interface Candidate {
  id: number;
  address: string;
  city: string;
  state: string;
}

const CONTEXTUAL =
  /^(?:(?:this|that|the same|same|the current|current)(?:\s+(?:one|property|house|home|place|listing|address))?|it|there|the property|the house|the listing)$/;
const BY_ID = /^(?:(?:property|listing|house|home|id)\s*)?(?:number\s*|no\.?\s*|#\s*)?(\d{1,9})$/;

/** Similarity in [0, 1] from edit distance (1 = identical). */
export function similarity(a: string, b: string): number {
  const max = Math.max(a.length, b.length);
  return max === 0 ? 1 : 1 - distance(a, b) / max;
}

interface Scored<T extends Candidate> {
  candidate: T;
  score: number;
  matchedShare: number;
  houseConflict: boolean;
}

/** Scores one candidate against one reading of the query (reference §4 weights). */
function scoreCandidate<T extends Candidate>(q: AddressTokens, p: T): Scored<T> {
  const addr = tokenizeAddress(p.address);
  const addrTokens = new Set(addr.tokens);
  const cityTokens = new Set(p.city.toLowerCase().split(/\s+/));
  const state = p.state.toLowerCase();
  const terms = q.tokens.filter((t) => !isGenericToken(t));
  let matched = 0;
  let addressHits = 0;
  let cityHits = 0;
  for (const term of terms) {
    if (addrTokens.has(term)) {
      matched++;
      addressHits++;
    } else if (cityTokens.has(term) || term === state) {
      matched++;
      cityHits++;
    } else if (term.length >= 4 && !/^\d/.test(term) && addr.tokens.some((t) => similarity(t, term) >= 0.75)) {
      // Speech-to-text slips ("Mapel" for "Maple") count half.
      matched += 0.5;
      addressHits += 0.5;
    }
  }
  // Street-type and direction agreement breaks ties between "Elm St" and "Elm Ave".
  const generic = q.tokens.filter((t) => isGenericToken(t) && t !== '#');
  const typeBonus = generic.filter((t) => addrTokens.has(t)).length;
  return {
    candidate: p,
    score: 10 * matched + 5 * addressHits + 3 * cityHits + typeBonus,
    matchedShare: terms.length === 0 ? 0 : matched / terms.length,
    houseConflict: q.houseNumber !== null && addr.houseNumber !== null && q.houseNumber !== addr.houseNumber,
  };
}

function describe(p: Candidate): string {
  return `#${p.id} ${p.address}, ${p.city}`;
}

/** Two readings of spoken numbers: "seven fifty fifth" is 7 55th or 750 5th. */
function readingsOf(text: string): AddressTokens[] {
  return [
    tokenizeAddress(text, { spoken: true }),
    tokenizeAddress(text, { spoken: true, compoundOrdinals: false }),
  ].filter((r, i, all) => all.findIndex((o) => o.tokens.join(' ') === r.tokens.join(' ')) === i);
}

/** What narrows the candidates: house numbers whole, other terms by their first 3 letters (typo-tolerant). */
function fragmentsOf(readings: AddressTokens[]): string[] {
  const fragments = new Set<string>();
  for (const r of readings) {
    for (const t of r.tokens) {
      if (isGenericToken(t)) continue;
      if (/^\d/.test(t)) fragments.add(t);
      else if (t.length >= 3) fragments.add(t.slice(0, 3));
    }
  }
  return [...fragments];
}

/** At most this many candidates are scored (newest first). */
const MAX_CANDIDATES = 500;

/** The one candidate a spoken/typed address means; throws when several tie or none matches. */
function pick<T extends Candidate>(text: string, readings: AddressTokens[], candidates: readonly T[]): T {
  const best = new Map<number, Scored<T>>();
  for (const reading of readings) {
    for (const c of candidates) {
      const s = scoreCandidate(reading, c);
      const prev = best.get(c.id);
      if (!prev || s.score > prev.score) best.set(c.id, s);
    }
  }
  const eligible = [...best.values()]
    .filter((s) => !s.houseConflict && s.matchedShare >= 0.5)
    .sort((a, b) => b.score - a.score);
  const [top, second] = eligible;
  if (top && (!second || top.score > second.score)) return top.candidate;
  if (top && second) {
    const tied = eligible
      .filter((s) => s.score === top.score)
      .slice(0, 5)
      .map((s) => s.candidate);
    throw new AmbiguousReferenceError(
      `Several properties match "${text}": ${tied.map(describe).join('; ')}. Which one?`,
      { candidates: tied.map((c) => ({ id: c.id, address: c.address, city: c.city, state: c.state })) },
    );
  }
  const spoken = readings[0]!.tokens.join(' ');
  const suggestions = candidates
    .map((c) => ({ c, sim: similarity(spoken, tokenizeAddress(c.address).tokens.join(' ')) }))
    .filter((x) => x.sim >= 0.4)
    .sort((a, b) => b.sim - a.sim)
    .slice(0, 3)
    .map((x) => x.c);
  const hint = suggestions.length ? ` Did you mean ${suggestions.map(describe).join(' or ')}?` : '';
  throw new PropertyNotResolvedError(`No property matches "${text}".${hint}`, {
    suggestions: suggestions.map((c) => ({ id: c.id, address: c.address, city: c.city, state: c.state })),
  });
}

/**
 * Where a reference is looked up: by id, and by candidates for an address. The database (the resolver's own)
 * or an in-memory list of the agent's properties (the listing catalog).
 */
export interface PropertySource<T extends Candidate> {
  byId(id: number): Promise<T>;
  /** The agent's properties whose address or city contains one of the fragments (case-insensitive). */
  candidates(fragments: string[]): Promise<readonly T[]>;
}

/** A source over properties already in memory; same narrowing as the database's ILIKE search. */
export function inMemorySource<T extends Candidate>(
  all: readonly T[],
  byId: (id: number) => T | undefined,
): PropertySource<T> {
  return {
    byId: (id) => {
      const found = byId(id);
      return found ? Promise.resolve(found) : Promise.reject(new NotFoundError('Property', id));
    },
    candidates: (fragments) =>
      Promise.resolve(
        all
          .filter((c) => {
            const address = c.address.toLowerCase();
            const city = c.city.toLowerCase();
            return fragments.some((f) => address.includes(f) || city.includes(f));
          })
          .sort((a, b) => b.id - a.id)
          .slice(0, MAX_CANDIDATES),
      ),
  };
}

export class PropertyResolver {
  /** Resolves an id, a contextual reference or a spoken/typed address to one of the agent's properties. */
  resolve(scope: AgentScope, ref: number | string, ctx: ResolveContext): Promise<Resolution> {
    return this.resolveIn(this.database(scope), ref, ctx);
  }

  /** The same, looked up in `source` (e.g. the listing catalog). */
  async resolveIn<T extends Candidate>(
    source: PropertySource<T>,
    ref: number | string,
    ctx: ResolveContext,
  ): Promise<{ property: T; via: Resolution['via'] }> {
    if (typeof ref === 'number') return { property: await source.byId(ref), via: 'id' };
    const text = ref
      .trim()
      .toLowerCase()
      .replace(/[?.!,]+$/g, '');
    if (!text) throw new ValidationError('property reference is empty', { field: 'property' });
    if (CONTEXTUAL.test(text)) {
      const last = await ctx.lastPropertyId();
      if (last === null) {
        throw new ValidationError(
          'No property has been discussed in this conversation yet. Say the address or the property number.',
          { field: 'property' },
        );
      }
      return { property: await source.byId(last), via: 'context' };
    }
    const idMatch = BY_ID.exec(wordsToDigits(text.split(/\s+/)).join(' '));
    if (idMatch) return { property: await source.byId(Number(idMatch[1])), via: 'id' };
    const readings = readingsOf(text);
    const fragments = fragmentsOf(readings);
    return {
      property: pick(text, readings, fragments.length ? await source.candidates(fragments) : []),
      via: 'address',
    };
  }

  private database(scope: AgentScope): PropertySource<IProperty> {
    return {
      byId: async (id) => {
        const property = await scope.em.findOne(Property, { id, agent: scope.agentId });
        if (!property) throw new NotFoundError('Property', id);
        return property;
      },
      candidates: (fragments) => {
        const like = (s: string): string => `%${s.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
        const or = fragments.flatMap((f) => [{ address: { $ilike: like(f) } }, { city: { $ilike: like(f) } }]);
        return scope.em.find(
          Property,
          { agent: scope.agentId, $or: or },
          { limit: MAX_CANDIDATES, orderBy: { id: 'desc' } },
        );
      },
    };
  }
}
