import { fingerprint } from '../../compliance/fingerprint.ts';
import type { ContractTemplateDef } from './template.types.ts';
import { CA_TEMPLATES } from './templates.ca.ts';
import { DEAL_TYPE_TEMPLATES } from './templates.deal-types.ts';
import { FEDERAL_TEMPLATES } from './templates.federal.ts';
import { FL_TEMPLATES } from './templates.fl.ts';
import { NY_TEMPLATES } from './templates.ny.ts';
import { TX_TEMPLATES } from './templates.tx.ts';

/** The seeded template registry (§2.10 and §2.11, corrected). */
export const CONTRACT_TEMPLATES: readonly ContractTemplateDef[] = [
  ...NY_TEMPLATES,
  ...CA_TEMPLATES,
  ...FL_TEMPLATES,
  ...TX_TEMPLATES,
  ...FEDERAL_TEMPLATES,
  ...DEAL_TYPE_TEMPLATES,
];

/** `ctr-<count>-<fnv1a of the canonical JSON>`: changes with any edit to any template. */
export function templateRegistryVersion(templates: readonly ContractTemplateDef[]): string {
  return `ctr-${templates.length}-${fingerprint(templates)}`;
}

export const TEMPLATE_REGISTRY_VERSION: string = templateRegistryVersion(CONTRACT_TEMPLATES);

export function findTemplate(
  key: string,
  templates: readonly ContractTemplateDef[] = CONTRACT_TEMPLATES,
): ContractTemplateDef | undefined {
  return templates.find((t) => t.key === key);
}
