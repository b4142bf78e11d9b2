/**
 * Process entry. Checks the Node version before anything that needs Node 22 is loaded, then
 * dispatches to the requested command. Run it through npm scripts (npm start, npm run mcp, …),
 * which put the project's Node 22 first on PATH.
 */
const [major = 0, minor = 0] = process.versions.node.split('.').map(Number);
if (major < 22 || (major === 22 && minor < 17)) {
  console.error(
    `This service needs Node.js >= 22.17 (found ${process.versions.node}). ` +
      'Run it through npm (npm start, npm test, npm run mcp): npm puts the project’s own Node 22 first on PATH.',
  );
  process.exit(1);
}

const [command = 'serve', ...args] = process.argv.slice(2);

async function run(): Promise<void> {
  switch (command) {
    case 'serve':
      return (await import('./main.ts')).serve();
    case 'mcp':
      return (await import('./mcp/stdio.ts')).runStdio();
    case 'agent:create':
      return (await import('./cli/agent-create.ts')).agentCreate(args);
    case 'import:sales':
      return (await import('./cli/import-sales.ts')).importSales(args);
    case 'migration:create':
      return (await import('./cli/migration-create.ts')).createMigration(args);
    default:
      console.error(`Unknown command "${command}". Commands: serve, mcp, agent:create, import:sales, migration:create`);
      process.exit(2);
  }
}

run().catch((err: unknown) => {
  // Config and usage errors carry their own clear message; anything else gets its stack.
  const known =
    err instanceof Error &&
    (['ConfigError', 'UsageError', 'SaleRowError'].includes(err.name) ||
      ('code' in err && String(err.code).startsWith('ERR_PARSE_ARGS')));
  console.error(known || !(err instanceof Error) ? String(err instanceof Error ? err.message : err) : err);
  process.exit(1);
});
