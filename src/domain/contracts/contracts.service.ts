import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { Agent } from '../agents/agent.entity.ts';
import { Contact } from '../contacts/contact.entity.ts';
import { ConflictError, NotFoundError, ValidationError } from '../errors.ts';
import type { NotificationsService } from '../notifications/notifications.service.ts';
import { ownPropertyRef } from '../properties/ownership.ts';
import { Property, type IProperty } from '../properties/property.entity.ts';
import type { AgentScope } from '../shared/scope.ts';
import {
  Contract,
  ContractSigner,
  SIGNER_STATUSES,
  type ContractStatus,
  type IContract,
  type IContractSigner,
  type SignerStatus,
} from './contract.entity.ts';
import { askJson } from '../shared/llm-assist.ts';
import type { TextGenerator } from '../shared/text-generator.port.ts';
import type { ESignatureProvider, SignatureEvent } from './esignature.port.ts';
import { assertTransition, canTransition, IllegalTransitionError, nextStatuses } from './templates/contract-status.ts';
import {
  matchTemplates,
  missingRequiredTemplates,
  templatesToAutoAttach,
  type TemplateMatch,
} from './templates/match.ts';
import { readiness, type SigningStatus } from './templates/readiness.ts';
import { CONTRACT_TEMPLATES, findTemplate } from './templates/registry.ts';
import { suggestTemplates, type Suggestion } from './templates/suggest.ts';
import type { ContractTemplateDef } from './templates/template.types.ts';

export const TEMPLATE_DOCUMENTS_DIR = fileURLToPath(new URL('./templates/documents/', import.meta.url));

export const ContractAttachSchema = z
  .strictObject({
    template_key: z.string().trim().min(1).max(100).optional(),
    name: z.string().trim().min(1).max(200).optional(),
    description: z.string().max(5_000).nullable().optional(),
    is_required: z.boolean().optional(),
    reason: z.string().trim().max(500).optional(),
    contact_id: z.number().int().positive().nullable().optional(),
    required_by_date: z.iso.datetime({ offset: true }).nullable().optional(),
    signing_order: z.enum(['sequential', 'parallel']).optional(),
    provider_template_id: z
      .string()
      .regex(/^\d{1,18}$/, 'must be the e-signature provider’s numeric template id')
      .optional(),
  })
  .refine((v) => v.template_key || v.name, { message: 'give a template_key or a name', path: ['name'] });

const LlmSuggestionSchema = z.object({
  suggestions: z.array(z.object({ template_key: z.string().max(100), reason: z.string().min(1).max(500) })).max(20),
});

export type ContractSuggestion = Suggestion & { origin: 'rules' | 'llm' };
export interface ContractSuggestions {
  /** Who chose: the model (with the rules' other suggestions after it) or the rules alone. */
  source: 'llm' | 'rules';
  model?: string;
  /** Why the model was not used although one is configured. */
  llm_note?: string;
  suggestions: ContractSuggestion[];
}

export const SignerAddSchema = z
  .strictObject({
    contact_id: z.number().int().positive().optional(),
    name: z.string().trim().min(1).max(200).optional(),
    email: z.email().max(320).optional(),
    role: z.string().trim().min(1).max(40),
    signing_order: z.number().int().min(1).max(20).default(1),
  })
  .refine((v) => v.contact_id || v.name, { message: 'give a contact_id or a name', path: ['name'] });

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

