import { Page } from '../../components/ui.tsx';

export function CampaignList() {
  return <Page title="CampaignList">Coming.</Page>;
}
