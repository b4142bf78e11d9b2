import { Page } from '../../components/ui.tsx';
import { Board } from './Board.tsx';
import { Digest } from './Digest.tsx';
import { FollowUps } from './FollowUps.tsx';
import { Notifications } from './Notifications.tsx';

/** The pipeline: the board of properties by stage, then who to call, notifications and today's digest. */
export function PipelineBoard() {
  return (
    <Page title="Pipeline">
      <Board />
      <div className="grid pipeline-side">
        <FollowUps />
        <Notifications />
        <Digest />
      </div>
    </Page>
  );
}
