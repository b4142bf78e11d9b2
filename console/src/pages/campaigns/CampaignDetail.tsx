import { Page } from '../../components/ui.tsx';

export function CampaignDetail({ id }: { id: number }) {
  return <Page title="Campaign">{id}</Page>;
}
