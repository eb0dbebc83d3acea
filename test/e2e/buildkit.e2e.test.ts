// End to end on a standalone BuildKit, as CI runners build: buildkitd builders with empty state
// directories, a registry on 127.0.0.1 serving the stand-in base images through the builders'
// mirror config, and the registry cache (mode=max) as the only thing that travels between
// runners. One tool install, one registry and one stand-in push for the whole file.
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { afterAll, beforeAll, describe, expect, it, type TestContext } from 'vitest';
import {
  buildctlBuild,
  createBuildx,
  executedRunSteps,
  freePort,
  installBuildkitTools,
  pushAs,
  pushStandIns,
  startBuildkitd,
  startRegistry,
  type BuildResult,
  type Buildkitd,
  type BuildkitTools,
  type Registry,
} from './harness/buildkit.js';
import { copyFixture, execute, generate, httpGet } from './harness/docker.js';
import { CACHE_DIR, REPO_ROOT, startHarness, tearDown, type Harness } from './harness/index.js';
import { startModuleProxy } from './harness/servers.js';
import { sshHome } from '../helpers.js';

/**
 * A Dockerfile to run the fresh-builder protocol with instead of the generated one. The
 * generated one carries modules and compiled dependencies in layers keyed by go.mod/go.sum, so
 * B must rebuild with the module source down (before issue 14 they lived only in cache mounts,
 * which no BuildKit cache backend exports, moby/buildkit#1512, and B failed).
 */
const CI_DOCKERFILE = process.env.CGD_CI_DOCKERFILE;

interface Setup {
  h: Harness;
  tools: BuildkitTools;
  registry: Registry;
}

let setup: Setup | undefined;
let skipReason: string | undefined;
const cleanups: Array<() => Promise<void> | void> = [];

const log = (line: string): void => console.log(`[e2e buildkit] ${line}`);

beforeAll(async () => {
  const started = Date.now();
  const installed = installBuildkitTools(log);
  if ('skip' in installed) {
    skipReason = installed.skip;
    console.warn(`\n[e2e buildkit] SKIPPED, nothing was built: ${skipReason}\n`);
    return;
  }
  log(`tools ready in ${installed.tools.installSeconds.toFixed(1)} s`);
  const harness = await startHarness(log, { privateHost: false });
  if ('skip' in harness) {
    skipReason = harness.skip;
    console.warn(`\n[e2e buildkit] SKIPPED, nothing was built: ${skipReason}\n`);
    return;
  }
  const h = harness.harness;
  cleanups.push(() => h.stop());
  const registry = await startRegistry();
  cleanups.push(() => registry.stop());
  // Every stand-in: the lint cases name every runtime family and both builder distros.
  await pushStandIns(h.docker, registry, log, { cacheDir: CACHE_DIR });
  setup = { h, tools: installed.tools, registry };
  log(
    `set up in ${((Date.now() - started) / 1000).toFixed(1)} s (registry ${registry.host}); base images are local ` +
      `STAND-INS, not the upstream images`,
  );
}, 30 * 60_000);

afterAll(() => tearDown(cleanups, log), 5 * 60_000);

/** The setup, or a runtime skip that says why (never a pass without a build). */
function ready(context: TestContext): Setup {
  if (!setup) context.skip(skipReason ?? 'buildkit harness did not start');
  return setup;
}

/** A fixture copy with the files `create-go-docker --yes` generates. */
async function generatedProject(h: Harness, fixture: string, flags: string[] = []): Promise<string> {
  const dir = copyFixture(fixture, h.goVersion);
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  // --auth ssh records git.corp.test's key from this HOME's known_hosts (no server runs here: the
  // variants are linted and printed, never fetched from).
  const { result } = await generate(dir, flags, { HOME: sshHome() });
  expect(result.code, result.stderr).toBe(0);
  return dir;
}

interface LintWarning {
  ruleName: string;
  description?: string;
  detail?: string;
  location?: { ranges?: Array<{ start?: { line?: number } }> };
}

