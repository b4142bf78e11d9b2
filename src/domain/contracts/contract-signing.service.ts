import { z } from 'zod';
import { ConflictError, NotFoundError, ValidationError } from '../errors.ts';
import type { NotificationsService } from '../notifications/notifications.service.ts';
import type { AgentScope } from '../shared/scope.ts';
import {
  assertLegal,
  getContact,
  getContract,
  moveContract,
  notifySigned,
  signerView,
  signersOf,
  type ContractView,
  type SignerView,
} from './contract-records.ts';
import {
  Contract,
  ContractSigner,
  SIGNER_STATUSES,
  type ContractStatus,
  type IContract,
  type IContractSigner,
  type SignerStatus,
} from './contract.entity.ts';
import type { ContractsService } from './contracts.service.ts';
import type { ESignatureProvider, SignatureEvent } from './esignature.port.ts';
import { canTransition } from './templates/contract-status.ts';

export const SignerAddSchema = z
  .strictObject({
    contact_id: z.number().int().positive().optional(),
    name: z.string().trim().min(1).max(200).optional(),
    email: z.email().max(320).optional(),
    role: z.string().trim().min(1).max(40),
    signing_order: z.number().int().min(1).max(20).default(1),
  })
  .refine((v) => v.contact_id || v.name, { message: 'give a contact_id or a name', path: ['name'] });

/** The forward signing path; status updates from signers walk it one legal step at a time. */
const SIGNING_PATH: readonly ContractStatus[] = ['sent', 'in_progress', 'pending_signature', 'completed'];

/**
 * Signing: signers in order, sending through the e-signature provider (or paper signing recorded by
 * hand), reminders, and provider webhook events.
 */
export class ContractSigningService {
  constructor(
    private readonly contracts: ContractsService,
    private readonly notifications: NotificationsService,
    private readonly provider: ESignatureProvider | null = null,
  ) {}

  async addSigner(scope: AgentScope, contractId: number, raw: z.input<typeof SignerAddSchema>): Promise<ContractView> {
    const input = SignerAddSchema.parse(raw);
    const c = await getContract(scope, contractId);
    if (c.status !== 'draft')
      throw new ConflictError(`Signers can be added only to a draft contract; ${c.name} is ${c.status}`);
    const contact = input.contact_id ? await getContact(scope, input.contact_id) : null;
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
    return this.contracts.getView(scope, contractId);
  }

  /**
   * Sends a draft for signature: through the e-signature provider when one is configured (every
   * signer needs an e-mail), else as a paper/manual signing whose signatures are recorded by hand.
   */
  async send(scope: AgentScope, id: number, now = new Date()): Promise<ContractView> {
    const c = await getContract(scope, id);
    assertLegal(c.status, 'sent');
    const signers = (await signersOf(scope, [id])).get(id) ?? [];
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
    moveContract(c, 'sent', now);
    await scope.em.flush();
    return this.contracts.getView(scope, id);
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
    return this.contracts.getView(scope, signer.contract.id);
  }

  /** Reminds the signers the contract is waiting on (the next in order, or all pending in parallel). */
  async remind(scope: AgentScope, id: number, now = new Date()): Promise<{ reminded: SignerView[] }> {
    const c = await getContract(scope, id);
    if (!['sent', 'in_progress', 'pending_signature'].includes(c.status)) {
      throw new ConflictError(`${c.name} is ${c.status}; only contracts out for signature get reminders`);
    }
    const signers = (await signersOf(scope, [id])).get(id) ?? [];
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
      if (canTransition(c.status, 'expired')) moveContract(c, 'expired', event.at);
      await em.flush();
      return { contract_id: c.id };
    }
    const signers = (await signersOf(scope, [c.id])).get(c.id) ?? [];
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
    const signers = (await signersOf(scope, [c.id])).get(c.id) ?? [];
    const target: ContractStatus = signers.every((s) => s.status === 'completed')
      ? 'completed'
      : signers.some((s) => s.status === 'completed')
        ? 'pending_signature'
        : signers.some((s) => s.status === 'opened')
          ? 'in_progress'
          : c.status;
    const from = SIGNING_PATH.indexOf(c.status);
    const to = SIGNING_PATH.indexOf(target);
    for (let i = from + 1; i <= to; i++) moveContract(c, SIGNING_PATH[i]!, at);
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
    if (c.status === 'completed') await notifySigned(this.notifications, scope, c, at);
  }
}
