#!/usr/bin/env node
// Runs the test suites and prints one summary: every skipped test by name, then the closing line
// "tests: N passed, N failed, N skipped". Usage: node scripts/test.mjs [unit|integration]
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const mode = process.argv[2] ?? 'unit';
const resultsDir = join(root, 'test-results');
rmSync(resultsDir, { recursive: true, force: true });
mkdirSync(resultsDir, { recursive: true });

const steps = [];
const run = (name, command, args, options = {}) => {
  console.log(`\n=== ${name}: ${command} ${args.join(' ')}`);
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit', ...options });
  steps.push({ name, ok: result.status === 0 });
};

if (mode === 'unit') {
  run('typecheck', 'npx', ['tsc', '-p', 'tsconfig.json', '--noEmit']);
  run('lint (eslint: typescript-eslint, eslint-plugin-vue)', 'npx', ['eslint', '.', '--max-warnings=0']);
  run('format (prettier --check)', 'npx', ['prettier', '--check', '--log-level=warn', '.']);
  run('service tests (jest)', 'npx', [
    'jest',
    '--config',
    'jest.config.js',
    '--json',
    `--outputFile=${join(resultsDir, 'jest.json')}`,
  ]);
  run(
    'console tests (vitest)',
    'npx',
    ['vitest', 'run', '--reporter=default', '--reporter=json', `--outputFile=${join(resultsDir, 'vitest.json')}`],
    {
      cwd: join(root, 'admin-ui'),
    },
  );
} else if (mode === 'integration') {
  run('adapter contract suites (jest)', 'npx', [
    'jest',
    '--config',
    'jest.integration.config.js',
    '--json',
    `--outputFile=${join(resultsDir, 'jest.json')}`,
  ]);
} else {
  console.error(`unknown mode ${mode}`);
  process.exit(2);
}

let passed = 0;
let failed = 0;
const skipped = [];
for (const file of ['jest.json', 'vitest.json']) {
  const path = join(resultsDir, file);
  if (!existsSync(path)) continue;
  const report = JSON.parse(readFileSync(path, 'utf8'));
  for (const suite of report.testResults ?? []) {
    for (const test of suite.assertionResults ?? []) {
      const name = test.fullName ?? [...(test.ancestorTitles ?? []), test.title].join(' > ');
      if (test.status === 'passed') passed += 1;
      else if (test.status === 'failed') failed += 1;
      else skipped.push(`${name} [${test.status}] (${suite.name.replace(root, '')})`);
    }
    // A suite that failed to load has no assertions: count it as a failure.
    if ((suite.assertionResults ?? []).length === 0 && suite.status === 'failed') failed += 1;
  }
}

// Integration suites run only against a configured server: one that was set up but ran nothing
// (a typo in a skip condition, a suite that failed to load) must not pass as tested.
const integrationProblems = [];
if (mode === 'integration') {
  const urls = ['EVENTSTORE_URL', 'MONGO_URL'];
  const ran = Object.fromEntries(urls.map((url) => [url, 0]));
  const report = JSON.parse(readFileSync(join(resultsDir, 'jest.json'), 'utf8'));
  for (const suite of report.testResults ?? []) {
    const source = existsSync(suite.name) ? readFileSync(suite.name, 'utf8') : '';
    const executed = (suite.assertionResults ?? []).filter((t) => t.status === 'passed' || t.status === 'failed');
    for (const url of urls) if (source.includes(url)) ran[url] += executed.length;
  }
  const set = urls.filter((url) => process.env[url]);
  if (set.length === 0)
    integrationProblems.push(
      'Neither EVENTSTORE_URL nor MONGO_URL is set: no production adapter was tested. Set one or both (README, "Integration tests").',
    );
  for (const url of set) if (ran[url] === 0) integrationProblems.push(`${url} is set, but no test of its suites ran.`);
}

console.log('\n=== Summary');
for (const step of steps) console.log(`${step.ok ? 'ok    ' : 'FAILED'} ${step.name}`);
if (skipped.length > 0) {
  console.log(`\nSkipped (${skipped.length}), not counted as passed:`);
  for (const name of skipped) console.log(`  - ${name}`);
}
console.log(`\ntests: ${passed} passed, ${failed} failed, ${skipped.length} skipped`);
for (const problem of integrationProblems) console.log(`FAILED ${problem}`);
process.exit(steps.every((s) => s.ok) && failed === 0 && integrationProblems.length === 0 ? 0 : 1);
