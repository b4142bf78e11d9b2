import { Link } from 'wouter';
import { useApi } from '../../api.ts';
import { dateTime, label } from '../../format.ts';
import { Badge, Empty, Load, Panel } from '../../components/ui.tsx';
import { ActionStatus, PriorityBadge, useAction } from './shared.tsx';
import type { Notification } from './types.ts';

/** Notifications, newest first (the server's order), unread marked; "Mark all read" and Dismiss POST and reload. */
export function Notifications() {
  const list = useApi<Notification[]>('/api/notifications?limit=20');
  const action = useAction(list.reload);
  const unread = list.data?.filter((n) => !n.is_read).length ?? 0;

  return (
    <Panel title="Notifications" className="notifications">
      <div className="row panel-actions">
        <span className="muted">{unread === 1 ? '1 unread' : `${unread} unread`}</span>
        <button
          type="button"
          onClick={() => {
            if (unread > 0) void action.run('read-all', '/api/notifications/read', { all: true }, 'Marked all read.');
          }}
          aria-disabled={unread === 0}
        >
          Mark all read
        </button>
      </div>
      <ActionStatus action={action} />
      <Load state={list} what="notifications">
        {(items) =>
          items.length === 0 ? (
            <Empty>No notifications.</Empty>
          ) : (
            <ul className="items">
              {items.map((n) => (
                <li key={n.id} className={`item ${n.is_read ? 'read' : 'unread'}`}>
                  <h3>
                    {n.is_read ? null : (
                      <>
                        <Badge tone="info">Unread</Badge>{' '}
                      </>
                    )}
                    {n.title}
                  </h3>
                  <p className="muted">
                    <time dateTime={n.created_at}>{dateTime(n.created_at)}</time> · {label(n.type)}{' '}
                    {n.priority === 'high' || n.priority === 'urgent' ? <PriorityBadge priority={n.priority} /> : null}
                  </p>
                  <p>{n.message}</p>
                  <div className="row">
                    {n.property_id !== null ? (
                      <Link href={`/properties/${n.property_id}`}>
                        Open property <span className="sr-only">for {n.title}</span>
                      </Link>
                    ) : null}
                    <button
                      type="button"
                      onClick={() =>
                        void action.run(
                          `dismiss-${n.id}`,
                          `/api/notifications/${n.id}/dismiss`,
                          {},
                          `Dismissed “${n.title}”.`,
                        )
                      }
                    >
                      Dismiss <span className="sr-only">{n.title}</span>
                    </button>
                  </div>
                </li>
              ))}
            </ul>
          )
        }
      </Load>
    </Panel>
  );
}
