import { Page } from '../../components/ui.tsx';

export function PipelineBoard() {
  return <Page title="PipelineBoard">Coming.</Page>;
}
