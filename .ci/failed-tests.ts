// Prints the failed tests of vitest JSON reports (--reporter=json), so that the end of a CI log names them.
// Usage: tsx .ci/failed-tests.ts REPORT.json...   A missing or unreadable report is named, not fatal.
import { readFileSync } from 'node:fs';
import { relative } from 'node:path';

interface Report {
  numFailedTests?: number;
  numTotalTests?: number;
  testResults?: {
    name: string;
    status: string;
    message?: string;
    assertionResults?: { fullName: string; status: string; failureMessages?: string[] }[];
  }[];
}

const firstLines = (text: string, lines = 4, chars = 600): string =>
  text.split('\n').slice(0, lines).join('\n').slice(0, chars).replaceAll('\n', '\n    ');

for (const file of process.argv.slice(2)) {
  let report: Report;
  try {
    report = JSON.parse(readFileSync(file, 'utf8')) as Report;
  } catch (err) {
    console.log(`${file}: no report (${(err as NodeJS.ErrnoException).code ?? String(err)})`);
    continue;
  }
  console.log(`${file}: ${report.numFailedTests ?? '?'} failed of ${report.numTotalTests ?? '?'} tests`);
  for (const suite of report.testResults ?? []) {
    const where = relative(process.cwd(), suite.name);
    const failed = (suite.assertionResults ?? []).filter((t) => t.status === 'failed');
    for (const t of failed)
      console.log(`  ${where} > ${t.fullName}\n    ${firstLines((t.failureMessages ?? []).join('\n'))}`);
    // A file that failed outside its tests (an import error, a hook) has no failed test to show.
    if (suite.status === 'failed' && failed.length === 0)
      console.log(`  ${where}\n    ${firstLines(suite.message ?? '')}`);
  }
}
