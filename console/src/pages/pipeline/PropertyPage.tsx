import { Page } from '../../components/ui.tsx';

export function PropertyPage({ id }: { id: number }) {
  return <Page title="Property">{id}</Page>;
}
