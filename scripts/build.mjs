// Bundles src/ with every dependency inlined: the published package has zero runtime
// dependencies. Code splitting puts each dynamic import (a command, the wizard and its prompts,
// the Dockerfile parser, the YAML library) in chunks of its own, so a command parses only the
// code it runs; modules a run loads together are grouped into few chunks (CHUNK_GROUPS below).
import { build } from 'esbuild';
import Handlebars from 'handlebars';
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const templatesDir = join(root, 'templates');
/** As src/render/templates.ts has them; test/build.test.ts shows both render the same bytes. */
const COMPILE_OPTIONS = { noEscape: true };

/**
 * src/render/templates.ts compiles the templates when it runs; the bundle gets them compiled
 * now instead (the same COMPILE_OPTIONS), with Handlebars' runtime alone: a run neither parses
 * the compiler (three times the runtime's size) nor compiles a template.
 */
function precompiledTemplates() {
  const specs = (dir) =>
    readdirSync(dir)
      .filter((file) => file.endsWith('.hbs'))
      .sort()
      .map((file) => `${JSON.stringify(file)}: ${Handlebars.precompile(readFileSync(join(dir, file), 'utf8'), COMPILE_OPTIONS)}`)
      .join(',\n');
  // The runtime's ES module sources (the package's lib/, which its CommonJS dist/ is compiled
  // from): bundled as ES modules they need no CommonJS wrappers and run a little sooner.
  return `import Handlebars from 'handlebars/lib/handlebars.runtime.js';
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
    builder.onLoad({ filter: /src[\\/]render[\\/]templates\.ts$/ }, () => ({
      contents: precompiledTemplates(),
      loader: 'js',
      resolveDir: root,
    }));
  },
};

const options = {
  absWorkingDir: root,
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
};

/**
 * Modules a run loads together, by the entry points that load them (the bundle's entry and
 * dynamic imports, as source paths): every run loads the entry's; generate loads generate.ts,
 * generate-run.ts (test/build.test.ts checks what a generate run loads).
 */
const CHUNK_GROUPS = [['src/index.ts'], ['src/cli/generate.ts', 'src/cli/generate-run.ts']];

/**
 * Modules grouping never adds to an entry point that does not import them, nor any module that
 * imports them: the precompiled templates and Handlebars' runtime, 120 KB of the 270 KB generate
 * loads, which doctor (it renders nothing) would otherwise load with the planning code it shares
 * with generate. Generate then loads them as one chunk more (test/build.test.ts checks both).
 */
const KEPT_APART = [/^src\/render\/templates\.ts$/, /(^|\/)node_modules\/handlebars\//];

/**
 * esbuild puts each module in a chunk keyed by the set of entry points that reach it, so the
 * modules a generate run loads were spread over 22 files as different lazy imports (regenerate,
 * doctor, the wizard, the policy fetcher...) reach different subsets of them; Node 20 pays for
 * every file (resolution, a module record, linking), about as much as for 20 KB of code. A
 * first build (not written) finds each group's modules; the real build then makes every lazy
 * entry point that reaches any module of a group reach all of them, through an added import of
 * each, so the group lands in one chunk. An added module is at most evaluated where it was not
 * before (doctor loads generate's planning code; our modules' top levels only define things),
 * never twice; a module that leads back to the entry point is not added (no new cycle).
 */
async function groupChunks() {
  const { metafile } = await build({ ...options, write: false, metafile: true });
  const { inputs, outputs } = metafile;
  const outputOf = new Map(Object.entries(outputs).flatMap(([file, output]) => (output.entryPoint ? [[output.entryPoint, file]] : [])));
  const staticImports = (file) =>
    outputs[file].imports.filter((item) => item.kind === 'import-statement' && outputs[item.path]).map((item) => item.path);
  const closure = (starts, next) => {
    const seen = new Set();
    const visit = (node) => {
      if (seen.has(node)) return;
      seen.add(node);
      for (const child of next(node)) visit(child);
    };
    starts.forEach(visit);
    return seen;
  };
  const modulesIn = (files) => new Set([...files].flatMap((file) => Object.keys(outputs[file].inputs)));
  const staticClosure = (module) =>
    closure([module], (node) =>
      (inputs[node]?.imports ?? []).filter((item) => item.kind !== 'dynamic-import' && inputs[item.path]).map((item) => item.path),
    );
  const reaches = (module, target) => staticClosure(module).has(target);
  const keptApart = (module) => [...staticClosure(module)].some((node) => KEPT_APART.some((pattern) => pattern.test(node)));
  for (const entry of CHUNK_GROUPS.flat())
    if (!outputOf.has(entry))
      throw new Error(
        `CHUNK_GROUPS names ${entry}, which is neither the entry point nor a dynamic import's target; update ` +
          `CHUNK_GROUPS in scripts/build.mjs.`,
      );
  const added = new Map();
  const grouped = new Set();
  for (const group of CHUNK_GROUPS) {
    const modules = [
      ...modulesIn(
        closure(
          group.map((entry) => outputOf.get(entry)),
          staticImports,
        ),
      ),
    ].filter((module) => !grouped.has(module) && !outputOf.has(module));
    modules.forEach((module) => grouped.add(module));
    for (const [entry, file] of outputOf) {
      if (options.entryPoints.includes(entry)) continue;
      const own = modulesIn(closure([file], staticImports));
      if (!modules.some((module) => own.has(module))) continue;
      const adding = modules.filter((module) => !own.has(module) && !reaches(module, entry) && !keptApart(module));
      added.set(entry, [...(added.get(entry) ?? []), ...adding]);
    }
  }
  return {
    name: 'group-chunks',
    setup(builder) {
      builder.onLoad({ filter: /\.[cm]?[jt]s$/ }, (args) => {
        const modules = added.get(args.path.slice(root.length).split('\\').join('/'));
        if (!modules?.length) return undefined;
        const imports = modules.map((module) => `import ${JSON.stringify(join(root, module))};`).join('\n');
        return {
          contents: `${readFileSync(args.path, 'utf8')}\n${imports}\n`,
          loader: /\.[cm]?ts$/.test(args.path) ? 'ts' : 'js',
          resolveDir: dirname(args.path),
        };
      });
    },
  };
}

const grouping = await groupChunks();
rmSync(new URL('../dist', import.meta.url), { recursive: true, force: true });
await build({ ...options, plugins: [...options.plugins, grouping] });