const signerView = (s: IContractSigner): SignerView => ({
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

/** The forward signing path; status updates from signers walk it one legal step at a time. */
const SIGNING_PATH: readonly ContractStatus[] = ['sent', 'in_progress', 'pending_signature', 'completed'];

const matchProperty = (p: IProperty) => ({
  state: p.state,
  city: p.city,
  property_type: p.propertyType,
  price: p.price ?? null,
  deal_type: p.dealType ?? null,
  year_built: p.yearBuilt ?? null,
});

/** Contracts: templates, auto-attach, requirement overrides, lifecycle, signers, e-signature, readiness. */
export class ContractsService {
  private readonly provider: ESignatureProvider | null;
  /** Our template key → the provider's template id (documents uploaded to the provider). */
  private readonly providerTemplateIds: Readonly<Record<string, string>>;
  private readonly llm: TextGenerator | null;
  private readonly templates: readonly ContractTemplateDef[];

  constructor(
    private readonly notifications: NotificationsService,
    opts: {
      provider?: ESignatureProvider | null;
      providerTemplateIds?: Readonly<Record<string, string>>;
      llm?: TextGenerator | null;
      templates?: readonly ContractTemplateDef[];
    } = {},
  ) {
    this.provider = opts.provider ?? null;
    this.providerTemplateIds = opts.providerTemplateIds ?? {};
    this.llm = opts.llm ?? null;
    this.templates = opts.templates ?? CONTRACT_TEMPLATES;
  }

  get providerName(): string {
    return this.provider?.name ?? 'manual';
  }

  listTemplates(filter: { state?: string } = {}): ContractTemplateDef[] {
    return this.templates.filter((t) => !filter.state || t.state === null || t.state === filter.state.toUpperCase());
  }

  template(key: string): ContractTemplateDef {
    const t = findTemplate(key, this.templates);
    if (!t) throw new NotFoundError('Contract template', key);
    return t;
  }

  async matches(scope: AgentScope, propertyId: number): Promise<TemplateMatch[]> {
    const property = await this.property(scope, propertyId);
    return matchTemplates(this.templates, matchProperty(property));
  }

  /** Tier 1: attaches the matching auto-attach templates as required DRAFT contracts (idempotent). */
  async autoAttach(scope: AgentScope, property: IProperty): Promise<ContractView[]> {
    const existing = await scope.em.find(Contract, { agent: scope.agentId, property: property.id });
    const toAttach = templatesToAutoAttach(
      matchTemplates(this.templates, matchProperty(property)),
      existing.map(attached),
    );
    const created = toAttach.map((m) =>
      scope.em.create(Contract, {
        agent: scope.em.getReference(Agent, scope.agentId),
        property: scope.em.getReference(Property, property.id),
        templateKey: m.key,
        providerTemplateId: this.providerTemplateIds[m.key] ?? null,
        name: m.name,
        description: m.template.description ?? null,
        isRequired: m.requirement === 'required',
        requirementSource: 'auto_attached',
        requirementReason: m.reason.slice(0, 500),
        signingOrder: m.template.signing_order ?? 'sequential',
      }),
    );
    await scope.em.flush();
    return created.map((c) => this.view(c, []));
  }

  /**
   * Tier 2: what else to attach, or which contacts are missing. The rules always run; with a
   * model configured, it ranks the candidate templates for this deal and explains each pick
   * (only templates of the registry that are not attached yet are accepted).
   */
  async suggest(scope: AgentScope, propertyId: number): Promise<ContractSuggestions> {
    const property = await this.property(scope, propertyId);
    const [contracts, contacts] = await Promise.all([
      scope.em.find(Contract, { agent: scope.agentId, property: propertyId }),
      scope.em.find(Contact, { agent: scope.agentId, property: propertyId }, { fields: ['role'] }),
    ]);
    const facts = matchProperty(property);
    const rules = suggestTemplates(this.templates, facts, {
      contracts: contracts.map(attached),
      contact_roles: contacts.map((c) => c.role),
    }).map((s) => ({ ...s, origin: 'rules' as const }));
    const candidates = matchTemplates(this.templates, facts).filter(
      (m) => !contracts.some((c) => c.templateKey === m.key),
    );
    if (candidates.length === 0) return { source: 'rules', suggestions: rules };
    const ai = await askJson(
      this.llm,
      LlmSuggestionSchema,
      {
        system:
          'You are a real-estate transaction coordinator. Choose which of the candidate contract templates this deal still needs, ' +
          'most important first, and give a one-sentence reason for each. Answer as JSON: {"suggestions":[{"template_key":"…","reason":"…"}]}. ' +
          'Use only template_key values from the candidates.',
        prompt: JSON.stringify({
          property: { ...facts, address: property.address, description: property.description ?? null },
          attached: contracts.map((c) => ({ name: c.name, status: c.status, required: c.isRequired })),
          contact_roles: contacts.map((c) => c.role),
          candidates: candidates.map((m) => ({
            template_key: m.key,
            name: m.name,
            requirement: m.requirement,
            rule: m.reason,
          })),
        }),
        maxTokens: 600,
        temperature: 0.2,
      },
      (v) => v.suggestions.every((x) => candidates.some((m) => m.key === x.template_key)),
    );
    if (ai.source === 'rules')
      return { source: 'rules', suggestions: rules, ...(ai.reason !== 'no_llm' ? { llm_note: ai.reason } : {}) };
    const picked = ai.value.suggestions.map((x) => {
      const m = candidates.find((c) => c.key === x.template_key)!;
      return {
        kind: 'attach_template' as const,
        template_key: m.key,
        name: m.name,
        requirement: m.requirement,
        priority: m.priority,
        reason: x.reason,
        origin: 'llm' as const,
      };
    });
    const rest = rules.filter(
      (r) => r.kind !== 'attach_template' || !picked.some((p) => p.template_key === r.template_key),
    );
    return { source: 'llm', model: ai.model, suggestions: [...picked, ...rest] };
  }

  async list(scope: AgentScope, propertyId: number): Promise<ContractView[]> {
    await ownPropertyRef(scope, propertyId);
    const contracts = await scope.em.find(
      Contract,
      { agent: scope.agentId, property: propertyId },
      { orderBy: { id: 'asc' } },
    );
    const signers = await this.signersOf(
      scope,
      contracts.map((c) => c.id),
    );
    return contracts.map((c) => this.view(c, signers.get(c.id) ?? []));
  }

  async getView(scope: AgentScope, id: number): Promise<ContractView> {
    const c = await this.get(scope, id);
    return this.view(c, (await this.signersOf(scope, [id])).get(id) ?? []);
  }

  /** Tier 3: attach a template or a named contract by hand. */
  async attach(
    scope: AgentScope,
    propertyId: number,
    raw: z.input<typeof ContractAttachSchema>,
  ): Promise<ContractView> {
    const input = ContractAttachSchema.parse(raw);
    const property = await this.property(scope, propertyId);
    const template = input.template_key ? this.template(input.template_key) : null;
    const contact = input.contact_id ? await this.contact(scope, input.contact_id) : null;
    const c = scope.em.create(Contract, {
      agent: scope.em.getReference(Agent, scope.agentId),
      property,
      contact,
      templateKey: template?.key ?? null,
      providerTemplateId:
        input.provider_template_id ?? (template ? (this.providerTemplateIds[template.key] ?? null) : null),
      name: input.name ?? template!.name,
      description: input.description ?? template?.description ?? null,
      isRequired: input.is_required ?? (template ? template.requirement === 'required' : true),
      requirementSource: 'manual',
      requirementReason: input.reason ?? null,
      requiredByDate: input.required_by_date ? new Date(input.required_by_date) : null,
      signingOrder: input.signing_order ?? template?.signing_order ?? 'sequential',
    });
    await scope.em.flush();
    return this.view(c, []);
  }

  /** Tier 3: mark one contract required or optional, with the reason. */
  async setRequirement(
    scope: AgentScope,
    id: number,
    isRequired: boolean,
    reason: string | null,
  ): Promise<ContractView> {
    const c = await this.get(scope, id);
    c.isRequired = isRequired;
    c.requirementSource = 'manual';
    c.requirementReason = reason;
    await scope.em.flush();
    return this.getView(scope, id);
  }

  /** Tier 3: set the required and optional sets of a property's contracts at once. */
  async setRequiredSets(
    scope: AgentScope,
    propertyId: number,
    required: number[],
    optional: number[],
    reason: string | null,
  ) {
    const overlap = required.filter((id) => optional.includes(id));
    if (overlap.length)
      throw new ValidationError(`contracts ${overlap.join(', ')} cannot be both required and optional`, {
        field: 'required',
      });
    const ids = [...required, ...optional];
    const found = await scope.em.find(Contract, { agent: scope.agentId, property: propertyId, id: { $in: ids } });
    const missing = ids.filter((id) => !found.some((c) => c.id === id));
    if (missing.length) throw new NotFoundError('Contract', missing.join(', '));
    for (const c of found) {
      c.isRequired = required.includes(c.id);
      c.requirementSource = 'manual';
      c.requirementReason = reason;
    }
    await scope.em.flush();
    return this.list(scope, propertyId);
  }

  /** Moves a contract along its lifecycle; an illegal move is a 409 listing the allowed ones. */
  async transition(scope: AgentScope, id: number, to: ContractStatus, now = new Date()): Promise<ContractView> {
    const c = await this.get(scope, id);
    this.move(c, to, now);
    await scope.em.flush();
    if (to === 'completed') await this.notifySigned(scope, c, now);
    return this.getView(scope, id);
  }

  async addSigner(scope: AgentScope, contractId: number, raw: z.input<typeof SignerAddSchema>): Promise<ContractView> {
    const input = SignerAddSchema.parse(raw);
    const c = await this.get(scope, contractId);
    if (c.status !== 'draft')
      throw new ConflictError(`Signers can be added only to a draft contract; ${c.name} is ${c.status}`);
    const contact = input.contact_id ? await this.contact(scope, input.contact_id) : null;
    const email = input.email ?? contact?.email ?? null;
    scope.em.create(ContractSigner, {
      contract: c,
      contact,
      name: input.name ?? contact!.name,
      email,
      role: input.role,
      signingOrder: c.signingOrder === 'parallel' ? 1 : input.signing_order,
    });
    await scope.em.flush();
    return this.getView(scope, contractId);
  }

  /**
   * Sends a draft for signature: through the e-signature provider when one is configured (every
   * signer needs an e-mail), else as a paper/manual signing whose signatures are recorded by hand.
   */
  async send(scope: AgentScope, id: number, now = new Date()): Promise<ContractView> {
    const c = await this.get(scope, id);
    assertLegal(c.status, 'sent');
    const signers = (await this.signersOf(scope, [id])).get(id) ?? [];
    if (signers.length === 0) throw new ConflictError(`${c.name} has no signers yet; add the signers before sending`);
    if (this.provider) {
      if (!c.providerTemplateId) {
        throw new ConflictError(
          `${c.name} has no ${this.provider.name} template; upload the document there and set its template id`,
          { field: 'provider_template_id' },
        );
      }
      const noEmail = signers.filter((s) => !s.email);
      if (noEmail.length) {
        throw new ValidationError(
          `Signers without an e-mail cannot sign electronically: ${noEmail.map((s) => s.name).join(', ')}`,
          {
            field: 'email',
          },
        );
      }
      const submission = await this.provider.createSubmission({
        providerTemplateId: c.providerTemplateId ?? null,
        documentName: c.name,
        order: c.signingOrder,
        externalId: String(c.id),
        expiresAt: c.requiredByDate ?? null,
        signers: signers.map((s) => ({
          name: s.name,
          email: s.email!,
          role: s.role,
          order: s.signingOrder,
          externalId: String(s.id),
        })),
      });
      c.providerSubmissionId = submission.providerSubmissionId;
      for (const sub of submission.submitters) {
        const signer = signers.find(
          (s) => String(s.id) === sub.externalId || (s.email === sub.email && s.role === sub.role),
        );
        if (signer) signer.providerSubmitterId = sub.providerSubmitterId;
      }
    }
    this.move(c, 'sent', now);
    await scope.em.flush();
    return this.getView(scope, id);
  }

  /** Records a signer's progress by hand (paper signing) and moves the contract accordingly. */
  async recordSigner(
    scope: AgentScope,
    signerId: number,
    status: SignerStatus,
    now = new Date(),
  ): Promise<ContractView> {
    const signer = await scope.em.findOne(
      ContractSigner,
      { id: signerId, contract: { agent: scope.agentId } },
      { populate: ['contract'] },
    );
    if (!signer) throw new NotFoundError('Signer', signerId);
    await this.applySignerStatus(scope, signer.contract, signer, status, now);
    return this.getView(scope, signer.contract.id);
  }

  /** Reminds the signers the contract is waiting on (the next in order, or all pending in parallel). */
  async remind(scope: AgentScope, id: number, now = new Date()): Promise<{ reminded: SignerView[] }> {
    const c = await this.get(scope, id);
    if (!['sent', 'in_progress', 'pending_signature'].includes(c.status)) {
      throw new ConflictError(`${c.name} is ${c.status}; only contracts out for signature get reminders`);
    }
    const signers = (await this.signersOf(scope, [id])).get(id) ?? [];
    const pending = signers.filter((s) => s.status === 'pending' || s.status === 'opened');
    const nextOrder = Math.min(...pending.map((s) => s.signingOrder));
    const due = c.signingOrder === 'parallel' ? pending : pending.filter((s) => s.signingOrder === nextOrder);
    for (const s of due) {
      if (this.provider && s.providerSubmitterId) await this.provider.remind(s.providerSubmitterId);
      s.lastRemindedAt = now;
    }
    c.lastReminderAt = now;
    await scope.em.flush();
    return { reminded: due.map(signerView) };
  }

  /** `GET /api/properties/:id/contracts/readiness` in the reference's signing-status shape. */
  async readiness(scope: AgentScope, propertyId: number): Promise<SigningStatus> {
    const property = await this.property(scope, propertyId);
    const contracts = await scope.em.find(
      Contract,
      { agent: scope.agentId, property: propertyId },
      { orderBy: { id: 'asc' } },
    );
    const signers = await this.signersOf(
      scope,
      contracts.map((c) => c.id),
    );
    const missing = missingRequiredTemplates(
      matchTemplates(this.templates, matchProperty(property)),
      contracts.map(attached),
    );
    return readiness(
      contracts.map((c) => ({
        id: c.id,
        name: c.name,
        status: c.status,
        is_required: c.isRequired,
        signers: (signers.get(c.id) ?? []).map((s) => ({
          name: s.name,
          status: s.status,
          signing_order: s.signingOrder,
        })),
      })),
      missing,
      propertyId,
    );
  }

  /**
   * Applies a verified provider webhook event. Looks the contract up by submission id across
   * agents (the webhook has no API key) and then works in that agent's scope. Idempotent.
   */
  async applySignatureEvent(
    em: AgentScope['em'],
    event: SignatureEvent,
    now = new Date(),
  ): Promise<{ contract_id: number } | null> {
    const c = await em.findOne(Contract, { providerSubmissionId: event.providerSubmissionId }, { populate: ['agent'] });
    if (!c) return null;
    const scope: AgentScope = { em, agentId: c.agent.id };
    if (event.kind === 'submission_expired') {
      if (canTransition(c.status, 'expired')) this.move(c, 'expired', event.at);
      await em.flush();
      return { contract_id: c.id };
    }
    const signers = (await this.signersOf(scope, [c.id])).get(c.id) ?? [];
    if (event.kind === 'submission_completed') {
      for (const s of signers)
        if (s.status !== 'completed') await this.applySignerStatus(scope, c, s, 'completed', event.at);
      return { contract_id: c.id };
    }
    const signer = signers.find(
      (s) =>
        (event.providerSubmitterId && s.providerSubmitterId === event.providerSubmitterId) ||
        (event.externalId && String(s.id) === event.externalId) ||
        (event.email && s.email === event.email.toLowerCase()),
    );
    if (!signer) return { contract_id: c.id };
    const status: SignerStatus =
      event.kind === 'completed' ? 'completed' : event.kind === 'declined' ? 'declined' : 'opened';
    await this.applySignerStatus(scope, c, signer, status, event.at ?? now);
    return { contract_id: c.id };
  }

  private async applySignerStatus(
    scope: AgentScope,
    c: IContract,
    signer: IContractSigner,
    status: SignerStatus,
    at: Date,
  ) {
    if (!(SIGNER_STATUSES as readonly string[]).includes(status))
      throw new ValidationError(`unknown signer status ${status}`);
    if (!['sent', 'in_progress', 'pending_signature'].includes(c.status)) {
      throw new ConflictError(`${c.name} is ${c.status}; signatures are recorded only while it is out for signature`);
    }
    // Statuses only move forward: a late "opened" after "completed" changes nothing.
    const rank: Record<SignerStatus, number> = { pending: 0, opened: 1, declined: 2, completed: 2 };
    const current: SignerStatus = signer.status;
    if (rank[status] <= rank[current] && status !== current) return;
    signer.status = status;
    if (status === 'opened') signer.openedAt ??= at;
    if (status === 'completed') signer.completedAt = at;
    if (status === 'declined') signer.declinedAt = at;
    const signers = (await this.signersOf(scope, [c.id])).get(c.id) ?? [];
    const target: ContractStatus = signers.every((s) => s.status === 'completed')
      ? 'completed'
      : signers.some((s) => s.status === 'completed')
        ? 'pending_signature'
        : signers.some((s) => s.status === 'opened')
          ? 'in_progress'
          : c.status;
    const from = SIGNING_PATH.indexOf(c.status);
    const to = SIGNING_PATH.indexOf(target);
    for (let i = from + 1; i <= to; i++) this.move(c, SIGNING_PATH[i]!, at);
    await scope.em.flush();
    if (status === 'declined') {
      await this.notifications.create(scope, {
        type: 'contract_reminder',
        priority: 'high',
        title: `${signer.name} declined ${c.name}`,
        message: `${signer.name} (${signer.role}) declined to sign ${c.name}.`,
        propertyId: c.property.id,
        contractId: c.id,
        dedupeKey: `declined:${signer.id}`,
      });
    }
    if (c.status === 'completed') await this.notifySigned(scope, c, at);
  }

  private move(c: IContract, to: ContractStatus, at: Date): void {
    assertLegal(c.status, to);
    c.status = to;
    c.statusChangedAt = at;
    if (to === 'sent') c.sentAt = at;
    if (to === 'completed') c.completedAt = at;
  }

  private async notifySigned(scope: AgentScope, c: IContract, at: Date) {
    await this.notifications.create(
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

  private async get(scope: AgentScope, id: number): Promise<IContract> {
    const c = await scope.em.findOne(Contract, { id, agent: scope.agentId });
    if (!c) throw new NotFoundError('Contract', id);
    return c;
  }

  private async property(scope: AgentScope, id: number): Promise<IProperty> {
    const p = await scope.em.findOne(Property, { id, agent: scope.agentId });
    if (!p) throw new NotFoundError('Property', id);
    return p;
  }

  private async contact(scope: AgentScope, id: number) {
    const contact = await scope.em.findOne(Contact, { id, agent: scope.agentId });
    if (!contact) throw new NotFoundError('Contact', id);
    return contact;
  }

  private async signersOf(scope: AgentScope, contractIds: number[]): Promise<Map<number, IContractSigner[]>> {
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

  private view(c: IContract, signers: IContractSigner[]): ContractView {
    const template = c.templateKey ? findTemplate(c.templateKey, this.templates) : undefined;
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
}

function attached(c: IContract) {
  return { name: c.name, template_key: c.templateKey ?? null, status: c.status };
}

/** The lifecycle as a domain error: 409 with the allowed next statuses. */
function assertLegal(from: ContractStatus, to: ContractStatus): void {
  try {
    assertTransition(from, to);
  } catch (err) {
    if (err instanceof IllegalTransitionError) {
      throw new ConflictError(err.message, { from, to, allowed: [...err.allowed] });
    }
    throw err;
  }
}
