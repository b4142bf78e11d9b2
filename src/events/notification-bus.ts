import { EventEmitter } from 'node:events';
import type { NotificationSink, NotificationView } from '../domain/notifications/notifications.service.ts';

/**
 * In-process fan-out of new notifications to live clients (SSE). One instance per service
 * process: clients connected to another instance see new rows on their next list call.
 */
export class NotificationBus implements NotificationSink {
  private readonly emitter = new EventEmitter();

  constructor() {
    this.emitter.setMaxListeners(0);
  }

  publish(agentId: number, notification: NotificationView): void {
    this.emitter.emit(`agent:${agentId}`, notification);
  }

  subscribe(agentId: number, listener: (n: NotificationView) => void): () => void {
    const event = `agent:${agentId}`;
    this.emitter.on(event, listener);
    return () => this.emitter.off(event, listener);
  }

  listenerCount(agentId: number): number {
    return this.emitter.listenerCount(`agent:${agentId}`);
  }
}
