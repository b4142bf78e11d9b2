import { createContext, useCallback, useContext, useEffect, useState, type ReactNode } from 'react';
import { ApiError, del, get, post, setUnauthorizedHandler } from './api.ts';

export interface SignedIn {
  agent_id: number;
  name: string;
  brokerage: string | null;
}

interface SessionValue {
  agent: SignedIn | null;
  /** Exchanges an API key for the session cookie; throws ApiError (401) on a wrong key. */
  signIn: (apiKey: string) => Promise<void>;
  signOut: () => Promise<void>;
}

const SessionContext = createContext<SessionValue | null>(null);

export function useSession(): SessionValue {
  const s = useContext(SessionContext);
  if (!s) throw new Error('useSession outside <SessionProvider>');
  return s;
}

/** Who is signed in (GET /api/console/session), and sign-in/out. Renders `fallback` while checking. */
export function SessionProvider({ children, fallback }: { children: ReactNode; fallback?: ReactNode }) {
  const [agent, setAgent] = useState<SignedIn | null | undefined>(undefined);

  const refresh = useCallback(async () => {
    try {
      setAgent(await get<SignedIn>('/api/console/session'));
    } catch (err) {
      if (err instanceof ApiError && err.status === 401) setAgent(null);
      else throw err;
    }
  }, []);

  useEffect(() => {
    setUnauthorizedHandler(() => setAgent(null));
    refresh().catch(() => setAgent(null));
  }, [refresh]);

  const signIn = useCallback(
    async (apiKey: string) => {
      await post('/api/console/session', { api_key: apiKey });
      await refresh();
    },
    [refresh],
  );
  /** Signs out here even if the server cannot be reached (the cookie then simply expires). */
  const signOut = useCallback(async () => {
    try {
      await del('/api/console/session');
    } finally {
      setAgent(null);
    }
  }, []);

  if (agent === undefined) return <>{fallback ?? null}</>;
  return <SessionContext.Provider value={{ agent, signIn, signOut }}>{children}</SessionContext.Provider>;
}
