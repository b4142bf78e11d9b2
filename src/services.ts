import type { Config } from './config.ts';
import { migrate, openOrm, type Orm } from './db/orm.ts';
import { HistoryService } from './domain/activity/history.service.ts';
import { AgentsService } from './domain/agents/agents.service.ts';
import { CallHistoryService, CallsService } from './domain/calls/calls.service.ts';
import { ComplianceService } from './domain/compliance/compliance.service.ts';
import { ContactsService } from './domain/contacts/contacts.service.ts';
import { DigestService } from './domain/insights/digest.service.ts';
import { InsightsService } from './domain/insights/insights.service.ts';
import { contractFacts } from './domain/contracts/contract-facts.ts';
import { ContractSigningService } from './domain/contracts/contract-signing.service.ts';
import { ContractsService } from './domain/contracts/contracts.service.ts';
import type { ESignatureProvider } from './domain/contracts/esignature.port.ts';
import type { TextGenerator } from './domain/shared/text-generator.port.ts';
import { LearningService } from './domain/learning/learning.service.ts';
import { NotesService } from './domain/notes/notes.service.ts';
import { OfferAnalysisService } from './domain/offers/offer-analysis.service.ts';
import { OffersService } from './domain/offers/offers.service.ts';
import { NotificationsService, type NotificationSink } from './domain/notifications/notifications.service.ts';
import { PipelineService } from './domain/pipeline/pipeline.service.ts';
import { PropertiesService } from './domain/properties/properties.service.ts';
import { ListingCatalog } from './domain/properties/listing-catalog.ts';
import { CampaignsService } from './domain/campaigns/campaigns.service.ts';
import { DialGate } from './domain/campaigns/dial-gate.ts';
import { CampaignOutcomes } from './domain/campaigns/outcomes.ts';
import { ConsoleSessionsService } from './domain/console/console-session.ts';
import { DoNotCallService } from './domain/campaigns/do-not-call.ts';
import { PropertyResolver } from './domain/properties/resolver.ts';
import { ListingChanges } from './db/listing-changes.ts';
import { historyFacts } from './domain/properties/stage-facts.ts';
import { ResearchService, researchFacts } from './domain/research/research.service.ts';
import { SalesService } from './domain/sales/sales.service.ts';
import { ShowingsService } from './domain/showings/showings.service.ts';
import { DealsService } from './domain/underwriting/deals.service.ts';
import { ValuationService } from './domain/valuation/valuation.service.ts';
import { TasksService } from './domain/tasks/tasks.service.ts';
import { NotificationBus } from './events/notification-bus.ts';
import type { BrainFactory } from './call-runtime/brain.port.ts';
import { CallEventBus } from './call-runtime/call-events.ts';
import { CallRuntime } from './call-runtime/call-runtime.ts';
import { DEFAULT_CALL_SETTINGS } from './call-runtime/call-session.ts';
import type { SpeechToText, TextToSpeech } from './call-runtime/speech.port.ts';
import { localReceptionistBrain } from './voice/local-brain/receptionist-brain.ts';
import { localPlaybookBrain } from './voice/local-brain/playbook-brain.ts';
import { localVoiceCommandBrain } from './voice/local-brain/voice-command-brain.ts';
import { DocuSealProvider } from './integrations/docuseal/index.ts';
import { createBrainFactory, createTextGenerator, type TextGeneratorSettings } from './integrations/llm/index.ts';
import { JobEngine } from './jobs/job-engine.ts';
import { defineJobs } from './jobs/jobs.ts';
import type { Logger } from './log.ts';
import { Metrics } from './metrics.ts';
import { allTools } from './tools/all-tools.ts';
import { ToolRegistry } from './tools/registry.ts';
import { buildCampaignDialer } from './campaigns/dialer-wiring.ts';
import type { CampaignDialer } from './campaigns/campaign-dialer.ts';
import { buildSpeech } from './voice/speech-wiring.ts';

/** A new property's compliance is checked once its contracts had time to attach (reference §2.9). */
export const COMPLIANCE_DELAY_MS = 20 * 60_000;

