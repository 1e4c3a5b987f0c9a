import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/', 'node_modules/', '.svodka/', 'tests/bench/results/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      'no-console': 'error',
    },
  },
  {
    files: ['adapters/**/*.ts', 'plugins/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '^(\\.\\./)+src/(?!sdk|model)',
              message: 'Adapters and plugins import only src/sdk and src/model.',
            },
          ],
        },
      ],
    },
  },
  {
    // The amoCRM widget runs in the amoCRM page: AMD modules, jQuery, the page's globals.
    files: ['manifest/amocrm/widget/**/*.js'],
    languageOptions: {
      sourceType: 'script',
      globals: { define: 'readonly', AMOCRM: 'readonly', window: 'readonly', document: 'readonly' },
    },
    rules: { '@typescript-eslint/no-this-alias': 'off' },
  },
);
