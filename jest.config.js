/** Test tiers by suffix: *.spec.ts (unit, no I/O), *.e2e-spec.ts (embedded app end to end), *.browser-spec.ts (the console in chromium), *.int-spec.ts (real engines). */
const { pathsToModuleNameMapper } = require('ts-jest');
const { compilerOptions } = require('./tsconfig.base.json');

const shared = {
  rootDir: __dirname,
  testEnvironment: 'node',
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json' }] },
  moduleFileExtensions: ['ts', 'js', 'json'],
  moduleNameMapper: pathsToModuleNameMapper(compilerOptions.paths, { prefix: '<rootDir>/' }),
  testPathIgnorePatterns: ['/node_modules/', '/dist/'],
};

module.exports = {
  projects: [
    { ...shared, displayName: 'unit', testMatch: ['<rootDir>/{apps,libs,tools}/**/*.spec.ts'] },
    {
      ...shared,
      displayName: 'e2e',
      testMatch: ['<rootDir>/{apps,libs,test}/**/*.e2e-spec.ts'],
      setupFilesAfterEnv: ['<rootDir>/test/support/timeout-e2e.js'],
    },
    {
      // The console in a real chromium against the built app (`npm run test:browser` builds it first).
      ...shared,
      displayName: 'browser',
      testMatch: ['<rootDir>/apps/console/test/**/*.browser-spec.ts'],
      setupFilesAfterEnv: ['<rootDir>/test/support/timeout-browser.js'],
    },
    {
      ...shared,
      displayName: 'int',
      testMatch: ['<rootDir>/{apps,libs,test}/**/*.int-spec.ts'],
      setupFilesAfterEnv: ['<rootDir>/test/support/timeout-int.js'],
    },
  ],
};
