/**
 * A word table without a prototype, so that words like "constructor" or "__proto__" are not
 * keys of it (`in` and indexing on a plain object literal see Object.prototype's members).
 */
export function lookup<T>(entries: Record<string, T>): Readonly<Record<string, T>> {
  return Object.freeze(Object.assign(Object.create(null) as Record<string, T>, entries));
}
