import { Route, Router, Switch } from 'wouter';
import { Layout } from './layout.tsx';
import { CallHistory } from './pages/calls/CallHistory.tsx';
import { CallReview } from './pages/calls/CallReview.tsx';
import { LiveCalls } from './pages/calls/LiveCalls.tsx';
import { CampaignDetail } from './pages/campaigns/CampaignDetail.tsx';
import { CampaignList } from './pages/campaigns/CampaignList.tsx';
import { PipelineBoard } from './pages/pipeline/PipelineBoard.tsx';
import { PropertyPage } from './pages/pipeline/PropertyPage.tsx';
import { SignIn } from './pages/SignIn.tsx';
import { TestCall } from './pages/TestCall.tsx';
import { Page } from './components/ui.tsx';
import { SessionProvider, useSession } from './session.tsx';

/** The console's pages, under /console. */
export function Routes() {
  return (
    <Switch>
      <Route path="/" component={LiveCalls} />
      <Route path="/calls" component={CallHistory} />
      <Route path="/calls/:sid">{(p) => <CallReview callSid={decodeURIComponent(p.sid)} />}</Route>
      <Route path="/test-call" component={TestCall} />
      <Route path="/campaigns" component={CampaignList} />
      <Route path="/campaigns/:id">{(p) => <CampaignDetail id={Number(p.id)} />}</Route>
      <Route path="/pipeline" component={PipelineBoard} />
      <Route path="/properties/:id">{(p) => <PropertyPage id={Number(p.id)} />}</Route>
      <Route>
        <Page title="Not found">
          <p>There is no such page in the console.</p>
        </Page>
      </Route>
    </Switch>
  );
}

function Gate() {
  const { agent } = useSession();
  if (!agent) return <SignIn />;
  return (
    <Layout>
      <Routes />
    </Layout>
  );
}

export function App({ base = '/console' }: { base?: string }) {
  return (
    <Router base={base}>
      <SessionProvider
        fallback={
          <p className="muted" role="status">
            Loading…
          </p>
        }
      >
        <Gate />
      </SessionProvider>
    </Router>
  );
}
