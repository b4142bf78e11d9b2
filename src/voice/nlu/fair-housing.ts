import { normalizeUtterance } from './text.ts';

/**
 * Fair Housing Act steering guard: questions about who lives in an area (race, colour, religion,
 * national origin, sex, familial status, disability) or coded proxies ("is it a safe area", "what
 * kind of people") must be deflected, never answered. Questions about the property or neutral
 * amenities ("how are the schools", "is there a park") are fine.
 */

export interface FairHousingVerdict {
  isFairHousing: boolean;
  score: number;
  reasons: string[];
}

interface Rule {
  name: string;
  re: RegExp;
  weight: number;
}

const AREA = String.raw`(?:area|neighbou?rhood|neighbou?rs|community|street|block|town|city|zip|part of town|there|population|residents|people|folks|school|schools|district|complex|building)`;

const DIRECT: Rule[] = [
  { name: 'demographics', re: /\bdemographics?\b|\bmake ?up of\b|\bcomposition of\b/, weight: 1 },
  {
    name: 'kind-of-people',
    re: /\b(?:what|which) (?:kind|kinds|type|types|sort) of (?:people|folks|neighbou?rs|families|crowd|residents)\b/,
    weight: 1,
  },
  { name: 'who-lives', re: /\bwho (?:lives|live|is living|are the (?:neighbou?rs|people))\b/, weight: 1 },
  {
    name: 'safe-area',
    re: new RegExp(String.raw`\b(?:safe|dangerous|sketchy|rough|bad|good|nice)\s+(?:${AREA})\b`),
    weight: 1,
  },
  {
    name: 'area-safe',
    re: new RegExp(String.raw`\b${AREA}\s+(?:is\s+|feel\s+|feels\s+)?(?:safe|dangerous|sketchy|rough)\b`),
    weight: 1,
  },
  {
    name: 'is-it-safe',
    re: /\b(?:is it|is that|it is|it's|would i be|will i be|will my (?:wife|kids|family) be) (?:a )?(?:safe|dangerous)\b(?! to\b)/,
    weight: 1,
  },
  { name: 'crime', re: /\bcrime\b|\bcrimes\b|\bgangs?\b/, weight: 1 },
  {
    name: 'mostly-group',
    re: /\b(?:mostly|mainly|predominantly|a lot of|lots of|many|any|majority) (?:black|white|hispanic|latino|latina|asian|jewish|muslim|christian|catholic|mexican|indian|chinese|immigrants?|foreigners?|minorities|minority|gay|old|elderly|young) ?(?:people|folks|families|residents|neighbou?rs|kids)?\b/,
    weight: 1,
  },
  {
    name: 'kids-around',
    re: /\b(?:a lot of|lots of|many|any|plenty of) (?:kids|children|young families|families with (?:kids|children)|retirees|seniors|singles|students)\b/,
    weight: 1,
  },
  {
    name: 'family-area',
    re: /\b(?:family|kid|kids|child) friendly (?:area|neighbou?rhood|community|street)\b|\b(?:area|neighbou?rhood) for (?:families|kids)\b/,
    weight: 1,
  },
  { name: 'adults-only', re: /\b(?:adults only|no kids|without kids|childless)\b/, weight: 0.6 },
  { name: 'diversity', re: /\b(?:diverse|diversity|integrated|segregated)\b/, weight: 0.8 },
];

const PROTECTED =
  /\b(?:race|races|racial|racially|ethnic|ethnicity|ethnically|black|white|hispanic|latino|latina|asian|african|jewish|jews|muslim|muslims|christian|christians|catholic|religion|religious|churchgoing|immigrants?|minorities|minority|national origin|nationality|gay|lesbian|lgbt|disabled|disability|handicapped|wheelchair people|elderly|retirees|single (?:moms|mothers|parents)|color|colour)\b/;
const CONTEXT = new RegExp(
  String.raw`\b(?:${AREA}|live|living|lives|here|around|nearby|neighbou?rs?|kids|students|mix)\b`,
);

export function detectFairHousing(utterance: string): FairHousingVerdict {
  const text = normalizeUtterance(utterance);
  const reasons: string[] = [];
  let score = 0;
  for (const rule of DIRECT) {
    if (rule.re.test(text)) {
      score += rule.weight;
      reasons.push(rule.name);
    }
  }
  if (PROTECTED.test(text) && CONTEXT.test(text)) {
    score += 1;
    reasons.push('protected-class+area');
  }
  // The caller describing their own household is not a question about who lives in the area.
  if (
    /\b(?:my|our) (?:family|kids|children|wife|husband)\b/.test(text) &&
    !/\bsafe|crime|kind of people|demographic/.test(text)
  ) {
    score -= 0.6;
    if (reasons.length > 0) reasons.push('own-household');
  }
  return { isFairHousing: score >= 0.8, score: Math.max(0, score), reasons };
}