describe('buildx build --check (BuildKit lint rules) on a fresh builder', () => {
  // One builder lints every variant: the shapes whose templates differ (runtimes, region cn's
  // scratch stage and mirrors, several images, cgo, vendor/, private modules with a secret
  // mount and SSH, a workspace, build tags and default arguments).
  const cases: Array<{ fixture: string; flags?: string[]; dockerfile?: string }> = [
    { fixture: 'gin' },
    { fixture: 'hello' },
    { fixture: 'service', flags: ['--region', 'cn'] },
    { fixture: 'service', flags: ['--base', 'alpine', '--platforms', 'linux/amd64,linux/arm64'] },
    { fixture: 'service', flags: ['--base', 'debian', '--proxy', 'http://proxy.corp.example:3128'] },
    { fixture: 'multi' },
    { fixture: 'multi', flags: ['--bundle'] },
    { fixture: 'cgo' },
    { fixture: 'vendored' },
    { fixture: 'private', flags: ['--private', 'git.corp.test/*', '--auth', 'token'] },
    { fixture: 'private', flags: ['--private', 'git.corp.test/*', '--auth', 'ssh'] },
    { fixture: 'workspace' },
    { fixture: 'tagged' },
    { fixture: 'loopback' },
  ];
  if (CI_DOCKERFILE) cases.push({ fixture: 'gin', dockerfile: CI_DOCKERFILE });
  let builder: Awaited<ReturnType<typeof startBuildkitd>> | undefined;
  let buildx: Awaited<ReturnType<typeof createBuildx>> | undefined;
  for (const { fixture, flags = [], dockerfile } of cases) {
    it(
      `${[fixture, ...flags].join(' ')}: ` +
        `${dockerfile ? `CGD_CI_DOCKERFILE=${dockerfile}` : 'the generated Dockerfile'} has no warnings`,
      async (context) => {
        const { tools, registry, h } = ready(context);
        const dir = await generatedProject(h, fixture, flags);
        if (dockerfile) writeFileSync(join(dir, 'Dockerfile'), readFileSync(dockerfile, 'utf8'));
        if (!builder || !buildx) {
          const started = await startBuildkitd(tools, registry, log);
          builder = started;
          cleanups.push(() => started.stop());
          const created = await createBuildx(tools, started);
          buildx = created;
          cleanups.push(() => created.remove());
        }
        const result = await buildx.run(['build', '--call', 'check,format=json', dir]);
        // format=json prints the lint result as JSON on stdout; the exit code is 1 when it holds
        // warnings, so the report is read first and the exit code checked after it.
        let report: { warnings?: LintWarning[] };
        try {
          report = JSON.parse(result.stdout) as { warnings?: LintWarning[] };
        } catch {
          throw new Error(`buildx build --check printed no JSON report (exit ${result.code}):\n${result.stdout}${result.stderr}`);
        }
        const lines = readFileSync(join(dir, 'Dockerfile'), 'utf8').split('\n');
        const found = (report.warnings ?? []).map((warning) => {
          const line = warning.location?.ranges?.[0]?.start?.line ?? 0;
          return (
            `${warning.ruleName} at Dockerfile:${line}: ${warning.detail ?? warning.description ?? ''}\n    ` +
            (lines[line - 1]?.trim() ?? '')
          );
        });
        expect(found, 'lint warnings').toEqual([]);
        expect(result.code, result.stderr).toBe(0);
      },
    );
  }
});

/** A one-line .go edit: the greeting string of the gin fixture. */
function editGreeting(dir: string): void {
  const file = join(dir, 'main.go');
  const text = readFileSync(file, 'utf8');
  expect(text).toContain('"gin ok\\n"');
  writeFileSync(file, text.replace('"gin ok\\n"', '"gin ok (edited)\\n"'));
}

/**
 * Adds -v to the compile stage's go build (not the deps stage's: -v changes no cache key), so
 * the build log lists every package it compiled.
 */
function verboseCompile(dir: string): void {
  const file = join(dir, 'Dockerfile');
  const text = readFileSync(file, 'utf8');
  const compile = /go build -trimpath( -tags=\S+)? -ldflags=/;
  expect(text).toMatch(compile);
  writeFileSync(
    file,
    text.replace(compile, (match) => match.replace('go build ', 'go build -v ')),
  );
}

/** The package paths the compile step's go build -v printed (its step's process output). */
function packagesCompiled(log: string): string[] {
  const step = /^#(\d+) \[build-gin 1\/1\] RUN /m.exec(log);
  expect(step, 'the compile step is in the log').not.toBeNull();
  const own = new RegExp(`^#${step![1]} \\d+\\.\\d+ (\\S+)$`);
  return log.split('\n').flatMap((line) => own.exec(line)?.[1] ?? []);
}

const tailOf = (result: BuildResult): string => result.log.split('\n').slice(-40).join('\n');

/** Pulls the pushed image into the harness's engine, runs it on the host network, GETs /. */
async function greetingOf(h: Harness, image: string): Promise<string> {
  const pulled = await execute(h.docker, ['pull', '-q', image]);
  expect(pulled.code, pulled.stderr).toBe(0);
  const port = await freePort();
  const started = await execute(h.docker, ['run', '-d', '--rm', '--network=host', '-e', `PORT=${port}`, image]);
  expect(started.code, started.stderr).toBe(0);
  try {
    const response = await httpGet(`http://127.0.0.1:${port}/`);
    expect(response.status).toBe(200);
    return response.body;
  } finally {
    await execute(h.docker, ['rm', '-f', started.stdout.trim()]);
    await execute(h.docker, ['rmi', '-f', image]);
  }
}

