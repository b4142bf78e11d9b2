import { render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { Router } from 'wouter';
import { memoryLocation } from 'wouter/memory-location';
import { App } from '../src/app.tsx';
import { mockApi } from './fetch-mock.ts';

const who = { agent_id: 7, name: 'Dana Realtor', brokerage: 'Lone Star Homes' };

describe('sign-in', () => {
  it('exchanges the API key for a session and shows the console; a wrong key says so', async () => {
    let signedIn = false;
    const calls = mockApi([
      {
        path: '/api/console/session',
        respond: () =>
          signedIn
            ? { body: who }
            : { status: 401, body: { error: 'unauthorized', message: 'Missing or invalid API key' } },
      },
      {
        method: 'POST',
        path: '/api/console/session',
        respond: (body) => {
          if ((body as { api_key: string }).api_key !== 'rv_good')
            return { status: 401, body: { error: 'unauthorized', message: 'The API key is not valid' } };
          signedIn = true;
          return { status: 204 };
        },
      },
      { path: /^\/api\/calls/, body: { items: [], total: 0 } },
    ]);
    const { hook } = memoryLocation({ path: '/test-call' });
    render(
      <Router hook={hook}>
        <App base="" />
      </Router>,
    );
    const user = userEvent.setup();
    const input = await screen.findByLabelText('API key');
    await user.type(input, 'rv_bad');
    await user.click(screen.getByRole('button', { name: 'Sign in' }));
    expect(await screen.findByRole('alert')).toHaveProperty('textContent', 'The API key is not valid');
    expect(input.getAttribute('aria-invalid')).toBe('true');

    await user.clear(input);
    await user.type(input, 'rv_good');
    await user.click(screen.getByRole('button', { name: 'Sign in' }));
    await waitFor(() => expect(screen.getByText('Dana Realtor')).toBeTruthy());
    expect(screen.getByRole('navigation', { name: 'Main' })).toBeTruthy();
    expect(calls.filter((c) => c.method === 'POST').map((c) => c.body)).toEqual([
      { api_key: 'rv_bad' },
      { api_key: 'rv_good' },
    ]);
  });
});
