import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import prettier from 'eslint-config-prettier';

const NO_CONSTRUCTOR_NAME = {
  selector: "MemberExpression[object.property.name='constructor'][property.name='name']",
  message: 'Do not dispatch on constructor.name; use explicit type strings.',
};
/** Pure code (the domain, projection folds): time comes from events or an explicit asOf, so replay is deterministic. */
const NO_CLOCK = [
  {
    selector: "NewExpression[callee.name='Date'][arguments.length=0]",
    message: 'Pure code reads no clock: time comes from events or an explicit asOf.',
  },
  {
    selector: "CallExpression[callee.object.name='Date'][callee.property.name='now']",
    message: 'Pure code reads no clock: time comes from events or an explicit asOf.',
  },
];

export default tseslint.config(
  {
    ignores: [
      'dist/**',
      'node_modules/**',
      'coverage/**',
      '.fuzz/**',
      '.datasets/**',
      'data/**',
      '.infra/**',
      'infra/**/*.go',
      '*.config.js',
      '*.config.mjs',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': [
        'error',
        { fixStyle: 'inline-type-imports', disallowTypeAnnotations: false },
      ],
      '@typescript-eslint/no-extraneous-class': 'off',
      'no-restricted-syntax': ['error', NO_CONSTRUCTOR_NAME],
    },
  },
  {
    files: ['libs/domain/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            '@nestjs/*',
            'better-sqlite3',
            'kafkajs',
            'mongodb',
            'node:*',
            '@crm/event-store',
            '@crm/ingestion',
            '@crm/platform',
          ],
        },
      ],
      'no-restricted-syntax': ['error', NO_CONSTRUCTOR_NAME, ...NO_CLOCK],
    },
  },
  {
    // The projections' folds are pure too (their imports are checked by `npm run lint:deps`).
    files: ['libs/projections/src/{identity-index,idic,journey,kpi,profile,shared}/**/*.ts'],
    ignores: ['**/testing/**', '**/*.spec.ts', '**/*.e2e-spec.ts', '**/*.int-spec.ts'],
    rules: { 'no-restricted-syntax': ['error', NO_CONSTRUCTOR_NAME, ...NO_CLOCK] },
  },
  {
    files: ['**/*.spec.ts', '**/*.e2e-spec.ts', '**/*.int-spec.ts', 'test/**/*.ts'],
    rules: {
      '@typescript-eslint/unbound-method': 'off',
    },
  },
  {
    // Plain CommonJS (a require hook for child processes, infra scripts, the `crm` bin launcher): no TypeScript project.
    files: ['**/*.js', '**/*.cjs'],
    ...tseslint.configs.disableTypeChecked,
    languageOptions: {
      ...tseslint.configs.disableTypeChecked.languageOptions,
      sourceType: 'commonjs',
      globals: { require: 'readonly', module: 'writable', __dirname: 'readonly', jest: 'readonly' },
    },
    rules: { ...tseslint.configs.disableTypeChecked.rules, '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    // The console's build configuration: an ES module run by Vite under Node, outside any TypeScript project.
    files: ['apps/console/*.mjs'],
    ...tseslint.configs.disableTypeChecked,
    languageOptions: { ...tseslint.configs.disableTypeChecked.languageOptions, sourceType: 'module' },
  },
  prettier,
);