describe('a fresh CI runner rebuilds from the registry cache alone (issue 14)', () => {
  const subject = CI_DOCKERFILE ? `CGD_CI_DOCKERFILE=${CI_DOCKERFILE}` : 'the generated Dockerfile';
  const title =
    `gin, ${subject}: builder B (empty state, module source down) imports A's cache and rebuilds after a ` +
    `.go edit, compiling only the module's own packages`;

  it(title, async (context) => {
    const { tools, registry, h } = ready(context);
    const dir = await generatedProject(h, 'gin');
    if (CI_DOCKERFILE) writeFileSync(join(dir, 'Dockerfile'), readFileSync(CI_DOCKERFILE, 'utf8'));
    else verboseCompile(dir);
    const image = `${registry.host}/cgd-e2e/gin`;
    const cacheRef = `${image}:buildcache`;
    // Builder A's own module source, so "down" for B does not touch the harness's proxy. B
    // gets the same GOPROXY value: another value would change the cache keys.
    const proxy = await startModuleProxy(join(CACHE_DIR, 'modcache', 'cache', 'download'));
    cleanups.push(() => proxy.close());
    const buildArgs = { GOPROXY: proxy.url };

    const first = await freshBuild(tools, registry, { dir, buildArgs, image, tag: 'a', cache: { export: cacheRef } });
    expect(first.code, `builder A:\n${tailOf(first)}`).toBe(0);
    expect(
      proxy.requests.some((path) => path.endsWith('.zip')),
      'builder A downloaded modules from the proxy',
    ).toBe(true);
    log(`builder A (cold, exports the cache): ${first.seconds.toFixed(1)} s`);

    await proxy.close();
    editGreeting(dir);
    const requestsBeforeB = proxy.requests.length;
    const second = await freshBuild(tools, registry, { dir, buildArgs, image, tag: 'b', cache: { import: cacheRef } });
    log(
      `builder B (fresh, module source down): ${second.seconds.toFixed(1)} s, exit ${second.code}; RUN steps it ran: ` +
        (second.executedRuns.join(' | ') || 'none'),
    );
    expect(proxy.requests.length, 'the module source was down for B').toBe(requestsBeforeB);

    expect(second.code, `builder B:\n${tailOf(second)}`).toBe(0);
    // What the cache must carry: every step keyed by go.mod/go.sum alone came from it; only
    // steps that read the source (the bind-mounted context) ran again.
    for (const step of second.executedRuns)
      expect(step, 'a RUN step B ran that does not read the source').toMatch(/--mount=type=bind,target=\.(\s|$)/);
    if (!CI_DOCKERFILE) {
      // The compiled dependencies came from the deps layer, not compiled again: B's compile
      // step (go build -v) compiled this module's packages and nothing of gin's 101.
      const compiled = packagesCompiled(second.log);
      expect(compiled.length, `B compiled nothing?\n${tailOf(second)}`).toBeGreaterThan(0);
      expect(
        compiled.filter((path) => !path.startsWith('example.com/e2e/gin')),
        'packages B compiled again',
      ).toEqual([]);
    }
    expect(await greetingOf(h, `${image}:b`)).toBe('gin ok (edited)\n');
  });
});

describe('a module without dependencies on fresh builders (issue 19)', () => {
  // No go.sum only: an empty one gives the same Dockerfile byte for byte (test/generate.test.ts),
  // which mounts no go.sum, and build.e2e builds all three go.sum variants on the engine; a
  // second fresh-builder run here took 69 s of CI's 30 minutes and could fail on nothing else.
  it(
    'hello, no go.sum, its images pinned: builder A (empty state, no module proxy at all) builds and exports the cache; ' +
      'builder B (empty state) imports it and reruns only the compile step after a .go edit',
    async (context) => {
      const { tools, registry, h } = ready(context);
      const dir = copyFixture('hello', h.goVersion);
      cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
      // The images are pinned (issue 23): the registry as a --registry prefix, pinned by regenerate
      // --refresh-pins, and both builders pull them by digest. --registry keeps gcr.io in the path
      // (PREFIX/gcr.io/distroless/...), which a mirror of gcr.io, as the builders' config uses it,
      // does not: the runtime stand-in is pushed there too.
      await pushAs(h.docker, 'gcr.io/distroless/static-debian12:nonroot', `${registry.host}/gcr.io/distroless/static-debian12:nonroot`);
      const { result } = await generate(dir, ['--registry', registry.host]);
      expect(result.code, result.stderr).toBe(0);
      await refreshPinsFromRegistry(dir, registry);
      expect(readFileSync(join(dir, 'Dockerfile'), 'utf8')).not.toMatch(/go mod download|go\.sum|AS deps/);
      const image = `${registry.host}/cgd-e2e/hello-no-sum`;
      const cacheRef = `${image}:buildcache`;
      // Nothing to download: the module proxy is off for both builders.
      const buildArgs = { GOPROXY: 'off' };
      const first = await freshBuild(tools, registry, { dir, buildArgs, image, tag: 'a', cache: { export: cacheRef } });
      expect(first.code, `builder A:\n${tailOf(first)}`).toBe(0);
      expect(await greetingOf(h, `${image}:a`)).toBe('hello ok\n');

      const file = join(dir, 'main.go');
      writeFileSync(file, readFileSync(file, 'utf8').replace('"hello ok\\n"', '"hello ok (edited)\\n"'));
      const second = await freshBuild(tools, registry, { dir, buildArgs, image, tag: 'b', cache: { import: cacheRef } });
      expect(second.code, `builder B:\n${tailOf(second)}`).toBe(0);
      expect(
        second.executedRuns.map((step) => step.slice(0, 60)),
        'RUN steps B ran',
      ).toEqual([expect.stringMatching(/^\[build-hello 1\/1\] RUN /)]);
      expect(await greetingOf(h, `${image}:b`)).toBe('hello ok (edited)\n');
    },
  );
});

