import { readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';

const CONSOLE_ROOT = resolve(import.meta.dirname, '../../console');
const SOURCES = ['src', 'index.html', 'vite.config.ts'];

/** Newest modification time (ms) of the console's sources. */
function newestSource(): number {
  let newest = 0;
  const walk = (p: string): void => {
    const st = statSync(p, { throwIfNoEntry: false });
    if (!st) return;
    if (st.isDirectory()) for (const e of readdirSync(p)) walk(join(p, e));
    else newest = Math.max(newest, st.mtimeMs);
  };
  for (const s of SOURCES) walk(join(CONSOLE_ROOT, s));
  return newest;
}

/** Whether the build in `outDir` is missing or older than the console's sources. */
export function consoleBuildStale(outDir: string): boolean {
  const built = statSync(join(outDir, 'index.html'), { throwIfNoEntry: false });
  return !built || built.mtimeMs < newestSource();
}

/** Builds the console (Vite) into `outDir`. */
export async function buildConsole(outDir = join(CONSOLE_ROOT, 'dist')): Promise<void> {
  const { build } = await import('vite');
  await build({ configFile: join(CONSOLE_ROOT, 'vite.config.ts'), build: { outDir: resolve(outDir) } });
}

/** `npm start`: builds the console when its build is missing or stale (a fresh checkout, edited sources). */
export async function ensureConsoleBuilt(outDir: string, log: (msg: string) => void): Promise<void> {
  if (!consoleBuildStale(outDir)) return;
  log(`building the console into ${outDir} …`);
  const t0 = performance.now();
  await buildConsole(outDir);
  log(`console built in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
}
