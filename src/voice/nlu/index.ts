export { classifyUtterance, RULES } from './classify.ts';
export { parseViewingTime } from './datetime.ts';
export { detectFairHousing, type FairHousingVerdict } from './fair-housing.ts';
export { detectOptOut } from './opt-out.ts';
export {
  extractBudget,
  extractMoney,
  extractName,
  extractPhone,
  extractPropertyRef,
  extractTimeline,
  extractYesNo,
} from './slots.ts';
export { normalizeUtterance } from './text.ts';
export * from './types.ts';
