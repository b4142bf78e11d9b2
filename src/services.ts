import type { Config } from './config.ts';
import { migrate, openOrm, type Orm } from './db/orm.ts';
import { HistoryService } from './domain/activity/history.service.ts';
import { AgentsService } from './domain/agents/agents.service.ts';
import { ContactsService } from './domain/contacts/contacts.service.ts';
import { NotesService } from './domain/notes/notes.service.ts';
import { PropertiesService } from './domain/properties/properties.service.ts';
import { PropertyResolver } from './domain/properties/resolver.ts';
import { historyFacts } from './domain/properties/stage-facts.ts';
import type { Logger } from './log.ts';
import { Metrics } from './metrics.ts';
import { crmTools } from './tools/crm.tools.ts';
import { propertyTools } from './tools/property.tools.ts';
import { ToolRegistry } from './tools/registry.ts';

/** The domain services, built once and shared by REST, MCP and the call runtime. */
export interface DomainServices {
  agents: AgentsService;
  properties: PropertiesService;
  contacts: ContactsService;
  notes: NotesService;
  history: HistoryService;
  resolver: PropertyResolver;
}

export function buildDomainServices(): DomainServices {
  return {
    agents: new AgentsService(),
    properties: new PropertiesService([historyFacts]),
    contacts: new ContactsService(),
    notes: new NotesService(),
    history: new HistoryService(),
    resolver: new PropertyResolver(),
  };
}

/** Everything the surfaces need: the composition root's one record. */
export interface AppContext {
  config: Config;
  log: Logger;
  orm: Orm;
  services: DomainServices;
  tools: ToolRegistry;
  metrics: Metrics;
  close(): Promise<void>;
}

export async function buildContext(config: Config, log: Logger): Promise<AppContext> {
  const orm = await openOrm({
    databaseUrl: config.DATABASE_URL,
    pgliteDir: config.DATABASE_URL ? undefined : config.PGLITE_DIR,
  });
  const applied = await migrate(orm);
  if (applied.length) log.info({ migrations: applied }, 'migrations applied');
  const services = buildDomainServices();
  const metrics = new Metrics();
  const tools = new ToolRegistry({ orm, services, log, metrics }).register(...propertyTools, ...crmTools);
  return {
    config,
    log,
    orm,
    services,
    tools,
    metrics,
    close: () => orm.close(true),
  };
}
