// End to end on a standalone BuildKit, as CI runners build: buildkitd builders with empty state
// directories, a registry on 127.0.0.1 serving the stand-in base images through the builders'
// mirror config, and the registry cache (mode=max) as the only thing that travels between
// runners. One tool install, one registry and one stand-in push for the whole file.
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, type TestContext } from 'vitest';
import { buildctlBuild, createBuildx, freePort, installBuildkitTools, pushStandIns, startBuildkitd, startRegistry, type BuildResult, type BuildkitTools, type Registry } from './harness/buildkit.js';
import { copyFixture, execute, generate, httpGet } from './harness/docker.js';
import { CACHE_DIR, startHarness, type Harness } from './harness/index.js';
import { startModuleProxy } from './harness/servers.js';

/**
 * Issue 14: today's templates keep modules and compiled dependencies only in cache mounts,
 * which no BuildKit cache backend exports (moby/buildkit#1512), so a fresh builder that
 * imports the registry cache cannot rebuild with the module source down. Flip this to true
 * when the templates carry them in layers; the test below then requires success.
 */
const GENERATED_PASSES_FRESH_BUILDER = false;
/** A Dockerfile to run the fresh-builder protocol with instead of the generated one (always expected to pass). */
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
  log(`set up in ${((Date.now() - started) / 1000).toFixed(1)} s (registry ${registry.host}); base images are local STAND-INS, not the upstream images`);
}, 30 * 60_000);

afterAll(async () => {
  for (const cleanup of cleanups.reverse()) {
    try {
      await cleanup();
    } catch (error) {
      log(`teardown: ${(error as Error).message}`);
    }
  }
}, 5 * 60_000);

/** The setup, or a runtime skip that says why (never a pass without a build). */
function ready(context: TestContext): Setup {
  if (!setup) context.skip(skipReason ?? 'buildkit harness did not start');
  return setup!;
}

/** A fixture copy with the files `create-go-docker --yes` generates. */
async function generatedProject(h: Harness, fixture: string, flags: string[] = []): Promise<string> {
  const dir = copyFixture(fixture, h.goVersion);
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  const { result } = await generate(dir, flags);
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
    it(`${[fixture, ...flags].join(' ')}: ${dockerfile ? `CGD_CI_DOCKERFILE=${dockerfile}` : 'the generated Dockerfile'} has no warnings`, async (context) => {
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
        return `${warning.ruleName} at Dockerfile:${line}: ${warning.detail ?? warning.description ?? ''}\n    ${lines[line - 1]?.trim() ?? ''}`;
      });
      expect(found, 'lint warnings').toEqual([]);
      expect(result.code, result.stderr).toBe(0);
    });
  }
});

/** A one-line .go edit: the greeting string of the gin fixture. */
function editGreeting(dir: string): void {
  const file = join(dir, 'main.go');
  const text = readFileSync(file, 'utf8');
  expect(text).toContain('"gin ok\\n"');
  writeFileSync(file, text.replace('"gin ok\\n"', '"gin ok (edited)\\n"'));
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
  const expectSuccess = CI_DOCKERFILE !== undefined || GENERATED_PASSES_FRESH_BUILDER;
  const subject = CI_DOCKERFILE ? `CGD_CI_DOCKERFILE=${CI_DOCKERFILE}` : 'the generated Dockerfile';
  const title = expectSuccess
    ? `gin, ${subject}: builder B (empty state, module source down) imports A's cache and rebuilds after a .go edit`
    : `gin, ${subject}: builder B (empty state, module source down) FAILS to rebuild after a .go edit (known, issue 14)`;

  it(title, async (context) => {
    const { tools, registry, h } = ready(context);
    const dir = await generatedProject(h, 'gin');
    if (CI_DOCKERFILE) writeFileSync(join(dir, 'Dockerfile'), readFileSync(CI_DOCKERFILE, 'utf8'));
    const image = `${registry.host}/cgd-e2e/gin`;
    const cacheRef = `${image}:buildcache`;
    // Builder A's own module source, so "down" for B does not touch the harness's proxy. B
    // gets the same GOPROXY value: another value would change the cache keys.
    const proxy = await startModuleProxy(join(CACHE_DIR, 'modcache', 'cache', 'download'));
    cleanups.push(() => proxy.close());
    const buildArgs = { GOPROXY: proxy.url };

    const a = await startBuildkitd(tools, registry, log);
    const first = await buildctlBuild(tools, a, { context: dir, buildArgs, exportCache: cacheRef, output: { type: 'image', name: `${image}:a`, push: true } });
    await a.stop();
    expect(first.code, `builder A:\n${tailOf(first)}`).toBe(0);
    expect(proxy.requests.some((path) => path.endsWith('.zip')), 'builder A downloaded modules from the proxy').toBe(true);
    log(`builder A (cold, exports the cache): ${first.seconds.toFixed(1)} s`);

    await proxy.close();
    editGreeting(dir);
    const requestsBeforeB = proxy.requests.length;
    const b = await startBuildkitd(tools, registry, log);
    const second = await buildctlBuild(tools, b, { context: dir, buildArgs, importCache: [cacheRef], output: { type: 'image', name: `${image}:b`, push: true } });
    await b.stop();
    log(`builder B (fresh, module source down): ${second.seconds.toFixed(1)} s, exit ${second.code}; RUN steps it ran: ${second.executedRuns.join(' | ') || 'none'}`);
    expect(proxy.requests.length, 'the module source was down for B').toBe(requestsBeforeB);

    if (!expectSuccess) {
      // The known failure, and only that one: the compile step found no modules and tried
      // the (down) module source. Any other failure is a broken harness, not issue 14.
      expect(second.code, tailOf(second)).not.toBe(0);
      expect(second.log).toMatch(new RegExp(`${proxy.url.replace(/[.]/g, '\\.')}/\\S+: dial tcp [^:]+:\\d+: connect: connection refused`));
      return;
    }
    expect(second.code, `builder B:\n${tailOf(second)}`).toBe(0);
    // What the cache must carry: every step keyed by go.mod/go.sum alone came from it; only
    // steps that read the source (the bind-mounted context) ran again.
    for (const step of second.executedRuns) expect(step, 'a RUN step B ran that does not read the source').toMatch(/--mount=type=bind,target=\.(\s|$)/);
    expect(await greetingOf(h, `${image}:b`)).toBe('gin ok (edited)\n');
  });
});
