import { render, screen, waitFor } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { useApi } from '../src/api.ts';
import { App } from '../src/app.tsx';
import { FakeEventSource, mockApi } from './fetch-mock.ts';
import { renderAt } from './render.tsx';

function Show({ path }: { path: string }) {
  const { data, error, loading } = useApi<{ name: string }>(path);
  return (
    <p>
      {loading ? 'loading ' : ''}
      {data ? `data:${data.name}` : ''}
      {error ? `error:${error.message}` : ''}
    </p>
  );
}

describe('useApi', () => {
  it('never shows another path’s data or error while the new one loads, and ignores a late answer', async () => {
    let answerSeven: (r: Response) => void = () => {};
    vi.stubGlobal(
      'fetch',
      vi.fn(async (url: string) => {
        if (url === '/p/404')
          return new Response(JSON.stringify({ error: 'not_found', message: 'No such thing' }), { status: 404 });
        if (url === '/p/7') return new Promise<Response>((resolve) => (answerSeven = resolve));
        return new Response(JSON.stringify({ name: url }), { status: 200 });
      }),
    );
    const { rerender, container } = render(<Show path="/p/404" />);
    await waitFor(() => expect(container.textContent).toBe('error:No such thing'));
    rerender(<Show path="/p/7" />);
    expect(container.textContent).toBe('loading ');
    rerender(<Show path="/p/8" />);
    await waitFor(() => expect(container.textContent).toBe('data:/p/8'));
    answerSeven(new Response(JSON.stringify({ name: 'seven, too late' }), { status: 200 }));
    await new Promise((r) => setTimeout(r, 20));
    expect(container.textContent).toBe('data:/p/8');
  });
});

describe('an ended session', () => {
  it('sends the console back to the sign-in form when the live stream is refused', async () => {
    FakeEventSource.install();
    let signedIn = true;
    mockApi([
      {
        path: '/api/console/session',
        respond: () =>
          signedIn
            ? { body: { agent_id: 1, name: 'Dana Realtor', brokerage: null } }
            : { status: 401, body: { error: 'unauthorized', message: 'Missing or invalid API key' } },
      },
      { path: /^\/api\/calls\?/, body: { items: [], total: 0 } },
    ]);
    renderAt(<App base="" />, '/');
    await screen.findByRole('heading', { level: 1, name: 'Live calls' });
    // The session expires; the stream's reconnect is refused and the browser gives up on it.
    signedIn = false;
    // The stream opens in an effect, after the page has rendered.
    await waitFor(() => expect(FakeEventSource.instances.length).toBeGreaterThan(0));
    const es = FakeEventSource.last;
    es.readyState = 2;
    es.onerror?.();
    expect(await screen.findByLabelText('API key')).toBeTruthy();
  });
});
