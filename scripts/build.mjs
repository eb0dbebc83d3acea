// Bundles src/ with every dependency inlined: the published package has zero runtime
// dependencies. Code splitting puts each dynamic import (a command, the wizard and its prompts,
// prettier, the Dockerfile parser) in a chunk of its own, so a command parses only the code it
// runs: --help reads the entry chunk alone, not prettier's ~600 KB.
import { build } from 'esbuild';
import Handlebars from 'handlebars';
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const templatesDir = join(root, 'templates');
/** As src/render/templates.ts has them; test/build.test.ts shows both render the same bytes. */
const COMPILE_OPTIONS = { noEscape: true };

/**
 * src/render/templates.ts compiles the templates when it runs; the bundle gets them compiled
 * now instead (the same COMPILE_OPTIONS), with Handlebars' runtime alone: a run neither parses
 * the compiler (three times the runtime's size) nor compiles a template.
 */
function precompiledTemplates() {  const specs = (dir) =>
    readdirSync(dir)
      .filter((file) => file.endsWith('.hbs'))
      .sort()
      .map((file) => `${JSON.stringify(file)}: ${Handlebars.precompile(readFileSync(join(dir, file), 'utf8'), COMPILE_OPTIONS)}`)
      .join(',\n');
  return `import Handlebars from 'handlebars/runtime';
const TEMPLATES = {${specs(templatesDir)}};
const PARTIALS = {${specs(join(templatesDir, 'partials'))}};
export const COMPILE_OPTIONS = ${JSON.stringify(COMPILE_OPTIONS)};
export function loadTemplates(helpers) {
  const environment = Handlebars.create();
  for (const [name, helper] of Object.entries(helpers)) environment.registerHelper(name, helper);
  for (const [file, spec] of Object.entries(PARTIALS)) environment.registerPartial(file.slice(0, -4), environment.template(spec));
  const compiled = new Map();
  return (name, context) => {
    let template = compiled.get(name);
    if (!template) {
      if (!(name in TEMPLATES)) throw new Error('no template ' + name);
      template = environment.template(TEMPLATES[name]);
      compiled.set(name, template);
    }
    return template(context);
  };
}
`;
}

const precompile = {
  name: 'precompile-templates',
  setup(builder) {
    builder.onLoad({ filter: /src[\\/]render[\\/]templates\.ts$/ }, () => ({ contents: precompiledTemplates(), loader: 'js', resolveDir: root }));
  },
};

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
  plugins: [precompile],
  // Handlebars only tries to load source-map for source maps, which we never ask for.
  external: ['source-map'],
  // A few bundled CommonJS modules call require() for Node built-ins.
  banner: { js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);" },
});
