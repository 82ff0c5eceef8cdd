// Lint: the layering is a rule, not a comment (see ../shared/STYLE.md, "One home for each concept").
// - src/engine/ is plain TypeScript: no `vscode`, so it runs in workers, the CLI and vitest alike.
// - webview/ pages run in a browser, and protocol modules are shared by both ends of a boundary:
//   neither imports `vscode` or a Node built-in.
import tseslint from 'typescript-eslint';

const nodeBuiltins = {
  group: ['node:*'],
  message: 'Pages run in a browser: no Node built-ins here; ask the host through the page protocol.',
};
const noVscode = (where) => ({
  name: 'vscode',
  message: `${where} never imports vscode: it runs outside the extension host. Pass what it needs in through a small interface.`,
});

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'test-results/**', 'assembly/**', '.vscode-test/**'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' },
      ],
      // The optional tfjs backends load lazily, only when chosen (src/engine/kernels/backend.ts).
      '@typescript-eslint/no-require-imports': ['error', { allow: ['^@tensorflow/'] }],
    },
  },
  {
    files: ['bin/**/*.js'],
    languageOptions: { sourceType: 'commonjs' },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    files: ['src/engine/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { paths: [noVscode('The engine')] }] },
  },
  {
    // Protocol modules are shared by both sides of a boundary (host, worker, page).
    files: ['webview/**/*.ts', 'src/protocol/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { paths: [noVscode('A page')], patterns: [nodeBuiltins] }] },
  },
  {
    // The web extension and its Web Workers run in a browser; the host's Node-only parts stay behind HostPlatform.
    files: ['src/web/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['node:*'],
              message:
                'src/web/ runs in the browser: no Node built-ins; put the Node side behind HostPlatform (src/host/platform.ts).',
            },
          ],
        },
      ],
    },
  },
);
