// Runs a TypeScript script (scripts/*.ts) on Node 20, which cannot strip types itself: esbuild
// (already the build tool) bundles it into a temporary module, which is then imported.
import { build } from 'esbuild';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

// Each source file's import.meta.dirname keeps meaning its own folder, not the temp folder.
const keepDirname = {
  name: 'keep-dirname',
  setup(builder) {
    builder.onLoad({ filter: /\.ts$/ }, async (args) => ({
      contents: (await readFile(args.path, 'utf8')).replaceAll('import.meta.dirname', JSON.stringify(dirname(args.path))),
      loader: 'ts',
    }));
  },
};

const entry = resolve(process.argv[2]);
// Inside node_modules/.cache, so the bundle's bare imports (yaml, dockerfile-ast) resolve.
const cacheDir = join(dirname(dirname(new URL(import.meta.url).pathname)), 'node_modules', '.cache');
mkdirSync(cacheDir, { recursive: true });
const dir = mkdtempSync(join(cacheDir, 'cgd-script-'));
const outfile = join(dir, 'script.mjs');
await build({
  entryPoints: [entry],
  outfile,
  bundle: true,
  platform: 'node',
  format: 'esm',
  packages: 'external',
  plugins: [keepDirname],
  logLevel: 'warning',
});
try {
  await import(pathToFileURL(outfile).href);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
