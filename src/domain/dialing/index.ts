export * from './guard.ts';
export * from './instant.ts';
export { localTime, type LocalTime } from './local-time.ts';
export * from './rules/types.ts';
export { CURRENT_DIALING_RULES, US_DIALING_RULES_2026_12 } from './rules/us-2026-12.ts';
export { lookupZip, normaliseZip, type ZipInfo } from './zip.ts';
export {
  buildZoneTables,
  nanpaZones,
  numberZones,
  zoneTables,
  type AreaCodeZones,
  type ZoneSources,
  type ZoneTables,
} from './zone-data.ts';
