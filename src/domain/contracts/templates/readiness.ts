import { IN_SIGNING_STATUSES, VOIDED_STATUSES, type ContractStatus, type SignerStatus } from './contract-status.ts';

export interface ReadinessSigner {
  name: string;
  status: SignerStatus;
  /** With sequential signing, only the lowest pending order is waited on. */
  signing_order?: number | null;
}

export interface ReadinessContract {
  id: number;
  name: string;
  status: ContractStatus;
  is_required: boolean;
  signers: readonly ReadinessSigner[];
}

/** `GET /contracts/property/{id}/signing-status` (WP §5 shape; signer statuses are the code's). */
export interface SigningStatus {
  property_id: number;
  is_ready_to_close: boolean;
  total_contracts: number;
  required_contracts: number;
  completed_contracts: number;
  missing_contracts: number;
  /** The required templates not attached (what `missing_contracts` counts). */
  missing_templates: string[];
  in_progress_contracts: number;
  status_breakdown: {
    contract_id: number;
    contract_name: string;
    status: ContractStatus;
    signers: { name: string; status: SignerStatus }[];
  }[];
  next_steps: string[];
  voice_summary: string;
}

const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;
const lowerFirst = (s: string): string => s.charAt(0).toLowerCase() + s.slice(1);

/** Signers the contract is waiting on (pending/opened; under sequential order only the lowest order). */
export function awaitedSigners(signers: readonly ReadinessSigner[]): ReadinessSigner[] {
  const waiting = signers.filter((s) => s.status === 'pending' || s.status === 'opened');
  const orders = waiting.map((s) => s.signing_order).filter((o): o is number => typeof o === 'number');
  if (orders.length === 0) return waiting;
  const first = Math.min(...orders);
  return waiting.filter((s) => s.signing_order == null || s.signing_order === first);
}

function stepsFor(c: ReadinessContract): string[] {
  switch (c.status) {
    case 'draft':
      return [`Send ${c.name} for signature`];
    case 'expired':
      return [`Re-send expired ${c.name}`];
    case 'sent':
    case 'in_progress':
    case 'pending_signature': {
      const declined = c.signers.filter((s) => s.status === 'declined');
      if (declined.length) return declined.map((s) => `Resolve ${s.name} declining ${c.name}, then re-send it`);
      const awaited = awaitedSigners(c.signers);
      if (awaited.length === 0) return [`Follow up on ${c.name}`];
      return awaited.map((s) => `Follow up with ${s.name} on ${c.name}`);
    }
    default:
      return [];
  }
}

/**
 * Contract readiness. Cancelled and archived contracts are ignored (as by the pipeline's contract
 * facts). Ready to close ⇔ no missing required template, every required contract completed, and at
 * least one required contract (seed §2.10).
 */
export function readiness(
  contracts: readonly ReadinessContract[],
  missingRequiredTemplates: readonly string[],
  propertyId: number,
): SigningStatus {
  const live = contracts.filter((c) => !VOIDED_STATUSES.includes(c.status));
  const required = live.filter((c) => c.is_required);
  const completed = live.filter((c) => c.status === 'completed').length;
  const inProgress = live.filter((c) => IN_SIGNING_STATUSES.includes(c.status)).length;
  const missing = [...new Set(missingRequiredTemplates)];
  const ready = missing.length === 0 && required.length > 0 && required.every((c) => c.status === 'completed');

  const nextSteps = [...required.flatMap(stepsFor), ...missing.map((name) => `Attach missing ${name}`)];
  if (required.length === 0 && missing.length === 0) nextSteps.push('Attach the required contracts');
  if (ready) nextSteps.push('All required contracts are signed; schedule the closing');

  const lastStep = ready || nextSteps.length === 0 ? '' : ` Next step: ${lowerFirst(nextSteps[0] ?? '')}.`;
  const voice =
    `Property ${propertyId} has ${plural(live.length, 'total contract')}. ` +
    `${required.length} required, ${completed} completed. ${plural(inProgress, 'contract')} in progress.` +
    (missing.length ? ` ${plural(missing.length, 'required contract')} missing.` : '') +
    (ready ? ' Ready to close.' : ' Not ready to close.') +
    lastStep;

  return {
    property_id: propertyId,
    is_ready_to_close: ready,
    total_contracts: live.length,
    required_contracts: required.length,
    completed_contracts: completed,
    missing_contracts: missing.length,
    missing_templates: missing,
    in_progress_contracts: inProgress,
    status_breakdown: live.map((c) => ({
      contract_id: c.id,
      contract_name: c.name,
      status: c.status,
      signers: c.signers.map((s) => ({ name: s.name, status: s.status })),
    })),
    next_steps: nextSteps,
    voice_summary: voice,
  };
}
