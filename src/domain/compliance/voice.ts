/** One failure to speak; failures sharing a group (disclosure key or rule code) are spoken once. */
export interface SpokenProblem {
  group: string;
  phrase: string;
}

export interface VoiceSummaryInput {
  property_id: number;
  /** Failures, most important first. */
  problems: readonly SpokenProblem[];
  /** Spoken topics of warnings and review items, most important first. */
  to_review: readonly string[];
  checked_rules: number;
}

const MAX_SPOKEN = 3;

const plural = (n: number, word: string, many = `${word}s`): string => `${n} ${n === 1 ? word : many}`;

/** "a", "a, and b", "a, b, and c", "a, b, c, and 2 more" (the WP's spoken style keeps the comma). */
export function spokenList(items: readonly string[]): string {
  if (items.length <= 1) return items[0] ?? '';
  const shown =
    items.length > MAX_SPOKEN + 1 ? [...items.slice(0, MAX_SPOKEN), `${items.length - MAX_SPOKEN} more`] : items;
  return `${shown.slice(0, -1).join(', ')}, and ${shown[shown.length - 1] ?? ''}`;
}

const capitalize = (s: string): string => s.charAt(0).toUpperCase() + s.slice(1);

/**
 * One or two sentences for the phone: "Property 12 has 2 compliance problems: the Texas seller's
 * disclosure notice is missing, and lead paint disclosure is required because it was built in 1962."
 */
export function complianceVoiceSummary(s: VoiceSummaryInput): string {
  const subject = `Property ${s.property_id}`;
  const seen = new Set<string>();
  const phrases: string[] = [];
  for (const p of s.problems) {
    if (seen.has(p.group)) continue;
    seen.add(p.group);
    phrases.push(p.phrase);
  }
  const reviewTopics = [...new Set(s.to_review)];
  if (phrases.length) {
    const tail = reviewTopics.length
      ? ` ${capitalize(plural(reviewTopics.length, 'more item'))} ${reviewTopics.length === 1 ? 'needs' : 'need'} a human review.`
      : '';
    return `${subject} has ${plural(phrases.length, 'compliance problem')}: ${spokenList(phrases)}.${tail}`;
  }
  if (reviewTopics.length) {
    const verb = reviewTopics.length === 1 ? 'needs' : 'need';
    return `${subject} has no compliance failures, but ${plural(reviewTopics.length, 'item')} ${verb} a human review: ${spokenList(reviewTopics)}.`;
  }
  if (s.checked_rules === 0) return `${subject} has no applicable compliance rules.`;
  return `${subject} passed all ${plural(s.checked_rules, 'applicable compliance check')}.`;
}