/** Runs `use` on a builder started for it (empty state) and stopped after: a fresh CI runner's builder. */
async function onFreshBuilder<T>(tools: BuildkitTools, registry: Registry, use: (builder: Buildkitd) => Promise<T>): Promise<T> {
  const builder = await startBuildkitd(tools, registry, log);
  try {
    return await use(builder);
  } finally {
    await builder.stop();
  }
}

/**
 * regenerate --refresh-pins against the registry (the real docker-registry, plain HTTP on
 * loopback): every FROM is pinned to the digest the registry itself reports for the tag, and the
 * drift check passes.
 */
async function refreshPinsFromRegistry(dir: string, registry: Registry): Promise<void> {
  const cli = join(REPO_ROOT, 'index.js');
  const refreshed = await execute(process.execPath, [cli, 'regenerate', '--refresh-pins'], { cwd: dir });
  expect(refreshed.code, refreshed.stderr).toBe(0);
  const froms = [...readFileSync(join(dir, 'Dockerfile'), 'utf8').matchAll(/^FROM (?:--platform=\S+ )?(\S+) AS /gm)]
    .map((match) => match[1]!)
    .filter((image) => image.startsWith(`${registry.host}/`));
  expect(froms.length, 'the builder and the runtime image come from the registry').toBe(2);
  for (const image of froms) {
    const [name, digest] = image.split('@') as [string, string | undefined];
    const tagAt = name.lastIndexOf(':');
    const response = await fetch(
      `http://${registry.host}/v2/${name.slice(registry.host.length + 1, tagAt)}/manifests/${name.slice(tagAt + 1)}`,
      {
        method: 'HEAD',
        headers: {
          accept: [
            'application/vnd.oci.image.index.v1+json',
            'application/vnd.docker.distribution.manifest.list.v2+json',
            'application/vnd.oci.image.manifest.v1+json',
            'application/vnd.docker.distribution.manifest.v2+json',
          ].join(', '),
        },
      },
    );
    expect(digest, `${image} is pinned to what the registry serves`).toBe(response.headers.get('docker-content-digest'));
  }
  const check = await execute(process.execPath, [cli, 'regenerate', '--check'], { cwd: dir });
  expect(check.code, check.stdout + check.stderr).toBe(0);
}

/** One build on a fresh builder that pushes IMAGE:TAG and exports or imports the registry cache. */
function freshBuild(
  tools: BuildkitTools,
  registry: Registry,
  build: { dir: string; buildArgs: Record<string, string>; image: string; tag: string; cache: { export: string } | { import: string } },
): Promise<BuildResult> {
  return onFreshBuilder(tools, registry, (builder) =>
    buildctlBuild(tools, builder, {
      context: build.dir,
      buildArgs: build.buildArgs,
      ...('export' in build.cache ? { exportCache: build.cache.export } : { importCache: [build.cache.import] }),
      output: { type: 'image', name: `${build.image}:${build.tag}`, push: true },
    }),
  );
}

/** A folder on PATH with `buildctl-daemonless.sh`: the GitLab job's builder, here a fresh buildkitd. */
function daemonlessShim(tools: BuildkitTools, addr: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'cgd-daemonless-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  const shim = join(dir, 'buildctl-daemonless.sh');
  writeFileSync(shim, `#!/bin/sh\nexec ${JSON.stringify(tools.buildctl)} --addr ${JSON.stringify(addr)} "$@"\n`);
  chmodSync(shim, 0o755);
  return dir;
}

interface GitlabJob {
  variables: Record<string, string>;
  script: string[];
  parallel?: { matrix: Array<Record<string, string>> };
}

