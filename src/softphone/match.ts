/**
 * What an expectation looks for in a text: a case-insensitive substring, or `/regex/flags`.
 * Substrings are compared after normalising case, whitespace and typographic quotes, so
 * `expect: I'm` matches a reply that says "I’m".
 */
export type Matcher = { kind: 'text'; text: string } | { kind: 'regex'; regex: RegExp };

const REGEX_LITERAL = /^\/(.+)\/([a-z]*)$/s;

/** Parses `text` or `/regex/flags`; throws SyntaxError on an invalid regex or flag. */
export function parseMatcher(source: string): Matcher {
  const literal = REGEX_LITERAL.exec(source.trim());
  if (literal) {
    // g and y make RegExp#test stateful; an expectation only asks "is it there".
    const flags = literal[2]!.replace(/[gy]/g, '');
    return { kind: 'regex', regex: new RegExp(literal[1]!, flags) };
  }
  return { kind: 'text', text: source.trim() };
}

export function matches(matcher: Matcher, text: string): boolean {
  if (matcher.kind === 'regex') return matcher.regex.test(text);
  return normalize(text).includes(normalize(matcher.text));
}

export function describeMatcher(matcher: Matcher): string {
  return matcher.kind === 'regex' ? String(matcher.regex) : JSON.stringify(matcher.text);
}

function normalize(s: string): string {
  return s
    .replace(/[\u2018\u2019\u02BC]/g, "'")
    .replace(/[\u201C\u201D]/g, '"')
    .replace(/\s+/g, ' ')
    .trim()
    .toLowerCase();
}
