export {
  CONTRACT_EXTERNAL_ID_METADATA_KEY,
  DOCUSEAL_DEFAULT_BASE_URL,
  DocuSealProvider,
  type DocuSealProviderOptions,
} from './docuseal-provider.ts';
export { isRetryableStatus, ProviderError, type ProviderErrorInit, type ProviderErrorKind } from './provider-error.ts';
export {
  DOCUSEAL_SIGNATURE_HEADER,
  DOCUSEAL_SIGNATURE_TOLERANCE_SECONDS,
  parseDocuSealWebhook,
  verifyDocuSealSignature,
  verifyDocuSealTimestampedSignature,
  verifyDocuSealWebhook,
  type DocuSealWebhookAuth,
  type HeaderBag,
} from './webhook.ts';
