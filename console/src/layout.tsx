import { useEffect, useRef, type ReactNode } from 'react';
import { Link, useLocation } from 'wouter';
import { useSession } from './session.tsx';

const NAV: { href: string; label: string; match: (path: string) => boolean }[] = [
  { href: '/', label: 'Live calls', match: (p) => p === '/' },
  { href: '/calls', label: 'Call review', match: (p) => p.startsWith('/calls') },
  { href: '/test-call', label: 'Test call', match: (p) => p.startsWith('/test-call') },
  { href: '/campaigns', label: 'Campaigns', match: (p) => p.startsWith('/campaigns') },
  { href: '/pipeline', label: 'Pipeline', match: (p) => p.startsWith('/pipeline') || p.startsWith('/properties') },
];

export function Layout({ children }: { children: ReactNode }) {
  const { agent, signOut } = useSession();
  const [path] = useLocation();
  const first = useRef(true);

  // After navigating, move focus to the new page's heading so keyboard and screen-reader users land on it.
  useEffect(() => {
    if (first.current) {
      first.current = false;
      return;
    }
    document.getElementById('page-title')?.focus();
  }, [path]);

  return (
    <div className="shell">
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="top">
        <span className="brand">Realtor Voice</span>
        <nav aria-label="Main">
          <ul>
            {NAV.map((n) => (
              <li key={n.href}>
                <Link href={n.href} aria-current={n.match(path) ? 'page' : undefined}>
                  {n.label}
                </Link>
              </li>
            ))}
          </ul>
        </nav>
        <div className="who">
          <span>
            {agent?.name}
            {agent?.brokerage ? <span className="muted"> · {agent.brokerage}</span> : null}
          </span>
          <button type="button" onClick={() => signOut().catch(() => {})}>
            Sign out
          </button>
        </div>
      </header>
      <main id="main">{children}</main>
    </div>
  );
}
