// Lint rules: typescript-eslint's recommended type-aware-free set, plus the
// house rules of STYLE.md (no any, no non-null assertions, type-only imports).
// Formatting is Prettier's (.prettierrc.json), checked by `npm run lint`.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['node_modules/', '.output/', '.wxt/', 'dist/', 'coverage/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-non-null-assertion': 'error',
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      eqeqeq: ['error', 'always', { null: 'ignore' }],
    },
  },
  // Issue 8 "no HTML injection from data": what the extension and the dashboard show comes from
  // Aircall, the CRMs and agents (names, notes, SMS bodies), so it is rendered as text by React,
  // never parsed as HTML. test/trust/extension-static.test.ts proves each pattern is caught.
  {
    files: ['entrypoints/**', 'components/**', 'dashboard/**', 'lib/extension/**'],
    rules: {
      'no-restricted-syntax': [
        'error',
        {
          selector: "JSXAttribute[name.name='dangerouslySetInnerHTML']",
          message: 'Data is rendered as text: put it in JSX children (React escapes it), never as HTML.',
        },
      ],
      'no-restricted-properties': [
        'error',
        ...[
          'innerHTML',
          'outerHTML',
          'insertAdjacentHTML',
          'setHTMLUnsafe',
          'createContextualFragment',
          'srcdoc',
        ].map((property) => ({
          property,
          message: 'Data is rendered as text: use textContent or JSX (React escapes it), never HTML.',
        })),
        ...['write', 'writeln'].map((property) => ({
          object: 'document',
          property,
          message: 'document.write parses HTML: build the DOM with React or textContent.',
        })),
      ],
    },
  },
);
