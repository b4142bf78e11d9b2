import { Contact } from '../contacts/contact.entity.ts';
import { ConflictError, NotFoundError } from '../errors.ts';
import type { NotificationsService } from '../notifications/notifications.service.ts';
import { Property, type IProperty } from '../properties/property.entity.ts';
import type { AgentScope } from '../shared/scope.ts';
import {
  Contract,
  ContractSigner,
  type ContractStatus,
  type IContract,
  type IContractSigner,
  type SignerStatus,
} from './contract.entity.ts';
import { assertTransition, IllegalTransitionError, nextStatuses } from './templates/contract-status.ts';
import { findTemplate } from './templates/registry.ts';
import type { ContractTemplateDef } from './templates/template.types.ts';

/** Reads, views and status moves shared by the contract and signing services. */

export interface SignerView {
  id: number;
  contact_id: number | null;
  name: string;
  email: string | null;
  role: string;
  signing_order: number;
  status: SignerStatus;
  opened_at: string | null;
  completed_at: string | null;
  declined_at: string | null;
  last_reminded_at: string | null;
}

export interface ContractView {
  id: number;
  property_id: number;
  contact_id: number | null;
  template_key: string | null;
  name: string;
  description: string | null;
  status: ContractStatus;
  allowed_next: readonly ContractStatus[];
  is_required: boolean;
  required_by_date: string | null;
  requirement_source: IContract['requirementSource'];
  requirement_reason: string | null;
  signing_order: 'sequential' | 'parallel';
  provider_submission_id: string | null;
  document_url: string | null;
  sent_at: string | null;
  completed_at: string | null;
  created_at: string;
  signers: SignerView[];
}

export const signerView = (s: IContractSigner): SignerView => ({
  id: s.id,
  contact_id: s.contact?.id ?? null,
  name: s.name,
  email: s.email ?? null,
  role: s.role,
  signing_order: s.signingOrder,
  status: s.status,
  opened_at: s.openedAt?.toISOString() ?? null,
  completed_at: s.completedAt?.toISOString() ?? null,
  declined_at: s.declinedAt?.toISOString() ?? null,
  last_reminded_at: s.lastRemindedAt?.toISOString() ?? null,
});

export function contractView(
  c: IContract,
  signers: IContractSigner[],
  templates: readonly ContractTemplateDef[],
): ContractView {
  const template = c.templateKey ? findTemplate(c.templateKey, templates) : undefined;
  return {
    id: c.id,
    property_id: c.property.id,
    contact_id: c.contact?.id ?? null,
    template_key: c.templateKey ?? null,
    name: c.name,
    description: c.description ?? null,
    status: c.status,
    allowed_next: nextStatuses(c.status),
    is_required: c.isRequired,
    required_by_date: c.requiredByDate?.toISOString() ?? null,
    requirement_source: c.requirementSource,
    requirement_reason: c.requirementReason ?? null,
    signing_order: c.signingOrder,
    provider_submission_id: c.providerSubmissionId ?? null,
    document_url: template?.document ? `/api/contract-templates/${template.key}/document` : null,
    sent_at: c.sentAt?.toISOString() ?? null,
    completed_at: c.completedAt?.toISOString() ?? null,
    created_at: c.createdAt.toISOString(),
    signers: signers.map(signerView),
  };
}

export async function getContract(scope: AgentScope, id: number): Promise<IContract> {
  const c = await scope.em.findOne(Contract, { id, agent: scope.agentId });
  if (!c) throw new NotFoundError('Contract', id);
  return c;
}

export async function getProperty(scope: AgentScope, id: number): Promise<IProperty> {
  const p = await scope.em.findOne(Property, { id, agent: scope.agentId });
  if (!p) throw new NotFoundError('Property', id);
  return p;
}

export async function getContact(scope: AgentScope, id: number) {
  const contact = await scope.em.findOne(Contact, { id, agent: scope.agentId });
  if (!contact) throw new NotFoundError('Contact', id);
  return contact;
}

export async function signersOf(scope: AgentScope, contractIds: number[]): Promise<Map<number, IContractSigner[]>> {
  const out = new Map<number, IContractSigner[]>();
  if (contractIds.length === 0) return out;
  const rows = await scope.em.find(
    ContractSigner,
    { contract: { $in: contractIds, agent: scope.agentId } },
    { orderBy: { signingOrder: 'asc', id: 'asc' } },
  );
  for (const s of rows) out.set(s.contract.id, [...(out.get(s.contract.id) ?? []), s]);
  return out;
}

/** Moves a contract one legal step (409 listing the allowed moves otherwise) and stamps the times. */
export function moveContract(c: IContract, to: ContractStatus, at: Date): void {
  assertLegal(c.status, to);
  c.status = to;
  c.statusChangedAt = at;
  if (to === 'sent') c.sentAt = at;
  if (to === 'completed') c.completedAt = at;
}

export async function notifySigned(notifications: NotificationsService, scope: AgentScope, c: IContract, at: Date) {
  await notifications.create(
    scope,
    {
      type: 'contract_signed',
      priority: 'high',
      title: `${c.name} is signed`,
      message: `Every party signed ${c.name}.`,
      propertyId: c.property.id,
      contractId: c.id,
      icon: 'check',
      dedupeKey: `signed:${c.id}`,
    },
    at,
  );
}

export function attached(c: IContract) {
  return { name: c.name, template_key: c.templateKey ?? null, status: c.status };
}

/** The lifecycle as a domain error: 409 with the allowed next statuses. */
export function assertLegal(from: ContractStatus, to: ContractStatus): void {
  try {
    assertTransition(from, to);
  } catch (err) {
    if (err instanceof IllegalTransitionError) {
      throw new ConflictError(err.message, { from, to, allowed: [...err.allowed] });
    }
    throw err;
  }
}
