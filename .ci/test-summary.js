#!/usr/bin/env node
// Adds up the Jest result files this CI run wrote (`--json --outputFile`) and
// prints one closing line, "Tests: N passed, N failed, N skipped", so that a
// reader of the log sees what ran in total, not only the last runner's count.
// Exits non-zero when a file is missing or unreadable, or when no test ran.
/* global process, console */
'use strict';
const fs = require('node:fs');

const files = process.argv.slice(2);
let passed = 0;
let failed = 0;
let skipped = 0;
for (const file of files) {
  const results = JSON.parse(fs.readFileSync(file, 'utf8'));
  passed += results.numPassedTests;
  failed += results.numFailedTests + results.numRuntimeErrorTestSuites;
  skipped += results.numPendingTests + results.numTodoTests;
  console.log(
    `${file}: ${results.numPassedTests} passed, ${results.numFailedTests} failed in ${results.numTotalTestSuites} suites`,
  );
}
console.log(`Tests: ${passed} passed, ${failed} failed, ${skipped} skipped`);
if (files.length === 0 || passed === 0 || failed > 0) process.exit(1);
