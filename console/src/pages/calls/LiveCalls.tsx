import { Page } from '../../components/ui.tsx';

export function LiveCalls() {
  return <Page title="LiveCalls">Coming.</Page>;
}
