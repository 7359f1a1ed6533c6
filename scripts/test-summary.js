// Prints vitest's result as one plain closing line, "N passed, N failed",
// which CI reads; vitest's own summary is formatted for people.
import { readFileSync } from "node:fs";

const path = process.argv[2] ?? ".yunshu/vitest.json";
// vitest's exit status: non-zero with no failed test means errors outside
// tests (an unhandled rejection, say), which fail the run all the same.
const status = Number(process.argv[3] ?? 0);
let report;
try {
  report = JSON.parse(readFileSync(path, "utf8"));
} catch {
  console.log("tests: 0 passed, 1 failed (no vitest report was written)");
  process.exit(0);
}
const skipped = report.numPendingTests + report.numTodoTests;
// A file that fails to load fails no single test; count it all the same.
const failed = Math.max(report.numFailedTests, report.numFailedTestSuites, status === 0 ? 0 : 1);
console.log(`tests: ${report.numPassedTests} passed, ${failed} failed` + (skipped ? `, ${skipped} skipped` : ""));
