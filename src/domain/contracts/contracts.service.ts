import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { Agent } from '../agents/agent.entity.ts';
import { Contact } from '../contacts/contact.entity.ts';
import { NotFoundError, ValidationError } from '../errors.ts';
import type { NotificationsService } from '../notifications/notifications.service.ts';
import { ownPropertyRef } from '../properties/ownership.ts';
import { Property, type IProperty } from '../properties/property.entity.ts';
import type { AgentScope } from '../shared/scope.ts';
import { Contract, type ContractStatus } from './contract.entity.ts';
import { askJson } from '../shared/llm-assist.ts';
import type { TextGenerator } from '../shared/text-generator.port.ts';
import {
  attached,
  contractView,
  getContact,
  getContract,
  getProperty,
  moveContract,
  notifySigned,
  signersOf,
  type ContractView,
} from './contract-records.ts';

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
  /** Our template key → the provider's template id (documents uploaded to the provider). */
  private readonly providerTemplateIds: Readonly<Record<string, string>>;
  private readonly llm: TextGenerator | null;
  private readonly templates: readonly ContractTemplateDef[];

  constructor(
    private readonly notifications: NotificationsService,
    opts: {
      providerTemplateIds?: Readonly<Record<string, string>>;
      llm?: TextGenerator | null;
      templates?: readonly ContractTemplateDef[];
    } = {},
  ) {
    this.providerTemplateIds = opts.providerTemplateIds ?? {};
    this.llm = opts.llm ?? null;
    this.templates = opts.templates ?? CONTRACT_TEMPLATES;
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
    const property = await getProperty(scope, propertyId);
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
    return created.map((c) => contractView(c, [], this.templates));
  }

  /**
   * Tier 2: what else to attach, or which contacts are missing. The rules always run; with a
   * model configured, it ranks the candidate templates for this deal and explains each pick
   * (only templates of the registry that are not attached yet are accepted).
   */
  async suggest(scope: AgentScope, propertyId: number): Promise<ContractSuggestions> {
    const property = await getProperty(scope, propertyId);
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
    const signers = await signersOf(
      scope,
      contracts.map((c) => c.id),
    );
    return contracts.map((c) => contractView(c, signers.get(c.id) ?? [], this.templates));
  }

  async getView(scope: AgentScope, id: number): Promise<ContractView> {
    const c = await getContract(scope, id);
    return contractView(c, (await signersOf(scope, [id])).get(id) ?? [], this.templates);
  }

  /** Tier 3: attach a template or a named contract by hand. */
  async attach(
    scope: AgentScope,
    propertyId: number,
    raw: z.input<typeof ContractAttachSchema>,
  ): Promise<ContractView> {
    const input = ContractAttachSchema.parse(raw);
    const property = await getProperty(scope, propertyId);
    const template = input.template_key ? this.template(input.template_key) : null;
    const contact = input.contact_id ? await getContact(scope, input.contact_id) : null;
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
    return contractView(c, [], this.templates);
  }

  /** Tier 3: mark one contract required or optional, with the reason. */
  async setRequirement(
    scope: AgentScope,
    id: number,
    isRequired: boolean,
    reason: string | null,
  ): Promise<ContractView> {
    const c = await getContract(scope, id);
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
    const c = await getContract(scope, id);
    moveContract(c, to, now);
    await scope.em.flush();
    if (to === 'completed') await notifySigned(this.notifications, scope, c, now);
    return this.getView(scope, id);
  }

  /** `GET /api/properties/:id/contracts/readiness` in the reference's signing-status shape. */
  async readiness(scope: AgentScope, propertyId: number): Promise<SigningStatus> {
    const property = await getProperty(scope, propertyId);
    const contracts = await scope.em.find(
      Contract,
      { agent: scope.agentId, property: propertyId },
      { orderBy: { id: 'asc' } },
    );
    const signers = await signersOf(
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
}