/** Runs the generated GitLab job's script with sh, as the runner would, on a default-branch pipeline. */
async function runGitlabJob(
  dir: string,
  tools: BuildkitTools,
  builder: { addr: string },
  env: Record<string, string>,
): Promise<{ code: number; stdout: string; stderr: string }> {
  const pipeline = parseYaml(readFileSync(join(dir, '.gitlab-ci.yml'), 'utf8')) as Record<string, GitlabJob>;
  const job = pipeline['docker-image']!;
  const home = mkdtempSync(join(tmpdir(), 'cgd-gitlab-home-'));
  cleanups.push(() => rmSync(home, { recursive: true, force: true }));
  return execute('sh', ['-c', job.script.join('\n')], {
    cwd: dir,
    env: {
      PATH: `${daemonlessShim(tools, builder.addr)}:${process.env.PATH ?? ''}`,
      HOME: home,
      ...job.variables,
      CI_PIPELINE_SOURCE: 'push',
      CI_COMMIT_BRANCH: 'main',
      CI_DEFAULT_BRANCH: 'main',
      CI_COMMIT_REF_SLUG: 'main',
      CI_COMMIT_SHORT_SHA: '0a1b2c3d',
      CI_REGISTRY_USER: 'gitlab-ci-token',
      CI_REGISTRY_PASSWORD: 'not-checked-by-this-registry',
      ...env,
    },
  });
}

