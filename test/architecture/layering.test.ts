import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DOMAIN_FORBIDDEN_IMPORTS } from '../../eslint.config.js';

const root = join(import.meta.dirname, '..', '..');

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? files(path) : path.endsWith('.ts') ? [path] : [];
  });
}

function imports(source: string): string[] {
  const specs: string[] = [];
  const re =
    /(?:import|export)\s[^'"]*?from\s*['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)|^\s*import\s*['"]([^'"]+)['"]/gm;
  for (const m of source.matchAll(re)) specs.push((m[1] ?? m[2] ?? m[3])!);
  return specs;
}

const forbidden = (spec: string): boolean =>
  DOMAIN_FORBIDDEN_IMPORTS.some((p) =>
    p.endsWith('/*') ? spec.startsWith(p.slice(0, -1)) : spec === p || spec.startsWith(`${p}/`),
  );

describe('architecture', () => {
  const domainFiles = files(join(root, 'src', 'domain'));

  it('finds the domain sources', () => {
    expect(domainFiles.length).toBeGreaterThan(10);
  });

  it('keeps src/domain free of frameworks, vendor SDKs and surfaces', () => {
    const violations: string[] = [];
    for (const file of domainFiles) {
      const source = readFileSync(file, 'utf8');
      for (const spec of imports(source)) {
        if (forbidden(spec) || /\/(http|mcp|tools|voice|call-server)\//.test(spec)) {
          violations.push(`${relative(root, file)} imports ${spec}`);
        }
      }
      if (/process\.env/.test(source)) violations.push(`${relative(root, file)} reads process.env`);
      if (/eslint-disable/.test(source)) violations.push(`${relative(root, file)} disables a lint rule`);
    }
    expect(violations).toEqual([]);
  });

  it('the scanner catches a violation', () => {
    expect(
      imports("import Fastify from 'fastify';\nimport { x } from '@modelcontextprotocol/sdk/server/mcp.js';").filter(
        forbidden,
      ),
    ).toEqual(['fastify', '@modelcontextprotocol/sdk/server/mcp.js']);
    expect(forbidden('zod')).toBe(false);
    expect(forbidden('@mikro-orm/core')).toBe(false);
  });

  it('reads process.env only in the config module and entry points', () => {
    const allowed = new Set(['src/config.ts']);
    const offenders = files(join(root, 'src'))
      .map((f) => relative(root, f))
      .filter((f) => !allowed.has(f) && /process\.env/.test(readFileSync(join(root, f), 'utf8')));
    expect(offenders).toEqual([]);
  });

  it('imports each vendor SDK only inside that vendor’s adapter folder', () => {
    const vendors: Record<string, string> = {
      twilio: 'src/integrations/twilio/',
      openai: 'src/integrations/llm/',
      '@anthropic-ai/sdk': 'src/integrations/llm/',
    };
    const offenders: string[] = [];
    for (const file of files(join(root, 'src'))) {
      const rel = relative(root, file);
      for (const spec of imports(readFileSync(file, 'utf8'))) {
        for (const [pkg, folder] of Object.entries(vendors)) {
          if ((spec === pkg || spec.startsWith(`${pkg}/`)) && !rel.startsWith(folder))
            offenders.push(`${rel} imports ${spec}`);
        }
      }
    }
    expect(offenders).toEqual([]);
  });
});
