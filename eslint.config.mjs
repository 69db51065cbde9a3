// Type-aware lint for the whole repo; rules follow ../shared/conventions.md (section Tooling).
import js from '@eslint/js';
import i18next from 'eslint-plugin-i18next';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: [
      'dist/**',
      'web/dist/**',
      'node_modules/**',
      '.stockops/**',
      '.services/**',
      '.venv*/**',
      '.tmp/**',
      '**/*.tmp.*',
      'coverage/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.strictTypeChecked,
  {
    languageOptions: {
      parserOptions: {
        projectService: {
          allowDefaultProject: ['*.mjs', 'bin/*.js', 'scripts/*.mjs'],
        },
        tsconfigRootDir: import.meta.dirname,
      },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': 'error',
      '@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: true }],
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
      eqeqeq: ['error', 'always'],
      curly: ['error', 'all'],
    },
  },
  {
    // Every string a person reads comes from the resources (web/src/i18n): a literal in JSX text or in an
    // attribute a person sees fails the lint. Attributes for machines (class names, test ids, types, ids,
    // links) and strings without letters (punctuation, symbols, numbers) are allowed.
    files: ['web/src/**/*.tsx'],
    plugins: { i18next },
    rules: {
      'i18next/no-literal-string': [
        'error',
        {
          mode: 'jsx-only',
          'jsx-attributes': {
            exclude: [
              'className',
              'style',
              'type',
              'key',
              'id',
              'htmlFor',
              'data-testid',
              'testId',
              'role',
              'href',
              'to',
              'value',
              'lang',
              'inputMode',
              'autoComplete',
              'autoCapitalize',
              'accept',
              'rel',
              'target',
              'textAnchor',
              'viewBox',
              'points',
              'fill',
              'stroke',
              'strokeDasharray',
              'aria-live',
              'aria-hidden',
              'aria-current',
              'aria-sort',
              'aria-describedby',
              'aria-labelledby',
              'list',
              'position',
              'shape',
              'd',
              'i18nKey',
            ],
          },
          // Symbols and numbers, codes in capitals (UI_ERROR), the product's name and a version's "v".
          words: { exclude: ['[0-9!-/:-@[-`{-~\\s—–−→·↗▲▼…×%]+', '[A-Z_]+', 'stockops', 'v'] },
          // Calls whose string arguments are keys or field paths, not text (the plugin's defaults first).
          callees: {
            exclude: [
              'i18n(ext)?',
              't',
              'require',
              'addEventListener',
              'removeEventListener',
              'includes',
              'startsWith',
              'endsWith',
              'field',
              'shown',
              'set',
              'text',
            ],
          },
        },
      ],
    },
  },
  {
    files: ['**/*.mjs', 'bin/*.js'],
    ...tseslint.configs.disableTypeChecked,
    languageOptions: { globals: { process: 'readonly', console: 'readonly', URL: 'readonly' } },
  },
);