/** The domain services, built once and shared by REST, MCP, jobs and the call runtime. */
export interface DomainServices {
  agents: AgentsService;
  properties: PropertiesService;
  contacts: ContactsService;
  notes: NotesService;
  history: HistoryService;
  resolver: PropertyResolver;
  campaigns: CampaignsService;
  /** The compliance gate run before every outbound dial. */
  dialGate: DialGate;
  doNotCall: DoNotCallService;
  /** The admin console's sign-in sessions (an HttpOnly cookie in the browser). */
  consoleSessions: ConsoleSessionsService;
  /** Writes a campaign call's outcome back to the CRM (notes, follow-up tasks, notification, contact). */
  campaignOutcomes: CampaignOutcomes;
  /** The agent's listings in memory, for callers' questions (invalidated by writes; see listing-catalog.ts). */
  listings: ListingCatalog;
  notifications: NotificationsService;
  research: ResearchService;
  pipeline: PipelineService;
  tasks: TasksService;
  insights: InsightsService;
  contracts: ContractsService;
  signing: ContractSigningService;
  compliance: ComplianceService;
  offers: OffersService;
  offerAnalysis: OfferAnalysisService;
  digest: DigestService;
  learning: LearningService;
  sales: SalesService;
  valuation: ValuationService;
  deals: DealsService;
  calls: CallsService;
  callHistory: CallHistoryService;
  showings: ShowingsService;
}

