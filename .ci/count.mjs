// Prints "N passed, N failed" from vitest's JSON report. A run that failed before vitest
// (lint, build, typecheck) wrote no report: it counts as one failure.
import { existsSync, readFileSync } from 'node:fs';

const [file, statusText] = process.argv.slice(2);
const status = Number(statusText ?? '1');
if (!file || !existsSync(file)) {
  console.log(`0 passed, ${status === 0 ? 0 : 1} failed`);
} else {
  const report = JSON.parse(readFileSync(file, 'utf8'));
  const passed = report.numPassedTests ?? 0;
  let failed = report.numFailedTests ?? 0;
  // Suites that failed to load have no tests but still fail the run.
  if (failed === 0 && status !== 0) failed = Math.max(1, report.numFailedTestSuites ?? 0);
  const skipped = (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0);
  console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
}
