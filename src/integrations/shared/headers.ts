/** Request headers as Node and Fastify give them. */
export type HeaderBag = Record<string, string | string[] | undefined>;

/** The header's one value, matching the name in any case; absent, repeated or an array: undefined. */
export function singleHeader(headers: HeaderBag, name: string): string | undefined {
  const wanted = name.toLowerCase();
  const values = Object.keys(headers)
    .filter((key) => key.toLowerCase() === wanted)
    .map((key) => headers[key]);
  const [value] = values;
  return values.length === 1 && typeof value === 'string' ? value : undefined;
}
