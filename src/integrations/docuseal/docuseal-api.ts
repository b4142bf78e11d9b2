import { z } from 'zod';

/**
 * The parts of the DocuSeal REST API this adapter uses, as DocuSeal documents them (OpenAPI types shipped in the
 * official `@docuseal/api` package, and the API controllers of github.com/docusealco/docuseal).
 *
 * Base URL: https://api.docuseal.com (global cloud), https://api.docuseal.eu (EU cloud), https://<host>/api
 * (on-premises). Authentication: header `X-Auth-Token: <api key>`; 401 `{"error":"Not authenticated"}` otherwise.
 *
 * - POST   /submissions        create from a template; answers with the array of created submitters
 * - GET    /submissions/{id}   one submission with its submitters
 * - DELETE /submissions/{id}   archive; answers `{id, archived_at}`
 * - GET    /submitters/{id}    one submitter
 * - PUT    /submitters/{id}    update; `send_email: true` re-sends the signature request e-mail (422 once completed)
 *
 * Only the fields we read are declared; zod drops the rest.
 */

export const DOCUSEAL_SUBMITTER_STATUSES = ['awaiting', 'sent', 'opened', 'completed', 'declined'] as const;
export type DocuSealSubmitterStatus = (typeof DOCUSEAL_SUBMITTER_STATUSES)[number];

export const DOCUSEAL_SUBMISSION_STATUSES = ['pending', 'completed', 'declined', 'expired'] as const;
export type DocuSealSubmissionStatus = (typeof DOCUSEAL_SUBMISSION_STATUSES)[number];

/** DocuSeal ids are integers; we carry them as decimal strings. */
export const docuSealId = z.union([z.number().int().nonnegative(), z.string().regex(/^\d+$/)]).transform(String);

export const docuSealSubmitterSchema = z.object({
  id: docuSealId,
  submission_id: docuSealId.optional(),
  email: z.string().nullish(),
  role: z.string().nullish(),
  status: z.enum(DOCUSEAL_SUBMITTER_STATUSES),
  external_id: z.string().nullish(),
  /** Signing-form URL; in the POST /submissions answer. */
  embed_src: z.string().nullish(),
});
export type DocuSealSubmitter = z.infer<typeof docuSealSubmitterSchema>;

/** POST /submissions answers with the submitters it created, each naming its submission. */
export const docuSealCreateSubmissionResponseSchema = z
  .array(docuSealSubmitterSchema.extend({ submission_id: docuSealId }))
  .min(1);

export const docuSealSubmissionSchema = z.object({
  id: docuSealId,
  status: z.enum(DOCUSEAL_SUBMISSION_STATUSES),
  submitters: z.array(docuSealSubmitterSchema),
  archived_at: z.string().nullish(),
  expire_at: z.string().nullish(),
});
export type DocuSealSubmission = z.infer<typeof docuSealSubmissionSchema>;

export interface DocuSealCreateSubmitter {
  role: string;
  email: string;
  name: string;
  external_id: string;
  /** 0-based signing group; equal numbers sign in parallel. Only sent with order 'preserved'. */
  order?: number;
  metadata: Record<string, string>;
}

export interface DocuSealCreateSubmissionBody {
  template_id: number;
  send_email: boolean;
  /** 'preserved': parties are asked one group after another; 'random': everybody at once. */
  order: 'preserved' | 'random';
  submitters: DocuSealCreateSubmitter[];
  message?: { subject: string; body: string };
  /** ISO 8601. */
  expire_at?: string;
}

export interface DocuSealUpdateSubmitterBody {
  send_email?: boolean;
}
