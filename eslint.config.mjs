// One flat config for the whole workspace. `@nx/enforce-module-boundaries` reads the tags in
// each project.json: every project has one `scope:` and one `type:` tag, and both axes are
// constrained, so an import that crosses a forbidden edge fails `nx lint`.
import nx from '@nx/eslint-plugin';
import tseslint from 'typescript-eslint';
import prettier from 'eslint-config-prettier';

/** AWS SDKs and Lambda runtime helpers: only adapters and apps may import them. */
const awsPackages = ['@aws-sdk/*', '@smithy/*', '@aws-lambda-powertools/*', 'aws-lambda'];

export default tseslint.config(
  {
    ignores: [
      '**/node_modules/**',
      '**/dist/**',
      '**/coverage/**',
      '**/reports/**',
      '**/.nx/**',
      '**/tmp/**',
    ],
  },
  ...tseslint.configs.recommended,
  prettier,
  {
    files: ['**/*.ts', '**/*.mjs', '**/*.cjs', '**/*.js'],
    plugins: { '@nx': nx },
    rules: {
      '@nx/enforce-module-boundaries': [
        'error',
        {
          enforceBuildableLibDependency: false,
          allow: [],
          banTransitiveDependencies: false,
          depConstraints: [
            {
              sourceTag: 'type:domain',
              onlyDependOnLibsWithTags: ['type:domain'],
              bannedExternalImports: awsPackages,
            },
            {
              sourceTag: 'type:schema',
              onlyDependOnLibsWithTags: ['type:domain'],
              bannedExternalImports: awsPackages,
            },
            {
              sourceTag: 'type:adapter',
              onlyDependOnLibsWithTags: ['type:domain', 'type:schema'],
            },
            {
              sourceTag: 'type:app',
              onlyDependOnLibsWithTags: [
                'type:domain',
                'type:schema',
                'type:adapter',
                'type:emulation',
                'type:util',
              ],
            },
            {
              sourceTag: 'type:tool',
              onlyDependOnLibsWithTags: [
                'type:domain',
                'type:schema',
                'type:adapter',
                'type:emulation',
                'type:util',
              ],
            },
            // The local stack runs the built Lambdas on emulators: it needs none of our libraries.
            { sourceTag: 'type:emulation', onlyDependOnLibsWithTags: [] },
            {
              sourceTag: 'type:util',
              onlyDependOnLibsWithTags: [],
              bannedExternalImports: awsPackages,
            },
            { sourceTag: 'type:infra', onlyDependOnLibsWithTags: [] },
            { sourceTag: 'scope:shared', onlyDependOnLibsWithTags: ['scope:shared'] },
            { sourceTag: 'scope:ingest', onlyDependOnLibsWithTags: ['scope:shared'] },
            { sourceTag: 'scope:aggregator', onlyDependOnLibsWithTags: ['scope:shared'] },
            { sourceTag: 'scope:cli', onlyDependOnLibsWithTags: ['scope:shared', 'scope:local'] },
            { sourceTag: 'scope:local', onlyDependOnLibsWithTags: ['scope:shared'] },
            {
              sourceTag: 'scope:tooling',
              onlyDependOnLibsWithTags: ['scope:shared', 'scope:local'],
            },
            { sourceTag: 'scope:infra', onlyDependOnLibsWithTags: [] },
          ],
        },
      ],
    },
  },
  {
    files: ['**/*.ts'],
    rules: {
      '@typescript-eslint/consistent-type-imports': [
        'error',
        { fixStyle: 'separate-type-imports' },
      ],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
    },
  },
  {
    // Type-aware promise rules for the code that runs in Lambda and the libraries: a promise
    // nobody awaits loses its rejection (the handler returns before the write it started), and
    // an async function passed where a void callback is expected does the same.
    files: ['apps/ingest/src/**/*.ts', 'apps/aggregator/src/**/*.ts', 'libs/*/src/**/*.ts'],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
    },
  },
  {
    files: ['**/*.cjs', '**/*.js'],
    rules: { '@typescript-eslint/no-require-imports': 'off' },
    languageOptions: {
      globals: {
        module: 'writable',
        require: 'readonly',
        __dirname: 'readonly',
        process: 'readonly',
      },
    },
  },
);
