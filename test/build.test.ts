// The published bundle renders templates precompiled at build time (scripts/build.mjs), the
// sources compile them when they run (src/render/templates.ts): the same templates, options
// and helpers must give the same bytes, for every file kind and every partial.
import { cpSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT, runBin, runCli, snapshotTree, sshHome } from './helpers.js';

const FIXTURES = readdirSync(join(REPO_ROOT, 'test', 'fixtures')).sort();
const copy = (fixture: string): string => {
  const dir = mkdtempSync(join(tmpdir(), 'cgd-build-'));
  cpSync(join(REPO_ROOT, 'test', 'fixtures', fixture), dir, { recursive: true });
  return dir;
};

describe('the bundle (precompiled templates) writes what the sources write', () => {
  // Every template: the CI files, compose, bake and buildkitd.toml, and the token/ssh partial.
  const variants: [string, string[]][] = [
    ['default', ['--yes']],
    [
      'cn, compose, GitHub CI with bake, token auth',
      ['--yes', '--region', 'cn', '--compose', '--ci', 'github', '--private', 'git.corp.example/*', '--auth', 'token'],
    ],
    ['GitLab CI, ssh auth, alpine', ['--yes', '--ci', 'gitlab', '--private', 'git.corp.example/*', '--auth', 'ssh', '--base', 'alpine']],
    // An answer only the YAML library writes (src/options/answers.ts): the bundle loads it then.
    ['args the YAML library writes', ['--yes', '--args=serve --http=0.0.0.0:8090']],
  ];
  it.each(FIXTURES.flatMap((fixture) => variants.map(([name, argv]) => [fixture, name, argv] as const)))(
    '%s, %s',
    async (fixture, _name, argv) => {
      const fromSources = copy(fixture);
      const fromBundle = copy(fixture);
      // One HOME for both, whose ~/.ssh/known_hosts --auth ssh reads.
      const home = sshHome();
      const sources = await runCli(argv, { cwd: fromSources, env: { HOME: home } });
      const bundle = runBin(argv, fromBundle, { HOME: home });
      expect(bundle.code, bundle.stderr).toBe(sources.code);
      expect(snapshotTree(fromBundle)).toEqual(snapshotTree(fromSources));
    },
  );
});

it("the bundle carries Handlebars' runtime, not its compiler (no template is compiled at run time)", () => {
  const chunks = readdirSync(join(REPO_ROOT, 'dist'), { recursive: true, encoding: 'utf8' }).filter((name) => name.endsWith('.js'));
  const text = chunks.map((name) => readFileSync(join(REPO_ROOT, 'dist', name), 'utf8')).join('\n');
  expect(text).toContain('Handlebars');
  // The compiler's parser error and its code generator's names appear in no chunk.
  expect(text).not.toContain('Parse error on line');
  expect(text).not.toMatch(/SourceNode|JavaScriptCompiler/);
});

describe('what a run loads (scripts/build.mjs groups the chunks a run loads together)', () => {
  const dist = join(REPO_ROOT, 'dist');
  const files = readdirSync(dist, { recursive: true, encoding: 'utf8' }).filter((name) => name.endsWith('.js'));
  const text = (file: string): string => readFileSync(join(dist, file), 'utf8');
  /** The files a module file loads before it runs: itself and its static imports, transitively. */
  const loads = (starts: string[]): Set<string> => {
    const seen = new Set<string>();
    const visit = (file: string): void => {
      if (seen.has(file)) return;
      seen.add(file);
      for (const [, path] of text(file).matchAll(/(?:\bfrom|\bimport)\s*"(\.\.?\/[^"]+)"/g))
        visit(join(file, '..', path!).split('\\').join('/'));
    };
    starts.forEach(visit);
    return seen;
  };
  const entryChunk = (name: string): string => {
    const found = files.filter((file) => new RegExp(`^chunks[\\\\/]${name}-[A-Z0-9]{8}\\.js$`).test(file));
    expect(found, name).toHaveLength(1);
    return found[0]!.split('\\').join('/');
  };
  // What marks each in a chunk: the runtime's version-check message, and each precompiled
  // template's compiler revision (scripts/build.mjs precompiles them).
  const HANDLEBARS_RUNTIME = /version of Handlebars than the current runtime/;
  const PRECOMPILED_TEMPLATE = /\bcompiler:\[\d+,"/;

  it('--help: the entry, the chunk of everything every run loads, and esbuild helpers', () => {
    expect(loads(['index.js']).size).toBeLessThanOrEqual(3);
  });

  it('generate: a handful of files, without the YAML library, the Dockerfile parser or the http client', () => {
    const generate = loads(['index.js', entryChunk('generate'), entryChunk('generate-run')]);
    // Before the chunks were grouped: 22 files. The templates and Handlebars are one of them,
    // kept apart from the planning code doctor shares (scripts/build.mjs, KEPT_APART).
    expect(generate.size).toBeLessThanOrEqual(7);
    const code = [...generate].map(text).join('\n');
    // The templates and the docker probe are there already.
    expect(code).toMatch(HANDLEBARS_RUNTIME);
    expect(code).toMatch(PRECOMPILED_TEMPLATE);
    expect(code).toContain('"buildx"');
    expect(code).not.toContain('yaml.alias');
    expect(code).not.toMatch(/"node:https?"/);
    expect(code).not.toContain('DockerfileParser');
  });

  it('doctor: neither the Handlebars runtime nor the templates (doctor renders nothing)', () => {
    // Two entry chunks: the command (src/cli/doctor.ts) and the diagnosis it imports (src/doctor/doctor.ts).
    const doctor = files.filter((file) => /^chunks[\\/]doctor-[A-Z0-9]{8}\.js$/.test(file)).map((file) => file.split('\\').join('/'));
    expect(doctor).toHaveLength(2);
    const loaded = [...loads(['index.js', ...doctor])];
    expect(loaded.filter((file) => HANDLEBARS_RUNTIME.test(text(file)))).toEqual([]);
    expect(loaded.filter((file) => PRECOMPILED_TEMPLATE.test(text(file)))).toEqual([]);
  });
});
