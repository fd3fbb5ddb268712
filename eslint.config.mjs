// Lint rules that guard the architecture: promises are never dropped, and workflow code
// stays deterministic (no Node built-ins, no I/O libraries) so Temporal can replay it, contracts/
// (imported by workflows) stays free of I/O, and Temporal names are spelled only in contracts/.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import { builtinModules } from 'node:module';

const nodeBuiltins = builtinModules.flatMap((name) => [name, `node:${name}`]);

/** Folders whose modules do I/O or wire processes: workflows and contracts import only their types. */
const sideEffectingFolders = [
  'activities',
  'db',
  'level',
  'simulator',
  'api',
  'config',
  'security',
  'temporal',
  'worker',
  'runtime',
  'tracing',
  'metrics',
  'devserver',
  'bin',
].map((folder) => `../${folder}/*`);

/** Calls whose first argument is a Temporal name (client.workflow.start, handle.signal, defineSignal, …); the SDK's own `__temporal_…` names excepted. */
const temporalNameCalls = [
  "CallExpression[callee.property.name=/^(start|execute|signalWithStart)$/][callee.object.property.name='workflow'][arguments.0.type='Literal']",
  "CallExpression[callee.property.name=/^(signal|query|executeUpdate|startUpdate)$/][arguments.0.type='Literal'][arguments.0.value!=/^__temporal_/]",
  "CallExpression[callee.name=/^(defineSignal|defineQuery|defineUpdate)$/][arguments.0.type='Literal']",
];
/** In workflow code, children are started by name too. */
const childWorkflowCalls = ["CallExpression[callee.name=/^(startChild|executeChild)$/][arguments.0.type='Literal']"];
const temporalNameRule = (selectors) => [
  'error',
  ...selectors.map((selector) => ({
    selector,
    message: 'Temporal names live in contracts/: use its constant or typed definition.',
  })),
  {
    selector: "Property[key.name=/^(workflowType|signalName|signal|query)$/][value.type='Literal']",
    message: 'Temporal names live in contracts/: use its constant or typed definition.',
  },
];

export default tseslint.config(
  { ignores: ['node_modules/**', 'dist/**', '.data/**', '.web-build/**', 'test-output/**', 'eslint.config.mjs'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: { arguments: false } }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/require-await': 'off',
      '@typescript-eslint/only-throw-error': 'off',
    },
  },
  {
    // Temporal names (workflow types, signals, queries) are history: they are spelled once, in
    // contracts/, and everything else starts, signals and queries through its constants.
    files: ['**/*.ts'],
    ignores: ['contracts/**', 'bench/probe-workflow.ts'],
    rules: {
      'no-restricted-syntax': temporalNameRule(temporalNameCalls),
    },
  },
  {
    // The contracts are imported by workflows: types and constants only, nothing that does I/O.
    files: ['contracts/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            ...nodeBuiltins.map((name) => ({
              name,
              message: 'Contracts are imported by workflows: no Node built-ins.',
            })),
            {
              name: '@temporalio/workflow',
              allowImportNames: ['defineSignal', 'defineQuery', 'defineUpdate'],
              message: 'Contracts only define signals, queries and updates.',
            },
            { name: '@temporalio/activity', message: 'Contracts hold types and constants only.' },
            { name: '@temporalio/client', message: 'Contracts hold types and constants only.' },
            { name: '@temporalio/worker', message: 'Contracts hold types and constants only.' },
          ],
          patterns: [
            {
              group: [...sideEffectingFolders, '../workflows', '../workflows/*'],
              message: 'Contracts may import only types from other folders (domain/ constants excepted).',
              allowTypeImports: true,
            },
          ],
        },
      ],
      'no-restricted-globals': ['error', 'setTimeout', 'setInterval', 'fetch', 'process'],
    },
  },
  {
    files: ['workflows/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            ...nodeBuiltins.map((name) => ({ name, message: 'Workflows must be deterministic: no Node built-ins.' })),
            { name: '@temporalio/activity', message: 'Activities are not callable from workflow code directly.' },
            { name: '@temporalio/client', message: 'Workflows cannot use the client.' },
            { name: '@temporalio/worker', message: 'Workflows cannot use the worker.' },
          ],
          patterns: [
            {
              group: sideEffectingFolders,
              message: 'Workflows may import only types from side-effecting modules.',
              allowTypeImports: true,
            },
          ],
        },
      ],
      'no-restricted-globals': ['error', 'setTimeout', 'setInterval', 'fetch', 'process'],
      'no-restricted-syntax': temporalNameRule([...temporalNameCalls, ...childWorkflowCalls]),
      'no-restricted-properties': [
        'error',
        { object: 'Math', property: 'random', message: 'Use workflow.uuid4() or deterministic values.' },
      ],
    },
  },
  {
    // One job per folder: activities are registered by the worker and called by workflows, never
    // imported by the API, the stores or the rules; domain/ is pure (types from elsewhere only).
    files: [
      'api/**/*.ts',
      'runtime/**/*.ts',
      'db/**/*.ts',
      'level/**/*.ts',
      'simulator/**/*.ts',
      'temporal/**/*.ts',
      'metrics/**/*.ts',
      'tracing/**/*.ts',
      'security/**/*.ts',
      'config/**/*.ts',
    ],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['**/activities', '**/activities/*'],
              message: 'Only the worker registers activities; share code through db/, domain/ or level/.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['domain/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: nodeBuiltins.map((name) => ({ name, message: 'domain/ holds pure rules: no Node built-ins.' })),
          patterns: [
            {
              group: sideEffectingFolders,
              message: 'domain/ holds pure rules: only types from side-effecting modules.',
              allowTypeImports: true,
            },
          ],
        },
      ],
    },
  },
  {
    // Activities reach PostgreSQL through db/ (its stores hold every statement), not with SQL of their own.
    files: ['activities/**/*.ts'],
    rules: {
      'no-restricted-syntax': [
        ...temporalNameRule(temporalNameCalls),
        ...[
          "CallExpression[callee.property.name='execute'][callee.object.name=/^(em|tx|trx)$/]",
          "CallExpression[callee.type='CallExpression'][callee.callee.property.name='getKnex']",
          'CallExpression[callee.name=/^(knex|trx)$/]',
        ].map((selector) => ({ selector, message: 'SQL lives in db/: call a store function from there.' })),
      ],
    },
  },
  {
    files: ['test/**/*.ts', 'bench/**/*.ts'],
    rules: {
      '@typescript-eslint/no-unused-expressions': 'off',
      '@typescript-eslint/no-non-null-assertion': 'off',
      // Tests read JSON response bodies as `any` and assert on their shape.
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
    },
  },
);
