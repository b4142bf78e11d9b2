import { z } from 'zod';
import { propertyRefShape, resolveProperty } from './property-ref.ts';
import { defineTool, ToolError } from './registry.ts';

export const contractReadiness = defineTool({
  name: 'contract_readiness',
  title: 'Ready to close?',
  description: 'Is a property ready to close: required contracts, what is signed, who is still pending, next steps.',
  readOnly: true,
  input: z.strictObject({ ...propertyRefShape }),
  async run(ctx, input) {
    const property = await resolveProperty(ctx, input);
    const status = await ctx.services.contracts.readiness(ctx.scope, property.id);
    return { data: status, voice_summary: status.voice_summary, property_id: property.id };
  },
});

export const suggestContracts = defineTool({
  name: 'suggest_contracts',
  title: 'Suggest contracts',
  description: 'Which contracts and contacts a property still needs, with the rule behind each suggestion.',
  readOnly: true,
  input: z.strictObject({ ...propertyRefShape }),
  async run(ctx, input) {
    const property = await resolveProperty(ctx, input);
    const result = await ctx.services.contracts.suggest(ctx.scope, property.id);
    const suggestions = result.suggestions;
    const said = suggestions
      .slice(0, 3)
      .map((s) => (s.kind === 'attach_template' ? s.name : `a ${s.role.replace(/_/g, ' ')} contact`));
    const voice = suggestions.length
      ? `For ${property.address} I suggest ${said.join(', ')}${suggestions.length > 3 ? `, and ${suggestions.length - 3} more` : ''}.`
      : `${property.address} has every contract and contact its rules call for.`;
    return { data: result, voice_summary: voice, property_id: property.id };
  },
});

export const listContracts = defineTool({
  name: 'list_contracts',
  title: 'Contracts of a property',
  description: 'The contracts attached to a property with status, required flag and signers.',
  readOnly: true,
  input: z.strictObject({ ...propertyRefShape }),
  async run(ctx, input) {
    const property = await resolveProperty(ctx, input);
    const contracts = await ctx.services.contracts.list(ctx.scope, property.id);
    const voice = contracts.length
      ? `${property.address} has ${contracts.length} contract${contracts.length === 1 ? '' : 's'}: ${contracts
          .map((c) => `${c.name}, ${c.status.replace(/_/g, ' ')}${c.is_required ? '' : ', optional'}`)
          .join('; ')}.`
      : `${property.address} has no contracts yet.`;
    return { data: contracts, voice_summary: voice, property_id: property.id };
  },
});

export const sendContract = defineTool({
  name: 'send_contract',
  title: 'Send a contract for signature',
  description: 'Send a draft contract to its signers ("send the purchase agreement for signing").',
  input: z.strictObject({
    ...propertyRefShape,
    contract_id: z.number().int().positive().optional(),
    contract_name: z.string().max(200).optional().describe('Part of the contract name, e.g. "purchase"'),
  }),
  async run(ctx, input) {
    const property = await resolveProperty(ctx, input);
    const contracts = await ctx.services.contracts.list(ctx.scope, property.id);
    const wanted = input.contract_name?.toLowerCase();
    const candidates = contracts.filter(
      (c) =>
        c.status === 'draft' &&
        (input.contract_id ? c.id === input.contract_id : !wanted || c.name.toLowerCase().includes(wanted)),
    );
    if (candidates.length !== 1) {
      const names = candidates.map((c) => c.name).join('; ');
      throw new ToolError(
        candidates.length === 0
          ? `There is no draft contract like that on ${property.address}.`
          : `Which one: ${names}?`,
        candidates.length === 0 ? 'not_found' : 'ambiguous_reference',
      );
    }
    const sent = await ctx.services.signing.send(ctx.scope, candidates[0]!.id);
    return {
      data: sent,
      voice_summary: `Sent ${sent.name} to ${sent.signers.map((s) => s.name).join(' and ')} for signature.`,
      property_id: property.id,
    };
  },
});

export const attachContract = defineTool({
  name: 'attach_contract',
  title: 'Attach a contract',
  description: 'Attach a template (by key) or a named contract to a property, required unless said otherwise.',
  input: z.strictObject({
    ...propertyRefShape,
    template_key: z.string().max(100).optional(),
    name: z.string().max(200).optional(),
    is_required: z.boolean().optional(),
    reason: z.string().max(500).optional(),
  }),
  async run(ctx, input) {
    const property = await resolveProperty(ctx, input);
    const c = await ctx.services.contracts.attach(ctx.scope, property.id, {
      ...(input.template_key ? { template_key: input.template_key } : {}),
      ...(input.name ? { name: input.name } : {}),
      ...(input.is_required !== undefined ? { is_required: input.is_required } : {}),
      ...(input.reason ? { reason: input.reason } : {}),
    });
    return {
      data: c,
      voice_summary: `Attached ${c.name} to ${property.address} as ${c.is_required ? 'required' : 'optional'}.`,
      property_id: property.id,
    };
  },
});

export const setContractRequirement = defineTool({
  name: 'set_contract_requirement',
  title: 'Mark a contract required or optional',
  description: 'Override whether a contract is required for closing, with the reason.',
  input: z.strictObject({
    contract_id: z.number().int().positive(),
    is_required: z.boolean(),
    reason: z.string().max(500).optional(),
  }),
  async run(ctx, input) {
    const c = await ctx.services.contracts.setRequirement(
      ctx.scope,
      input.contract_id,
      input.is_required,
      input.reason ?? null,
    );
    return {
      data: c,
      voice_summary: `${c.name} is now ${c.is_required ? 'required' : 'optional'}.`,
      property_id: c.property_id,
    };
  },
});

export const contractTools = [
  contractReadiness,
  suggestContracts,
  listContracts,
  sendContract,
  attachContract,
  setContractRequirement,
];

export const checkCompliance = defineTool({
  name: 'check_compliance',
  title: 'Compliance check',
  description:
    'Check a property against federal and state rules (disclosures, lead paint, agency, Fair Housing wording …); lists violations with remediation.',
  input: z.strictObject({
    ...propertyRefShape,
    transaction_type: z.enum(['sale', 'lease']).default('sale'),
  }),
  async run(ctx, input) {
    const property = await resolveProperty(ctx, input);
    const result = await ctx.services.compliance.check(ctx.scope, {
      property_id: property.id,
      transaction_type: input.transaction_type,
    });
    return { data: result, voice_summary: result.voice_summary, property_id: property.id };
  },
});

export const complianceTools = [checkCompliance];
