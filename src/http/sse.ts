import type { FastifyReply, FastifyRequest } from 'fastify';

export interface EventStream {
  send(event: string, data: unknown, id?: string | number): void;
}

/**
 * Turns the response into a Server-Sent Events stream (kept alive every 15 s). `subscribe` wires the
 * stream to its source and returns the unsubscribe that runs when the client goes away.
 */
export function openEventStream(
  req: FastifyRequest,
  reply: FastifyReply,
  subscribe: (stream: EventStream) => () => void,
): void {
  reply.hijack();
  const res = reply.raw;
  res.writeHead(200, {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-cache, no-transform',
    connection: 'keep-alive',
    'x-accel-buffering': 'no',
  });
  res.write(`retry: 3000\n: connected\n\n`);
  const unsubscribe = subscribe({
    send: (event, data, id) => {
      res.write(`${id !== undefined ? `id: ${id}\n` : ''}event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
    },
  });
  const keepAlive = setInterval(() => res.write(': keep-alive\n\n'), 15_000);
  req.raw.on('close', () => {
    clearInterval(keepAlive);
    unsubscribe();
  });
}