describe('the generated CI files on real BuildKit (issue 14)', () => {
  it(
    'GitLab: the docker-image job script, run by sh through buildctl-daemonless.sh, builds and pushes on a fresh ' +
      'runner, then a second fresh runner rebuilds from its registry cache with the module source down',
    async (context) => {
      const { tools, registry, h } = ready(context);
      const dir = await generatedProject(h, 'gin', ['--ci', 'gitlab']);
      const proxy = await startModuleProxy(join(CACHE_DIR, 'modcache', 'cache', 'download'));
      cleanups.push(() => proxy.close());
      const env = { GOPROXY: proxy.url, CI_REGISTRY: registry.host, CI_REGISTRY_IMAGE: `${registry.host}/group/gin` };

      const first = await onFreshBuilder(tools, registry, (builder) => runGitlabJob(dir, tools, builder, env));
      expect(first.code, `runner A:\n${first.stderr.slice(-3000)}`).toBe(0);

      await proxy.close();
      editGreeting(dir);
      const second = await onFreshBuilder(tools, registry, (builder) => runGitlabJob(dir, tools, builder, env));
      expect(second.code, `runner B:\n${second.stderr.slice(-3000)}`).toBe(0);
      expect(
        executedRunSteps(second.stderr).every((step) => /--mount=type=bind,target=\.(\s|$)/.test(step)),
        executedRunSteps(second.stderr).join('\n'),
      ).toBe(true);
      expect(await greetingOf(h, `${registry.host}/group/gin:main`)).toBe('gin ok (edited)\n');
    },
  );

  it(
    'several images: docker buildx bake --print resolves the generated docker-bake.hcl to one target per image on the ' +
      'shared _common settings',
    async (context) => {
      const { tools, registry, h } = ready(context);
      const dir = await generatedProject(h, 'multi', ['--ci', 'github']);
      const builder = await startBuildkitd(tools, registry, log);
      cleanups.push(() => builder.stop());
      const buildx = await createBuildx(tools, builder);
      cleanups.push(() => buildx.remove());
      const printed = await buildx.run(['bake', '--print', '-f', join(dir, 'docker-bake.hcl')], {
        cwd: dir,
        env: { REGISTRY_IMAGE_PREFIX: 'ghcr.io/acme', TAG: 'v1', CACHE: 'registry', CACHE_EXPORT: 'true' },
      });
      expect(printed.code, printed.stderr).toBe(0);
      const bake = JSON.parse(printed.stdout) as {
        group: Record<string, { targets: string[] }>;
        target: Record<
          string,
          { target: string; tags: string[]; args: Record<string, string>; 'cache-from'?: unknown[]; 'cache-to'?: unknown[] }
        >;
      };
      const names = bake.group.default!.targets;
      expect(names.length).toBe(2);
      for (const name of names) {
        const target = bake.target[name]!;
        expect(target.tags).toEqual([`ghcr.io/acme/${name}:v1`]);
        expect(Object.keys(target.args)).toContain('GOPROXY');
        expect(JSON.stringify(target['cache-to'])).toContain(`ghcr.io/acme/${name}:buildcache`);
        expect(JSON.stringify(target['cache-to'])).toContain('mode=max');
      }
      // The bake targets are the Dockerfile's stages.
      const stages = [...readFileSync(join(dir, 'Dockerfile'), 'utf8').matchAll(/^FROM \S+(?: --platform=\S+)? AS (\S+)$/gm)].map(
        (match) => match[1],
      );
      for (const name of names) expect(stages).toContain(bake.target[name]!.target);
    },
  );

  it(
    "compose.yaml: Compose's own parser (compose-go, in buildx bake) reads every variant to the targets docker build " +
      'builds: stages, build args, the netrc secret, the SSH agent, a context from --out, a healthcheck',
    async (context) => {
      const { tools, registry, h } = ready(context);
      const proxy = ['--proxy', 'http://proxy.corp.example:3128'];
      const elsewhere = mkdtempSync(join(tmpdir(), 'cgd-compose-out-'));
      // Compose checks that a secret's file exists (the user's ~/.netrc, as the next steps ask) and
      // that an SSH agent is named (SSH_AUTH_SOCK), as a user's shell has them.
      const home = mkdtempSync(join(tmpdir(), 'cgd-compose-home-'));
      writeFileSync(join(home, '.netrc'), 'machine git.corp.test login u password p\n', { mode: 0o600 });
      // --print only checks the agent's socket exists; nothing connects to it.
      const agent = createServer();
      await new Promise<void>((done) => agent.listen(join(home, 'agent.sock'), done));
      cleanups.push(() => void agent.close());
      cleanups.push(
        () => rmSync(elsewhere, { recursive: true, force: true }),
        () => rmSync(home, { recursive: true, force: true }),
      );
      const variants: Array<{ name: string; fixture: string; flags: string[]; composeDir?: string }> = [
        { name: 'several images + proxy', fixture: 'multi', flags: proxy },
        { name: 'private, token', fixture: 'private', flags: ['--auth', 'token'] },
        { name: 'private, ssh', fixture: 'private', flags: ['--auth', 'ssh'] },
        {
          name: 'cn, files in another directory (--out)',
          fixture: 'service',
          flags: ['--region', 'cn', '--out', elsewhere],
          composeDir: elsewhere,
        },
        { name: 'a healthcheck: the binary probes itself (exec form)', fixture: 'selfcheck', flags: [] },
      ];
      const builder = await startBuildkitd(tools, registry, log);
      cleanups.push(() => builder.stop());
      const buildx = await createBuildx(tools, builder);
      cleanups.push(() => buildx.remove());
      for (const variant of variants) {
        const dir = await generatedProject(h, variant.fixture, ['--compose', ...variant.flags]);
        const composeDir = variant.composeDir ?? dir;
        const compose = parseYaml(readFileSync(join(composeDir, 'compose.yaml'), 'utf8')) as {
          services: Record<string, { build: { context: string; dockerfile: string; target: string; args?: Record<string, string> } }>;
        };
        const printed = await buildx.run(['bake', '--print', '-f', 'compose.yaml'], {
          cwd: composeDir,
          env: { HOME: home, SSH_AUTH_SOCK: join(home, 'agent.sock') },
        });
        expect(printed.code, `${variant.name}: ${printed.stderr}`).toBe(0);
        const bake = JSON.parse(printed.stdout) as {
          target: Record<
            string,
            { context: string; dockerfile: string; target: string; args?: Record<string, string>; secret?: string[]; ssh?: string[] }
          >;
        };
        expect(Object.keys(bake.target).sort(), variant.name).toEqual(Object.keys(compose.services).sort());
        for (const [name, target] of Object.entries(bake.target)) {
          // The context is the project (where go.mod is), whichever directory compose.yaml is in,
          // and the Dockerfile the generated one, whose stage the target is.
          expect(resolve(composeDir, target.context), `${variant.name} ${name}`).toBe(dir);
          const dockerfile = readFileSync(resolve(composeDir, target.context, target.dockerfile), 'utf8');
          expect(dockerfile).toMatch(/^# Generated by create-go-docker /);
          expect(dockerfile).toMatch(new RegExp(`^FROM \\S+ AS ${target.target}$`, 'm'));
          expect(target.target).toBe(compose.services[name]!.build.target);
          expect(target.args ?? {}, `${variant.name} ${name}`).toEqual(compose.services[name]!.build.args ?? {});
        }
        const targets = Object.values(bake.target);
        if (variant.flags.includes('--proxy'))
          for (const target of targets) expect(target.args?.HTTPS_PROXY).toBe('http://proxy.corp.example:3128');
        if (variant.flags.includes('token')) for (const target of targets) expect(target.secret).toEqual([`id=netrc,src=${home}/.netrc`]);
        if (variant.flags.includes('ssh')) for (const target of targets) expect(target.ssh).toEqual(['default']);
        // Compose-go validated the healthcheck above (test, durations, retries) or bake would have exited 1.
        if (variant.fixture === 'selfcheck') expect(readFileSync(join(composeDir, 'compose.yaml'), 'utf8')).toMatch(/^ {4}healthcheck:$/m);
      }
    },
  );
});

/** An image's linux/amd64 manifest digest and its config's date, read from the registry's API. */
async function platformImage(
  registry: Registry,
  repository: string,
  tag: string,
  architecture: 'amd64' | 'arm64',
): Promise<{ digest: string; created: string }> {
  const get = async (path: string, accept: string) => {
    const response = await fetch(`http://${registry.host}/v2/${repository}/${path}`, { headers: { Accept: accept } });
    expect(response.status, `${repository}/${path}`).toBe(200);
    return { digest: response.headers.get('docker-content-digest') ?? '', json: (await response.json()) as Record<string, unknown> };
  };
  const types = 'application/vnd.oci.image.index.v1+json,application/vnd.oci.image.manifest.v1+json';
  const top = await get(`manifests/${tag}`, types);
  const entries = (top.json.manifests ?? []) as Array<{ digest: string; platform?: { os: string; architecture: string } }>;
  // An index holds the image and its provenance attestation (platform unknown/unknown).
  const entry = entries.find((candidate) => candidate.platform?.architecture === architecture && candidate.platform.os === 'linux');
  if (entries.length > 0) expect(entry, `${repository}:${tag} has a linux/${architecture} image`).toBeDefined();
  const digest = entries.length ? entry!.digest : top.digest;
  const manifest = await get(`manifests/${digest}`, types);
  const config = await get(`blobs/${(manifest.json.config as { digest: string }).digest}`, '*/*');
  return { digest, created: config.json.created as string };
}

/**
 * The distroless static stand-in for linux/amd64 and linux/arm64, pushed over the amd64-only one
 * at its mirror path: it holds no binary (passwd, CA bundle, zoneinfo, /tmp), so its files serve
 * both, and an arm64 image of a static binary needs no emulation (the compile cross-compiles).
 */
async function multiPlatformStaticStandIn(h: Harness, tools: BuildkitTools, registry: Registry): Promise<void> {
  const image = 'gcr.io/distroless/static-debian12:nonroot';
  const dir = mkdtempSync(join(tmpdir(), 'cgd-static-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  const created = await execute(h.docker, ['create', image, '/none']);
  expect(created.code, created.stderr).toBe(0);
  const container = created.stdout.trim();
  const exported = await execute('sh', ['-c', `mkdir rootfs && ${JSON.stringify(h.docker)} export ${container} | tar -C rootfs -xf -`], {
    cwd: dir,
  });
  await execute(h.docker, ['rm', container]);
  expect(exported.code, exported.stderr).toBe(0);
  writeFileSync(join(dir, 'Dockerfile'), 'FROM scratch\nCOPY rootfs/ /\nUSER 65532\nWORKDIR /home/nonroot\n');
  const built = await onFreshBuilder(tools, registry, (builder) =>
    buildctlBuild(tools, builder, {
      context: dir,
      platforms: ['linux/amd64', 'linux/arm64'],
      output: { type: 'image', name: `${registry.host}/distroless/static-debian12:nonroot`, push: true },
    }),
  );
  expect(built.code, tailOf(built)).toBe(0);
}

describe('reproducible images (issue 23)', () => {
  it(
    'the GitLab job script on two fresh builders sharing no cache: the cgo image has one linux/amd64 digest, the ' +
      'vendored one a linux/amd64 and a linux/arm64 digest, dated by the commit',
    async (context) => {
      const { tools, registry, h } = ready(context);
      // Every fixture takes 6 min here (seen: 6 of 6 images equal, multi's two included); CI runs
      // the two shapes whose inputs differ most (a C toolchain, vendor/), CGD_REPRO_FIXTURES=all
      // the rest too.
      const fixtures = process.env.CGD_REPRO_FIXTURES === 'all' ? ['service', 'cgo', 'vendored', 'hello', 'multi'] : ['cgo', 'vendored'];
      // vendored is built for arm64 too: a static binary, cross-compiled (cgo builds the target's
      // platform in the builder, which needs emulation this machine does not have).
      const platforms = (fixture: string) => (fixture === 'vendored' ? ['--platforms', 'linux/amd64,linux/arm64'] : []);
      const dirs = await Promise.all(fixtures.map((fixture) => generatedProject(h, fixture, ['--ci', 'gitlab', ...platforms(fixture)])));
      await multiPlatformStaticStandIn(h, tools, registry);
      const proxy = await startModuleProxy(join(CACHE_DIR, 'modcache', 'cache', 'download'));
      cleanups.push(() => proxy.close());
      // GitLab's commit time, with an offset: 2026-12-01T02:00:00Z.
      const commitTime = '2026-12-01T10:00:00+08:00';
      const runners: Record<string, Record<string, { digest: string; created: string }>> = {};
      for (const runner of ['a', 'b']) {
        runners[runner] = await onFreshBuilder(tools, registry, async (builder) => {
          const images: Record<string, { digest: string; created: string }> = {};
          for (const [index, dir] of dirs.entries()) {
            const job = (parseYaml(readFileSync(join(dir, '.gitlab-ci.yml'), 'utf8')) as Record<string, GitlabJob>)['docker-image']!;
            for (const entry of job.parallel?.matrix ?? [{}]) {
              const repository = `${runner}/${fixtures[index]}`;
              const env = {
                ...entry,
                GOPROXY: proxy.url,
                CI_REGISTRY: registry.host,
                CI_REGISTRY_IMAGE: `${registry.host}/${repository}`,
                CI_COMMIT_TIMESTAMP: commitTime,
              };
              const built = await runGitlabJob(dir, tools, builder, env);
              expect(built.code, `runner ${runner}, ${repository} ${entry.IMAGE ?? ''}:\n${built.stderr.slice(-3000)}`).toBe(0);
              const name = entry.IMAGE ? `${repository}/${entry.IMAGE}` : repository;
              images[name.slice(2)] = await platformImage(registry, name, 'main', 'amd64');
              if (platforms(fixtures[index]!).length > 0)
                images[`${name.slice(2)} (arm64)`] = await platformImage(registry, name, 'main', 'arm64');
            }
          }
          return images;
        });
      }
      log(`digests: ${JSON.stringify(runners.a)}`);
      expect(Object.keys(runners.a!).length).toBeGreaterThanOrEqual(fixtures.length + 1);
      expect(runners.a!['vendored (arm64)']!.digest).not.toBe(runners.a!.vendored!.digest);
      expect(runners.b).toEqual(runners.a);
      for (const image of Object.values(runners.a!)) expect(image.created).toBe('2026-12-01T02:00:00Z');
    },
  );
});

describe('every docker/buildkitd.toml variant: BuildKit itself parses it', () => {
  // Every region x CA x proxy combination that writes the file (global and custom write one only
  // with a CA), --registry and --registry-mirror: the file as generated, plus this machine's
  // worker choice (no containerd here). buildkitd refuses a file
  // it cannot parse (a table written twice, an unknown type) and exits; a CA path it cannot read
  // fails only on use, so the file's own CA path is checked to exist in the context.
  const ca = (h: Harness) => ['--ca-cert', h.ca.caCert];
  const proxy = ['--proxy', 'http://proxy.corp.example:3128'];
  const variants: Array<{ name: string; flags: (h: Harness) => string[] }> = [
    { name: 'cn', flags: () => ['--region', 'cn'] },
    { name: 'cn + proxy', flags: () => ['--region', 'cn', ...proxy] },
    {
      name: 'cn + --registry-mirror (two, one plain HTTP)',
      flags: () => ['--region', 'cn', '--registry-mirror', 'https://mirror.corp.example,http://10.0.0.9:5000'],
    },
    { name: 'cn + CA', flags: (h) => ['--region', 'cn', ...ca(h)] },
    { name: 'cn + CA + proxy', flags: (h) => ['--region', 'cn', ...ca(h), ...proxy] },
    { name: 'cn + CA + --registry', flags: (h) => ['--region', 'cn', ...ca(h), '--registry', 'registry.corp.example/hub'] },
    { name: 'global + CA', flags: (h) => ca(h) },
    { name: 'global + CA + proxy, debian', flags: (h) => [...ca(h), ...proxy, '--base', 'debian'] },
    { name: 'custom + CA', flags: (h) => ['--region', 'custom', '--goproxy', 'https://goproxy.corp.example', ...ca(h)] },
    { name: 'custom + CA + proxy', flags: (h) => ['--region', 'custom', '--goproxy', 'https://goproxy.corp.example', ...ca(h), ...proxy] },
  ];
  for (const variant of variants) {
    it(`${variant.name}: buildkitd starts with the generated file`, async (context) => {
      const { tools, registry, h } = ready(context);
      const dir = await generatedProject(h, 'service', variant.flags(h));
      const generatedToml = readFileSync(join(dir, 'docker', 'buildkitd.toml'), 'utf8');
      const headers = [...generatedToml.matchAll(/^\[(.+)\]$/gm)].map((match) => match[1]);
      expect(new Set(headers).size, generatedToml).toBe(headers.length);
      for (const [, path] of generatedToml.matchAll(/^ {2}ca = \["(.+)"\]$/gm)) expect(existsSync(join(dir, path!)), path).toBe(true);
      const builder = await startBuildkitd(tools, registry, log, { config: `${generatedToml}\n[worker.containerd]\n  enabled = false\n` });
      try {
        const workers = await execute(tools.buildctl, ['--addr', builder.addr, 'debug', 'workers']);
        expect(workers.code, workers.stderr).toBe(0);
      } finally {
        await builder.stop();
      }
    });
  }
});
