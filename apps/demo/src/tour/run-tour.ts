import { relative } from 'node:path';
import { type ChatRequest, DEFAULT_QUALITY_TARGET, seededRandom } from '@cascade/core';
import { createDemoAgent } from '../agent/create-demo-agent';
import { createDemoModels } from '../agent/demo-models';
import type { Terminal } from '../cli/terminal';
import type { ProviderConfig } from '../config/provider-config';
import { type TourReport } from '../report/tour-report';
import { openSqliteLearningStore } from '../learning/sqlite-learning-store';
import { createRunLedger } from '../report/run-ledger';
import { openDemoDatabase } from '../users/demo-database';
import { type BatchOutcome, showBatch } from './step-batch';
import { type GuardrailsOutcome, showGuardrails } from './step-guardrails';
import { type LimitsOutcome, showLimits } from './step-limits';
import { showReport } from './step-report';
import { type StreamOutcome, showStream } from './step-stream';
import { type AgentOutcome, showAgent } from './step-agent';
import { showUsers } from './step-users';
import type { TourContext } from './tour-context';
import { pickTourQuestions } from './tour-questions';
import { seedTourUsers } from './tour-users';


/** Options of {@link runTour}. */
export interface TourOptions {
  terminal: Terminal;
  provider: ProviderConfig;
  /** SQLite file of the tour's profiles (its users are reset on every run). */
  databaseFile: string;
}

/** Everything the tour measured. */
export interface TourOutcome {
  report: TourReport;
  stream: StreamOutcome;
  /** The agent step (scripted local models, not recorded answers). */
  agent: AgentOutcome;
  batch: BatchOutcome;
  limits: LimitsOutcome;
  guardrails: GuardrailsOutcome;
}

/**
 * The offline tour of the whole agent: users on five tiers, a live stream with an escalation, a
 * batch with a progress bar, a FREE user's rate limit and budget, PII redaction and an injection
 * block, and a closing report. Works on replayed traces (no key, no network) or live models.
 */
export async function runTour(options: TourOptions): Promise<TourOutcome> {
  const { terminal, provider } = options;
  const { color } = terminal;
  const models = await createDemoModels(provider);
  const database = openDemoDatabase(options.databaseFile);
  // The learned state is kept in the tour's file: unlike the users, it carries over to the next run.
  const learningStore = openSqliteLearningStore(database.filename);
  let demo: ReturnType<typeof createDemoAgent> | undefined;
  try {
    const saved = await learningStore.store.load().catch(() => undefined);
    const labelsAtStart = saved?.states.reduce((sum, state) => sum + state.labels, 0) ?? 0;
    const seenByModel = new Map<string, ChatRequest>();
    demo = createDemoAgent(models, {
      profileStore: database.profiles,
      onModelRequest: (modelId, request) => seenByModel.set(modelId, request),
      // The tour sends each tier only ~18 requests: learn from 10 drafts instead of 20 (a server keeps
      // the default), and explore from a fixed seed so every run prints the same figures.
      adaptiveRouting: { minSamples: 10, random: seededRandom(1) },
      // Audits and exploration from a fixed seed too.
      learning: { store: learningStore.store, random: seededRandom(2) },
    });
    await seedTourUsers(demo.profiles);
    const strongModelId = demo.modelIds[demo.modelIds.length - 1]!;
    const ledger = createRunLedger({ traceSet: models.traceSet, pricing: models.pricing, strongModelId });
    const questions = await pickTourQuestions(models.traceSet, demo.agent.validator, DEFAULT_QUALITY_TARGET);
    const context: TourContext = { terminal, demo, models, ledger, questions, seenByModel };
    const storeName = relative(process.env.INIT_CWD ?? process.cwd(), database.filename);

    terminal.line(color.bold('Cascade tour') + color.dim(` — ${models.description}`));
    terminal.line(color.dim(`Each request: profile → limits → guardrails → cheapest model → validate → escalate if needed. Profiles: ${relative(process.env.INIT_CWD ?? process.cwd(), database.filename)}`));
    terminal.line();
    await showUsers(context);
    const stream = await showStream(context);
    const agentStep = await showAgent(terminal);
    const batch = await showBatch(context);
    const limits = await showLimits(context);
    const guardrails = await showGuardrails(context);
    // Background audits settle before the report counts their cost and reads the live estimate.
    await demo.agent.settled();
    const report = showReport(context, { stats: demo.agent.stats(), labelsAtStart, storeName });
    return { report, stream, agent: agentStep, batch, limits, guardrails };
  } finally {
    // Saves the learned state for the next run, then closes the file.
    await demo?.agent.close().catch((error: unknown) => terminal.line(color.dim(`The learned state was not saved: ${(error as Error).message}`)));
    learningStore.close();
    database.close();
  }
}
