import { Page } from '../../components/ui.tsx';

export function CallHistory() {
  return <Page title="CallHistory">Coming.</Page>;
}
