/**
 * `pnpm bench:guardrails [--json] [--pii <file>]`: PII precision/recall/F1 per claimed entity type
 * (ours and the npm peers openredaction and redact-pii, same process, same data), throughput on
 * 1 KB and 1 MB texts, 1 MB adversarial inputs; local moderation per category and XSTest
 * over-blocking; prompt-injection recall on CyberSecEval and XSTest false positives; stream
 * redaction delay and throughput. Data: ../shared/data (or CASCADE_DATA_DIR).
 */
import path from 'node:path';
import { dataDir, loadCyberSecEval, loadModeration, loadPresidio, loadTracePrompts, loadTraceTexts, loadXstest } from './data';
import { loadValidationReport, throughput } from './classifier-bench';
import { firstCallInFreshProcesses } from './first-call';
import { localInjectionDetectors, runInjectionBench } from './injection-bench';
import { runModerationBench } from './moderation-bench';
import { runNamesBench } from './names-bench';
import { megabyteText, runPiiBench } from './pii-bench';
import { runStreamBench } from './stream-bench';
import { runValidationBench } from './validation-bench';

function argument(name: string): string | undefined {
  const index = process.argv.indexOf(name);
  return index >= 0 ? process.argv[index + 1] : undefined;
}

async function main(): Promise<void> {
  // Fresh processes on the built package (the root script builds it first).
  const firstCall = firstCallInFreshProcesses(Number(argument('--first-call-runs') ?? 5));
  const json = process.argv.includes('--json');
  const root = dataDir();
  // pnpm runs the script in apps/bench; resolve a relative --pii against where the user typed it.
  const invokedFrom = process.env.INIT_CWD ?? process.cwd();
  const piiArgument = argument('--pii');
  const piiFile = piiArgument ? path.resolve(invokedFrom, piiArgument) : path.join(root, 'pii/presidio-synth-v2.json');
  const presidio = loadPresidio(piiFile);
  const xstest = loadXstest(path.join(root, 'injection/xstest-prompts.csv'));
  const log = (message: string): void => {
    if (!json) console.error(message);
  };

  log('names, addresses, dates (opt-in PII types)…');
  const names = runNamesBench(presidio);
  log(`PII on ${piiFile} (${presidio.length} texts)…`);
  const traceTexts = loadTraceTexts(path.join(root, 'traces'));
  const pii = await runPiiBench(presidio, { peerTimeLimitMs: 2_000, tracesTexts: traceTexts });
  log('moderation…');
  const moderationRows = loadModeration(path.join(root, 'moderation/openai-moderation-1680.jsonl'));
  const moderation = {
    ...runModerationBench(moderationRows, xstest, traceTexts),
    byMode: { model: runModerationBench(moderationRows, xstest, traceTexts, 'model'), lexicon: runModerationBench(moderationRows, xstest, traceTexts, 'lexicon') },
  };
  log('injection…');
  const cyberSecEval = loadCyberSecEval(path.join(root, 'injection/cyberseceval-prompt-injection.json'));
  const tracePrompts = loadTracePrompts(path.join(root, 'traces'));
  const injection = {
    detector: 'classifier+heuristic: createClassifierInjectionDetector(), the middleware default; byDetector compares each local detector',
    ...runInjectionBench(cyberSecEval, xstest, traceTexts, tracePrompts),
    byDetector: Object.fromEntries(Object.entries(localInjectionDetectors()).map(([name, detector]) => [name, runInjectionBench(cyberSecEval, xstest, traceTexts, tracePrompts, detector)])),
  };
  log('classifiers…');
  const classifiers = {
    note: 'heldOut: figures of the training script (pnpm --filter @cascade/guardrails train) on the train dir, each source scored by a model trained without it; thresholds chosen on the pooled held-out predictions. Dev sets (moderation, injection above) were used for neither.',
    heldOut: loadValidationReport(),
    firstCallAfterImport: { note: 'median of fresh node processes on the built package (dist): CPU time of the first call (goal ≤ 50 ms) and wall time on this machine, and what the import itself cost', ...firstCall },
    throughputMBps: throughput(traceTexts),
  };
  log('validation sources (training data the scored model did not train on)…');
  const validation = runValidationBench(path.join(root, 'train'));
  log('stream…');
  const stream = await runStreamBench(megabyteText(presidio));

  const result = {
    command: `pnpm bench:guardrails${json ? ' --json' : ''}${argument('--pii') ? ` --pii ${argument('--pii')}` : ''}`,
    node: process.version,
    data: {
      pii: piiFile,
      sources: 'dev sets (never used for training, thresholds or rules): microsoft/presidio-research (MIT), openai/moderation-api-release (MIT), PurpleLlama CyberSecEval (MIT), XSTest (CC-BY-4.0), the trace prompts and answers; validation: sources of ../shared/data/train (see validation.note)',
    },
    validation,
    pii: { ...pii, names },
    moderation,
    injection,
    classifiers,
    stream,
  };
  if (json) {
    console.log(JSON.stringify(result));
    return;
  }
  console.log(JSON.stringify(result, null, 2));
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
