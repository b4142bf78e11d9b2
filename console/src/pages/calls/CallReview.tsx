import { Page } from '../../components/ui.tsx';

export function CallReview({ callSid }: { callSid: string }) {
  return <Page title="Call review">{callSid}</Page>;
}
