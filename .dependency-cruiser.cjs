/**
 * The layering rules (docs/architecture.md, "Layering"), checked by `npm run lint`
 * (`npm run lint:deps` alone). Type-only imports count: a layer that may not use
 * something may not name its types either.
 */

/** Each lib imports only libs of earlier layers, so no two libs can import each other, even through a third. */
const LIB_LAYERS = [
  ['domain', 'event-store', 'read-store'],
  ['platform'],
  ['ingestion', 'projections'],
  ['privacy', 'read-api'],
  ['transport-kafka', 'analytics', 'admin', 'automations'],
  ['webhooks'],
];

/** Code only tests run: spec files, test folders and `testing` entries (fixtures, contract suites, crash children). */
const TEST_ONLY = [
  '\\.(spec|e2e-spec|int-spec)\\.ts$',
  '^test/',
  '^apps/[^/]+/test/',
  '^libs/[^/]+/src/(|.*/)testing/',
  '\\.crash-child\\.ts$',
];

/** The projections' folds and evolve functions: pure like the domain, so replay gives the same documents. */
const PROJECTION_FOLDS = '^libs/projections/src/(identity-index|idic|journey|kpi|portfolio|profile|shared)/';

/** Packages match wherever node_modules is (a checkout may link it from elsewhere). */
const NEST = '(^|/)node_modules/@nestjs/';
/** Database and broker clients, and the adapters that wrap them. */
const DRIVERS = [
  '(^|/)node_modules/(better-sqlite3|mongodb|kafkajs|@kurrent)/',
  '^libs/event-store/src/(sqlite|kurrent)/',
  '^libs/read-store/src/(sqlite|mongo)/',
  '^libs/transport-kafka/',
];
const CLOCK = '^libs/platform/src/clock/';

const libPattern = (names) => `^libs/(${names.join('|')})/`;

const layerRules = LIB_LAYERS.map((layer, index) => ({
  name: 'lib-layers',
  comment:
    `A lib of layer ${index} (${layer.join(', ')}) imports only libs of earlier layers` +
    (index === 0 ? ' (none)' : ` (${LIB_LAYERS.slice(0, index).flat().join(', ')})`) +
    '; see LIB_LAYERS in .dependency-cruiser.cjs.',
  severity: 'error',
  from: { path: libPattern(layer) },
  to: {
    path: '^libs/',
    pathNot: ['^libs/$1/', ...(index === 0 ? [] : [libPattern(LIB_LAYERS.slice(0, index).flat())])],
  },
}));

module.exports = {
  forbidden: [
    {
      name: 'domain-imports-nothing',
      comment:
        'libs/domain is pure: no framework, driver, Node module, clock or other lib; time comes from events or an explicit asOf.',
      severity: 'error',
      from: { path: '^libs/domain/' },
      to: { pathNot: '^libs/domain/' },
    },
    {
      name: 'pure-projection-folds',
      comment:
        'Projection folds import no Nest, no database or broker client (nor its adapter) and no clock: replaying the log must give the same documents.',
      severity: 'error',
      from: { path: PROJECTION_FOLDS, pathNot: TEST_ONLY },
      to: { path: [NEST, ...DRIVERS, CLOCK] },
    },
    ...layerRules,
    {
      name: 'libs-import-no-app',
      comment: 'Apps wire libs together; a lib never imports an app.',
      severity: 'error',
      from: { path: '^libs/' },
      to: { path: '^apps/' },
    },
    {
      name: 'product-imports-no-test-code',
      comment:
        'Product code (apps/*/src, libs/*/src) does not import test helpers: test folders, `testing` entries or spec files. Specs may.',
      severity: 'error',
      from: { path: '^(apps|libs)/', pathNot: TEST_ONLY },
      to: { path: TEST_ONLY },
    },
    {
      name: 'product-imports-no-dev-dependency',
      comment:
        'Product code does not import devDependencies (jest, @nestjs/testing, ...): production installs omit them.',
      severity: 'error',
      // The console (apps/console) is bundled at build time: its packages are build tools, not runtime ones.
      from: { path: '^(apps|libs)/', pathNot: [...TEST_ONLY, '^apps/console/'] },
      to: { dependencyTypes: ['npm-dev'] },
    },
    {
      name: 'no-circular',
      comment:
        'Files do not import each other, directly or around a loop: move what both need into a third file.',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^dist/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
    },
  },
};
