import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { Agent } from '../agents/agent.entity.ts';
import { Contact } from '../contacts/contact.entity.ts';
import { Property } from '../properties/property.entity.ts';
import { CONTRACT_STATUSES, SIGNER_STATUSES } from './templates/contract-status.ts';

export {
  CONTRACT_STATUSES,
  SIGNER_STATUSES,
  type ContractStatus,
  type SignerStatus,
} from './templates/contract-status.ts';

export const REQUIREMENT_SOURCES = ['auto_attached', 'manual', 'ai_suggested', 'rule_suggested'] as const;
export type RequirementSource = (typeof REQUIREMENT_SOURCES)[number];

export const Contract = defineEntity({
  name: 'Contract',
  tableName: 'contracts',
  properties: {
    id: p.integer().primary(),
    agent: () => p.manyToOne(Agent).deleteRule('cascade'),
    property: () => p.manyToOne(Property).deleteRule('cascade'),
    contact: () => p.manyToOne(Contact).nullable().deleteRule('set null'),
    templateKey: p.string().length(100).nullable(),
    name: p.string().length(200),
    description: p.text().nullable(),
    status: p.enum(CONTRACT_STATUSES).default('draft'),
    isRequired: p.boolean().default(true),
    requiredByDate: p.datetime().nullable(),
    requirementSource: p.enum(REQUIREMENT_SOURCES).default('manual'),
    requirementReason: p.string().length(500).nullable(),
    signingOrder: p.enum(['sequential', 'parallel'] as const).default('sequential'),
    /** E-signature provider ids (DocuSeal). */
    providerTemplateId: p.string().length(100).nullable(),
    providerSubmissionId: p.string().length(100).nullable(),
    url: p.string().length(500).nullable(),
    sentAt: p.datetime().nullable(),
    completedAt: p.datetime().nullable(),
    lastReminderAt: p.datetime().nullable(),
    statusChangedAt: p.datetime().onCreate(() => new Date()),
    createdAt: p.datetime().onCreate(() => new Date()),
    updatedAt: p
      .datetime()
      .onCreate(() => new Date())
      .onUpdate(() => new Date()),
  },
  indexes: [
    { name: 'contracts_agent_property_idx', properties: ['agent', 'property'] },
    { name: 'contracts_provider_submission_idx', properties: ['providerSubmissionId'] },
  ],
});
export type IContract = InferEntity<typeof Contract>;

export const ContractSigner = defineEntity({
  name: 'ContractSigner',
  tableName: 'contract_signers',
  properties: {
    id: p.integer().primary(),
    contract: () => p.manyToOne(Contract).deleteRule('cascade'),
    contact: () => p.manyToOne(Contact).nullable().deleteRule('set null'),
    name: p.string().length(200),
    email: p.string().length(320).nullable(),
    role: p.string().length(40),
    signingOrder: p.integer().default(1),
    status: p.enum(SIGNER_STATUSES).default('pending'),
    providerSubmitterId: p.string().length(100).nullable(),
    openedAt: p.datetime().nullable(),
    completedAt: p.datetime().nullable(),
    declinedAt: p.datetime().nullable(),
    lastRemindedAt: p.datetime().nullable(),
    createdAt: p.datetime().onCreate(() => new Date()),
  },
  indexes: [{ name: 'contract_signers_contract_idx', properties: ['contract', 'signingOrder'] }],
});
export type IContractSigner = InferEntity<typeof ContractSigner>;
