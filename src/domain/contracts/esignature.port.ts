import type { SignerStatus } from './contract.entity.ts';

/** The e-signature provider as the domain sees it (DocuSeal today). */
export interface SignatureRequestSigner {
  name: string;
  email: string;
  /** Role in the document ("Seller", "Buyer"). */
  role: string;
  /** 1-based order; equal numbers sign in parallel. */
  order: number;
  /** Our signer row id, echoed back by the provider where it allows. */
  externalId: string;
}

export interface SignatureRequest {
  /** Provider template id for the document, if the template was uploaded there. */
  providerTemplateId: string | null;
  documentName: string;
  signers: SignatureRequestSigner[];
  order: 'sequential' | 'parallel';
  message?: string | null;
  /** Our contract id, echoed back in webhooks. */
  externalId: string;
  /** Deadline for signing, if any. */
  expiresAt?: Date | null;
}

export interface ProviderSubmitter {
  providerSubmitterId: string;
  email: string;
  role: string;
  status: SignerStatus;
  /** Personal signing link, when the provider returns one. */
  url?: string | null;
  externalId?: string | null;
}

export interface ProviderSubmission {
  providerSubmissionId: string;
  status: 'pending' | 'completed' | 'declined' | 'expired';
  submitters: ProviderSubmitter[];
}

export interface SignatureEvent {
  kind: 'viewed' | 'started' | 'completed' | 'declined' | 'submission_completed' | 'submission_expired';
  providerSubmissionId: string;
  providerSubmitterId: string | null;
  email: string | null;
  externalId: string | null;
  at: Date;
}

export interface ESignatureProvider {
  readonly name: string;
  createSubmission(req: SignatureRequest): Promise<ProviderSubmission>;
  getSubmission(providerSubmissionId: string): Promise<ProviderSubmission>;
  /** Asks the provider to e-mail the signer again. */
  remind(providerSubmitterId: string): Promise<void>;
  archive(providerSubmissionId: string): Promise<void>;
}
