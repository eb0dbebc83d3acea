// Bundles src/ into one ESM file with every dependency inlined: the published package has
// zero runtime dependencies. Heavy modules (prettier, the prompts) are behind dynamic imports
// that esbuild keeps lazy, so --help and --yes do not evaluate them.
import { build } from 'esbuild';
import { rmSync } from 'node:fs';

rmSync(new URL('../dist', import.meta.url), { recursive: true, force: true });
await build({
  entryPoints: ['src/index.ts'],
  outfile: 'dist/index.js',
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  minify: true,
  legalComments: 'none',
  logLevel: 'warning',
  // Handlebars only tries to load source-map for source maps, which we never ask for.
  external: ['source-map'],
  // A few bundled CommonJS modules call require() for Node built-ins.
  banner: { js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);" },
});
