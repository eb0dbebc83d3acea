// @ts-check
// typescript-eslint's strict, type-checked rules over src/, test/ and scripts/ (npm test runs it).
// The few options below are where the rule's default fights a choice tsconfig.json already made.
import eslint from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/', 'examples/', 'snapshots/', 'templates/', 'test/fixtures/', 'test/reference/', 'index.js'] },
  eslint.configs.recommended,
  tseslint.configs.strictTypeChecked,
  {
    languageOptions: {
      globals: globals.node,
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      // noUncheckedIndexedAccess types every `match[1]` and `args[i]` as possibly undefined even
      // where the pattern or the loop bound guarantees it; `!` there states that guarantee.
      '@typescript-eslint/no-non-null-assertion': 'off',
      // Numbers print the same in every locale inside a template literal.
      '@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: true }],
      '@typescript-eslint/no-confusing-void-expression': ['error', { ignoreArrowShorthand: true }],
      // The caller names a branded value's kind (brandIf<GoVersion>(...)): a type parameter used only in
      // the return type is how it is named.
      '@typescript-eslint/no-unnecessary-type-parameters': 'off',
      // `const { dir: _dropped, ...rest } = build` is how a key is left out of a copy.
      '@typescript-eslint/no-unused-vars': ['error', { ignoreRestSiblings: true, argsIgnorePattern: '^_' }],
      // prettier wraps code at 140 but leaves strings, comments and regular expressions whole.
      'max-len': ['error', { code: 140 }],
    },
  },
  {
    // Test doubles implement async interfaces (prompts, docker probes) with answers known up front.
    files: ['test/**/*.ts'],
    rules: {
      '@typescript-eslint/require-await': 'off',
      // A test pins a whole message with one regular expression.
      'max-len': ['error', { code: 140, ignoreRegExpLiterals: true }],
      // vitest types its asymmetric matchers (expect.stringMatching, objectContaining) as any.
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
    },
  },
  { files: ['**/*.mjs'], extends: [tseslint.configs.disableTypeChecked] },
);