export function buildDomainServices(
  opts: {
    sink?: NotificationSink;
    esignature?: ESignatureProvider | null;
    providerTemplateIds?: Readonly<Record<string, string>>;
    llm?: TextGenerator | null;
  } = {},
): DomainServices {
  // Each table that knows a pipeline fact reports it; the heartbeat and the pipeline merge them.
  const factSources = [historyFacts, researchFacts, contractFacts];
  const history = new HistoryService();
  const notifications = new NotificationsService(opts.sink);
  const llm = opts.llm ?? null;
  const contracts = new ContractsService(notifications, {
    providerTemplateIds: opts.providerTemplateIds ?? {},
    llm,
  });
  const signing = new ContractSigningService(contracts, notifications, opts.esignature ?? null);
  const compliance = new ComplianceService();
  const pipeline = new PipelineService(factSources, notifications, history);
  const tasks = new TasksService(notifications, {
    // The automatic check 20 minutes after a property is created (reference §2.9).
    compliance_check: async (scope, task) => {
      if (!task.propertyId) return null;
      const result = await compliance.check(scope, { property_id: task.propertyId }, 'auto');
      return result.compliant && result.needs_review.length === 0
        ? null
        : {
            type: 'compliance_issue',
            priority: result.compliant ? 'medium' : 'high',
            title: result.compliant ? 'Compliance review needed' : 'Compliance problems found',
            message: result.voice_summary,
          };
    },
  });
  const notes = new NotesService();
  const contacts = new ContactsService();
  const learning = new LearningService();
  const valuation = new ValuationService();
  // ARV from comps of recorded sales when the property's market has them, else the chain falls through.
  const deals = new DealsService(async (scope, property) => {
    try {
      const v = await valuation.valueProperty(scope, property.id);
      return { base: v.estimate, low: v.low, high: v.high };
    } catch {
      return null;
    }
  });
  const insights = new InsightsService(tasks, notes, history, learning, factSources, llm);
  const offerAnalysis = new OfferAnalysisService(llm, async (scope, property) => {
    try {
      // Only an underwriting from comps counts; without one the offer falls back to Zestimate × 0.70.
      const mao = await deals.mao(scope, property.id);
      const wholesale = mao.results.find((r) => r.strategy === 'wholesale');
      return mao.arv_source === 'agentic_underwriting' && wholesale && wholesale.mao > 0
        ? { low: wholesale.low, base: wholesale.mao, high: wholesale.high }
        : null;
    } catch {
      return null;
    }
  });
  const agents = new AgentsService();
  const listings = new ListingCatalog();
  return {
    agents,
    calls: new CallsService(agents),
    callHistory: new CallHistoryService(),
    showings: new ShowingsService(tasks, notifications),
    // Tier 1 of contract requirements: attach the templates the property's state requires.
    properties: new PropertiesService(
      factSources,
      [
        (scope, property) => contracts.autoAttach(scope, property),
        (scope, property) =>
          tasks.create(
            scope,
            {
              title: `Compliance check for ${property.address}`,
              scheduled_at: new Date(Date.now() + COMPLIANCE_DELAY_MS).toISOString(),
              property_id: property.id,
            },
            { action: 'compliance_check', createdBy: 'system' },
          ),
      ],
      [(agentId) => listings.invalidate(agentId)],
    ),
    contacts,
    notes,
    history,
    resolver: new PropertyResolver(),
    listings,
    campaigns: new CampaignsService(),
    dialGate: new DialGate(),
    doNotCall: new DoNotCallService(),
    consoleSessions: new ConsoleSessionsService(),
    campaignOutcomes: new CampaignOutcomes(notes, tasks, notifications, contacts),
    notifications,
    research: new ResearchService(),
    pipeline,
    tasks,
    insights,
    contracts,
    signing,
    compliance,
    offers: new OffersService(notifications, pipeline, offerAnalysis),
    offerAnalysis,
    digest: new DigestService(factSources, insights, notifications, llm),
    learning,
    sales: new SalesService(),
    valuation,
    deals,
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
  bus: NotificationBus;
  callEvents: CallEventBus;
  calls: CallRuntime;
  /** Speech for the Media Streams audio path (fakes until a speech vendor is configured). */
  speech: { stt: SpeechToText; tts: TextToSpeech };
  /** The job engine, when this process runs jobs (the server does; CLI commands do not). */
  jobs: JobEngine | null;
  /** The outbound campaign dialer, when a carrier is configured (Twilio account, or Vapi key + phone-number id). */
  dialer: CampaignDialer | null;
  close(): Promise<void>;
}

/** The local brains: a campaign call's playbook, the agent's voice commands, or the receptionist. */
const localBrain: BrainFactory = (call) =>
  call.campaign
    ? localPlaybookBrain(call)
    : call.voiceCommands
      ? localVoiceCommandBrain(call)
      : localReceptionistBrain(call);

export async function buildContext(
  config: Config,
  log: Logger,
  opts: { jobs?: boolean; brainFactory?: BrainFactory; speech?: { stt: SpeechToText; tts: TextToSpeech } } = {},
): Promise<AppContext> {
  const orm = await openOrm({
    databaseUrl: config.DATABASE_URL,
    pgliteDir: config.DATABASE_URL ? undefined : config.PGLITE_DIR,
    pgliteThread: config.PGLITE_THREAD,
  });
  const applied = await migrate(orm);
  if (applied.length) log.info({ migrations: applied }, 'migrations applied');
  const bus = new NotificationBus();
  const esignature = config.DOCUSEAL_API_KEY
    ? new DocuSealProvider({ apiKey: config.DOCUSEAL_API_KEY, baseUrl: config.DOCUSEAL_URL })
    : null;
  const llmSettings: TextGeneratorSettings = {
    ...(config.LLM_PROVIDER ? { provider: config.LLM_PROVIDER } : {}),
    ...(config.OPENAI_API_KEY ? { openaiApiKey: config.OPENAI_API_KEY } : {}),
    ...(config.OPENAI_BASE_URL ? { openaiBaseUrl: config.OPENAI_BASE_URL } : {}),
    ...(config.OPENAI_MODEL ? { openaiModel: config.OPENAI_MODEL } : {}),
    ...(config.ANTHROPIC_API_KEY ? { anthropicApiKey: config.ANTHROPIC_API_KEY } : {}),
    ...(config.ANTHROPIC_BASE_URL ? { anthropicBaseUrl: config.ANTHROPIC_BASE_URL } : {}),
    ...(config.ANTHROPIC_MODEL ? { anthropicModel: config.ANTHROPIC_MODEL } : {}),
  };
  const llm = createTextGenerator(llmSettings);
  if (llm) log.info({ provider: llm.provider, model: llm.model }, 'language model configured');
  const services = buildDomainServices({
    sink: bus,
    esignature,
    providerTemplateIds: config.DOCUSEAL_TEMPLATE_IDS,
    llm,
  });
  orm.em.getEventManager().registerSubscriber(new ListingChanges(services.listings));
  const metrics = new Metrics();
  const tools = new ToolRegistry({ orm, services, log, metrics }).register(...allTools);
  let jobs: JobEngine | null = null;
  if (opts.jobs ?? config.JOBS_ENABLED) {
    jobs = await JobEngine.create(orm, { databaseUrl: config.DATABASE_URL }, log);
    defineJobs(jobs, { orm, services, log });
    await jobs.start();
  }
  const callEvents = new CallEventBus();
  const llmBrain = createBrainFactory(llmSettings);
  const brainFactory = opts.brainFactory ?? llmBrain ?? localBrain;
  log.info({ brain: opts.brainFactory ? 'custom' : llmBrain ? 'llm' : 'local' }, 'call brain selected');
  const calls = new CallRuntime({
    orm,
    metrics,
    tools,
    log,
    bus: callEvents,
    brainFactory: brainFactory,
    settings: {
      ...DEFAULT_CALL_SETTINGS,
      silenceMs: config.CALL_SILENCE_MS,
      maxDurationMs: config.CALL_MAX_DURATION_S * 1000,
      speechMsPerWord: config.CALL_SPEECH_MS_PER_WORD,
    },
  });
  const dialer = buildCampaignDialer(config, { orm, services, log });
  return {
    config,
    log,
    orm,
    services,
    tools,
    metrics,
    bus,
    callEvents,
    calls,
    dialer,
    speech: opts.speech ?? buildSpeech(config, log),
    jobs,
    close: async () => {
      dialer?.stop();
      await calls.closeAll();
      await jobs?.stop();
      await orm.close(true);
    },
  };
}
