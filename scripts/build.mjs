// Bundles src/ with every dependency inlined: the published package has zero runtime
// dependencies. Code splitting puts each dynamic import (a command, the wizard and its prompts,
// prettier, the Dockerfile parser) in a chunk of its own, so a command parses only the code it
// runs: --help reads the entry chunk alone, not prettier's ~600 KB.
import { build } from 'esbuild';
import { rmSync } from 'node:fs';

rmSync(new URL('../dist', import.meta.url), { recursive: true, force: true });
await build({
  entryPoints: ['src/index.ts'],
  outdir: 'dist',
  splitting: true,
  chunkNames: 'chunks/[name]-[hash]',
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
