// Lint for the bug classes of event-driven code: promises nobody awaits,
// promises passed where a callback is expected, switches that miss a case.
import js from '@eslint/js'
import stylistic from '@stylistic/eslint-plugin'
import tseslint from 'typescript-eslint'

export default tseslint.config(
  { ignores: ['node_modules/', '**/dist/', 'data/', 'demo-data/', 'coverage/'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  // The formatter: `npm run format` (eslint --fix) writes this style; `npm run lint` fails on any other.
  stylistic.configs.customize({ semi: false, quotes: 'single', indent: 2, commaDangle: 'never', braceStyle: '1tbs', arrowParens: true, quoteProps: 'as-needed', jsx: true }),
  {
    // The house style as it was written by hand: type members one per line or several joined by ";",
    // a space before every function's parentheses, short statements sharing a line.
    rules: {
      '@stylistic/member-delimiter-style': 'off',
      '@stylistic/space-before-function-paren': ['error', 'always'],
      '@stylistic/jsx-quotes': ['error', 'prefer-single'],
      // Inside JSX, "<label>words <select>…</select></label>" keeps the label and its control on
      // one line; the indent rules would break them apart.
      '@stylistic/indent': ['error', 2, { SwitchCase: 1, ignoredNodes: ['JSXElement', 'JSXElement > *', 'JSXAttribute', 'JSXExpressionContainer', 'JSXOpeningElement', 'JSXClosingElement', 'JSXFragment', 'JSXText'] }],
      '@stylistic/jsx-closing-tag-location': 'off',
      '@stylistic/jsx-wrap-multilines': 'off',
      // Numbers as keys (a password list's '888888') keep their quotes.
      '@stylistic/quote-props': ['error', 'as-needed', { numbers: true }],
      '@stylistic/jsx-closing-bracket-location': 'off',
      '@stylistic/list-style': 'off',
      '@stylistic/max-statements-per-line': 'off',
      '@stylistic/jsx-one-expression-per-line': 'off',
      '@stylistic/multiline-ternary': 'off',
      '@stylistic/operator-linebreak': 'off',
      '@stylistic/quotes': ['error', 'single', { avoidEscape: true }],
      // "<T,>" is how a .tsx file writes a generic arrow function: its comma stays.
      '@stylistic/comma-dangle': ['error', { arrays: 'never', objects: 'never', imports: 'never', exports: 'never', functions: 'never', enums: 'never', tuples: 'never', generics: 'ignore' }]
    }
  },
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname }
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': ['error', { considerDefaultExhaustiveForUnions: true }],
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }]
    }
  },
  {
    files: ['**/*.js', '**/*.mjs'],
    extends: [tseslint.configs.disableTypeChecked]
  }
)
