/**
 * PostgreSQL text cannot hold U+0000; a NUL anywhere in input would surface as a database error.
 * Returns the path of the first string containing one ("body.address"), or null.
 */
export function findNul(value: unknown, path: string, depth = 0): string | null {
  if (typeof value === 'string') return value.includes('\u0000') ? path : null;
  if (depth > 20 || value === null || typeof value !== 'object' || ArrayBuffer.isView(value)) return null;
  for (const [key, v] of Object.entries(value)) {
    if (key.includes('\u0000')) return `${path}.${key.split('\u0000').join('\\0')}`;
    const found = findNul(v, `${path}.${key}`, depth + 1);
    if (found) return found;
  }
  return null;
}
