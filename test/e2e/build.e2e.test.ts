// End to end: generate with flags only, build with the printed `docker build` command on a real
// engine with BuildKit, run the image and look inside it. One engine, fixtures built in turn;
// the builder cache is pruned before each fixture, so a build cannot pass on modules an earlier
// build left in a cache mount.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { afterAll, beforeAll, describe, expect, it, type TestContext } from 'vitest';
import {
  copyFixture,
  execute,
  findSecretsInImage,
  findStep,
  generate,
  httpGet,
  inspectImage,
  localBuildCommand,
  parseBuildSteps,
  shell,
  startScratchDockerd,
  type CommandResult,
  type GenerateSummary,
} from './harness/docker.js';
import { REPO_ROOT, startHarness, type Harness } from './harness/index.js';
import { PRIVATE_HOST } from './harness/servers.js';

type Base = 'distroless' | 'alpine' | 'scratch' | 'debian';
const ALL_BASES: Base[] = ['distroless', 'alpine', 'scratch', 'debian'];
const TAG_PREFIX = 'cgd-e2e';

let harness: Harness | undefined;
let skipReason: string | undefined;
const builtTags = new Set<string>();
/** Every image a build produced: a rebuild moves the tag, leaving the old image untagged. */
const builtImages = new Set<string>();

beforeAll(async () => {
  const started = await startHarness((line) => console.log(`[e2e] ${line}`));
  if ('skip' in started) {
    skipReason = started.skip;
    console.warn(`\n[e2e] SKIPPED, nothing was built: ${skipReason}\n`);
  } else {
    harness = started.harness;
    console.log(`[e2e] engine ${harness.engineVersion}${harness.startedEngine ? ' (started by this suite)' : ''}, Go ${harness.goVersion}`);
    console.log(`[e2e] base images are local STAND-INS built by test/e2e/harness/standins.sh, not the upstream images`);
  }
}, 30 * 60_000);

afterAll(async () => {
  if (!harness) return;
  // Only what this suite built: the engine may be the user's own.
  if (builtTags.size > 0) await execute(harness.docker, ['rmi', '-f', ...builtTags]);
  if (builtImages.size > 0) await execute(harness.docker, ['rmi', '-f', ...builtImages]);
  await harness.stop();
}, 5 * 60_000);

/** The harness, or a runtime skip that says why (never a pass without a build). */
function ready(context: TestContext): Harness {
  if (!harness) context.skip(skipReason ?? 'e2e harness did not start');
  return harness;
}

function buildEnvironment(h: Harness): NodeJS.ProcessEnv {
  return {
    ...process.env,
    PATH: `${h.binDir}:${process.env.PATH}`,
    HOME: h.home, // holds the .netrc the token-auth build command mounts as $HOME/.netrc
    ...(h.ssh ? { SSH_AUTH_SOCK: h.ssh.agentSocket } : {}),
    // An engine this suite started runs the generated daemon.json, which turns BuildKit on;
    // an engine found running may be older than 23 with BuildKit off.
    ...(h.startedEngine ? {} : { DOCKER_BUILDKIT: '1' }),
  };
}

interface Build extends CommandResult {
  tag: string;
  output: string;
}

async function build(h: Harness, printed: string, tag: string, options: { moduleProxy: boolean }): Promise<Build> {
  const extra = ['--progress=plain', '--network=host', `--add-host ${PRIVATE_HOST}:127.0.0.1`];
  if (options.moduleProxy) extra.push(`--build-arg GOPROXY=${h.moduleProxy.url}`);
  const fullTag = `${TAG_PREFIX}/${tag}`;
  const result = await shell(localBuildCommand(printed, fullTag, extra), { env: buildEnvironment(h) });
  builtTags.add(fullTag);
  if (result.code === 0) builtImages.add((await execute(h.docker, ['image', 'inspect', '--format', '{{.Id}}', fullTag])).stdout.trim());
  return { ...result, tag: fullTag, output: `${result.stdout}${result.stderr}` };
}

function expectBuilt(result: Build): void {
  if (result.code !== 0) throw new Error(`docker build failed (exit ${result.code}):\n${result.output.split('\n').slice(-40).join('\n')}`);
}

async function pruneBuilder(h: Harness): Promise<void> {
  const result = await execute(h.docker, ['builder', 'prune', '-af']);
  expect(result.code, result.stderr).toBe(0);
}

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** Starts the image as a server on the host network and returns GET bodies for the paths. */
async function serveAndGet(h: Harness, tag: string, paths: string[]): Promise<string[]> {
  const port = await freePort();
  const started = await execute(h.docker, ['run', '-d', '--rm', '--network=host', '-e', `PORT=${port}`, tag]);
  expect(started.code, started.stderr).toBe(0);
  const container = started.stdout.trim();
  try {
    const bodies: string[] = [];
    for (const path of paths) {
      const response = await httpGet(`http://127.0.0.1:${port}${path}`);
      expect(response.status, `GET ${path}`).toBe(200);
      bodies.push(response.body);
    }
    return bodies;
  } finally {
    await execute(h.docker, ['rm', '-f', container]);
  }
}

async function runOnce(h: Harness, tag: string): Promise<string> {
  const result = await execute(h.docker, ['run', '--rm', '--network=none', tag], { timeoutMs: 60_000 });
  expect(result.code, `${result.stdout}${result.stderr}`).toBe(0);
  return result.stdout;
}

/** What every image must be: numeric non-root user, exec-form entrypoint, the port exposed. */
async function expectRuntimeConfig(h: Harness, tag: string, binary: string, port: number | undefined): Promise<void> {
  const image = await inspectImage(h.docker, tag);
  expect(image.Config.User).toMatch(/^[1-9]\d*:[1-9]\d*$/);
  expect(image.Config.Entrypoint).toEqual([`/usr/local/bin/${binary}`]);
  expect(image.Config.Cmd ?? null).toBeNull();
  expect(Object.keys(image.Config.ExposedPorts ?? {})).toEqual(port ? [`${port}/tcp`] : []);
}

function generatedFilesText(dir: string): string {
  const names = ['Dockerfile', '.dockerignore', '.go-docker.yaml', 'docker/daemon.json'];
  return names.map((name) => readFileSync(join(dir, name), 'utf8')).join('\n');
}

async function generateFor(dir: string, flags: string[], env: NodeJS.ProcessEnv = {}): Promise<GenerateSummary> {
  const { result, summary } = await generate(dir, flags, env);
  expect(result.code, result.stderr).toBe(0);
  const dockerfile = readFileSync(join(dir, 'Dockerfile'), 'utf8');
  // The engine's built-in frontend: no "# syntax=" pull from Docker Hub, no heredocs.
  expect(dockerfile).not.toMatch(/^#\s*syntax\s*=/im);
  expect(dockerfile).not.toMatch(/<<-?\s*['"]?[A-Z]+/);
  return summary!;
}

/** Edits one .go file: the rebuild must re-run only the compile step. */
function editGoFile(file: string, from: string, to: string): void {
  const text = readFileSync(file, 'utf8');
  expect(text).toContain(from);
  writeFileSync(file, text.replace(from, to));
}

/**
 * `dependencies: false`: a module that requires nothing has no download step and no deps stage
 * to stay cached; the compile step must still be the only one that runs.
 */
async function expectIncrementalRebuilds(
  h: Harness,
  printed: string,
  tag: string,
  options: { moduleProxy: boolean; vendored?: boolean; dependencies?: boolean },
  edit: () => void,
  check: (tag: string) => Promise<void>,
): Promise<void> {
  edit();
  const edited = await build(h, printed, tag, options);
  expectBuilt(edited);
  const steps = parseBuildSteps(edited.output);
  if (options.dependencies === false) {
    expect(
      steps.filter((step) => /go mod download|^\[deps /.test(step.name)).map((step) => step.name),
      'download or deps steps',
    ).toEqual([]);
  } else {
    if (!options.vendored) expect(findStep(steps, /go mod download/).cached, 'download step after a .go edit').toBe(true);
    // The deps stage (third-party packages compiled, keyed by the import list deps-list writes
    // and go.mod/go.sum or vendor/) too: the list is made again, with the same content.
    expect(findStep(steps, /^\[deps \d+\/\d+\] RUN /).cached, 'deps step after a .go edit').toBe(true);
  }
  const compile = findStep(steps, /go build -trimpath .* -o \/out\//);
  expect(compile.cached, 'compile step after a .go edit').toBe(false);
  // Only the steps that read the source run again (deps-list, the compile step); the runtime
  // stage's COPY of the new binary follows.
  const list = options.dependencies === false ? [] : [findStep(steps, /^\[deps-list \d+\/\d+\] RUN /).name];
  const rerunCommands = steps.filter((step) => /\] RUN /.test(step.name) && !step.cached).map((step) => step.name);
  expect(rerunCommands, 'RUN steps re-run after a .go edit').toEqual([...list, compile.name]);
  await check(edited.tag);
  const before = (await inspectImage(h.docker, edited.tag)).Id;

  const unchanged = await build(h, printed, tag, options);
  expectBuilt(unchanged);
  const rerun = parseBuildSteps(unchanged.output).filter((step) => /\bRUN\b|\bCOPY\b/.test(step.name) && !step.cached);
  expect(
    rerun.map((step) => step.name),
    'steps re-run with nothing changed',
  ).toEqual([]);
  expect((await inspectImage(h.docker, unchanged.tag)).Id).toBe(before);
}

describe('service: root main, dependencies, //go:embed, toolchain line', () => {
  let dir = '';
  const bodies = (version: string) => [
    expect.stringMatching(new RegExp(`^service ok version=${version} id=[0-9a-f-]{36}\\n$`)),
    'hello from embed\n',
  ];

  for (const [index, base] of ALL_BASES.entries()) {
    it(`${base}: builds with the printed command, serves HTTP as non-root`, async (context) => {
      const h = ready(context);
      if (index === 0) {
        dir = copyFixture('service', h.goVersion);
        await pruneBuilder(h);
      }
      const summary = await generateFor(dir, ['--base', base]);
      // The toolchain line picks the builder's Go, patch release included.
      expect(readFileSync(join(dir, 'Dockerfile'), 'utf8')).toContain(
        `FROM --platform=$BUILDPLATFORM golang:${h.goVersion}-bookworm AS build`,
      );
      const result = await build(h, summary.buildCommand, `service-${base}`, { moduleProxy: true });
      expectBuilt(result);
      if (index === 0) expect(findStep(parseBuildSteps(result.output), /go mod download/).cached, 'first build downloads').toBe(false);
      await expectRuntimeConfig(h, result.tag, 'service', 8080);
      expect(await serveAndGet(h, result.tag, ['/', '/static/hello.txt', '/tz'])).toEqual([...bodies('dev'), 'Asia/Shanghai +0800\n']);
      // os.TempDir() works on every base: scratch gets a /tmp of its own, sticky and world-writable.
      expect(await modeInImage(h, result.tag, 'tmp/')).toBe('drwxrwxrwt');
    });
  }

  it('region cn, --yes alone: only Docker Hub images (golang, then scratch), time zones and TLS roots work', async (context) => {
    const h = ready(context);
    const cnDir = copyFixture('service', h.goVersion);
    const summary = await generateFor(cnDir, ['--region', 'cn']);
    const images = [...readFileSync(join(cnDir, 'Dockerfile'), 'utf8').matchAll(/^FROM (?:--platform=\S+ )?(\S+)/gm)]
      .map((match) => match[1]!)
      .filter((image) => !image.startsWith('build'));
    // Docker Hub names only: the registry-mirrors of the generated daemon.json cover them all.
    expect(images).toEqual([`golang:${h.goVersion}-bookworm`, 'scratch']);
    expect(summary.warnings.join('\n')).not.toContain('gcr.io');
    const result = await build(h, summary.buildCommand, 'service-cn', { moduleProxy: true });
    expectBuilt(result);
    await expectRuntimeConfig(h, result.tag, 'service', 8080);
    expect(await serveAndGet(h, result.tag, ['/', '/static/hello.txt', '/tz'])).toEqual([...bodies('dev'), 'Asia/Shanghai +0800\n']);
  });

  it('rebuilds: a .go edit re-runs only the compile step, no change is fully cached', async (context) => {
    const h = ready(context);
    const summary = await generateFor(dir, ['--base', 'distroless']);
    await expectIncrementalRebuilds(
      h,
      summary.buildCommand,
      'service-distroless',
      { moduleProxy: true },
      () => editGoFile(join(dir, 'main.go'), '"service ok', '"service ok (edited)'),
      async (tag) => {
        const [root] = await serveAndGet(h, tag, ['/']);
        expect(root).toMatch(/^service ok \(edited\) version=dev/);
      },
    );
  });

  it('custom blocks: a line added in the runtime block reaches the image and survives regenerate', async (context) => {
    const h = ready(context);
    const dockerfilePath = join(dir, 'Dockerfile');
    const end = '# custom:end runtime-service';
    writeFileSync(dockerfilePath, readFileSync(dockerfilePath, 'utf8').replace(end, `COPY static/hello.txt /srv/hello.txt\n${end}`));
    const regenerated = await execute(process.execPath, [join(REPO_ROOT, 'index.js'), 'regenerate', dir]);
    expect(regenerated.code, regenerated.stderr).toBe(0);
    expect(readFileSync(dockerfilePath, 'utf8')).toContain(`COPY static/hello.txt /srv/hello.txt\n${end}`);
    const summary = await generateFor(dir, ['--base', 'distroless']);
    const result = await build(h, summary.buildCommand, 'service-custom', { moduleProxy: true });
    expectBuilt(result);
    expect(await fileInImage(h, result.tag, '/srv/hello.txt')).toBe('hello from embed\n');
  });
});

/** The mode (ls -l style) of an entry of an image's filesystem, read from `docker export` (no shell needed). */
async function modeInImage(h: Harness, tag: string, entry: string): Promise<string> {
  const created = await execute(h.docker, ['create', tag]);
  expect(created.code, created.stderr).toBe(0);
  const container = created.stdout.trim();
  try {
    const listed = await shell(`${h.docker} export ${container} | tar -tvf - --no-recursion ${entry}`);
    expect(listed.code, listed.stderr).toBe(0);
    return listed.stdout.split(' ')[0]!;
  } finally {
    await execute(h.docker, ['rm', container]);
  }
}

/** A file's content, copied out of an image (works without a shell, e.g. distroless). */
async function fileInImage(h: Harness, tag: string, path: string): Promise<string> {
  const created = await execute(h.docker, ['create', tag]);
  expect(created.code, created.stderr).toBe(0);
  const container = created.stdout.trim();
  const target = join(mkdtempSync(join(tmpdir(), 'cgd-cp-')), 'file');
  try {
    const copied = await execute(h.docker, ['cp', `${container}:${path}`, target]);
    expect(copied.code, copied.stderr).toBe(0);
    return readFileSync(target, 'utf8');
  } finally {
    await execute(h.docker, ['rm', container]);
    rmSync(dirname(target), { recursive: true, force: true });
  }
}

describe('multi: several binaries under cmd/, one --target each', () => {
  let dir = '';
  for (const [index, base] of ALL_BASES.entries()) {
    it(`${base}: default image serves the api, --target worker runs the worker`, async (context) => {
      const h = ready(context);
      if (index === 0) {
        dir = copyFixture('multi', h.goVersion);
        await pruneBuilder(h);
      }
      const summary = await generateFor(dir, ['--base', base, '--main', './cmd/api']);
      const api = await build(h, summary.buildCommand, `multi-${base}`, { moduleProxy: true });
      expectBuilt(api);
      await expectRuntimeConfig(h, api.tag, 'api', 8080);
      expect(await serveAndGet(h, api.tag, ['/'])).toEqual(['api ok\n']);

      expect(summary.targetBuildCommands).toHaveLength(1);
      const worker = await build(h, summary.targetBuildCommands[0]!, `multi-${base}-worker`, { moduleProxy: true });
      expectBuilt(worker);
      await expectRuntimeConfig(h, worker.tag, 'worker', undefined);
      expect(await runOnce(h, worker.tag)).toMatch(/^worker ok \S+\n$/);
    });
  }
});

describe('vendored: vendor/ only, the module proxy switched off', () => {
  let dir = '';
  for (const [index, base] of ALL_BASES.entries()) {
    it(`${base}: builds without any module download and runs`, async (context) => {
      const h = ready(context);
      if (index === 0) {
        dir = copyFixture('vendored', h.goVersion);
        await pruneBuilder(h);
      }
      const summary = await generateFor(dir, ['--base', base]);
      // No --build-arg GOPROXY: the Dockerfile's GOPROXY=off must hold.
      const result = await build(h, summary.buildCommand, `vendored-${base}`, { moduleProxy: false });
      expectBuilt(result);
      expect(result.output).not.toMatch(/go: downloading/);
      await expectRuntimeConfig(h, result.tag, 'vendored', undefined);
      expect(await runOnce(h, result.tag)).toMatch(/^vendored ok \S+/);
    });
  }

  it('rebuilds: a .go edit re-runs only the compile step, no change is fully cached', async (context) => {
    const h = ready(context);
    const summary = await generateFor(dir, ['--base', 'distroless']);
    await expectIncrementalRebuilds(
      h,
      summary.buildCommand,
      'vendored-distroless',
      { moduleProxy: false, vendored: true },
      () => editGoFile(join(dir, 'main.go'), '"vendored ok', '"vendored ok (edited)'),
      async (tag) => {
        expect(await runOnce(h, tag)).toMatch(/^vendored ok \(edited\)/);
      },
    );
  });
});

describe('cgo: go-sqlite3 links the runtime image libc', () => {
  let dir = '';
  // Alpine: the builder is golang:*-alpine with gcc and musl-dev, so the binary links musl.
  const cgoBases: Base[] = ['distroless', 'debian', 'alpine'];
  for (const [index, base] of cgoBases.entries()) {
    it(`${base}: builds with cgo and runs a sqlite query`, async (context) => {
      const h = ready(context);
      if (index === 0) dir = copyFixture('cgo', h.goVersion);
      // Stand-in artifact: the Alpine builder stand-in compiles with Debian's gcc binary (as
      // musl-gcc), so Go's build cache cannot tell its objects from the glibc builds' and would
      // reuse them; real golang:*-alpine has Alpine's own gcc. A fresh builder cache keeps the
      // musl build honest.
      if (index === 0 || base === 'alpine') await pruneBuilder(h);
      const summary = await generateFor(dir, ['--base', base]);
      const dockerfile = readFileSync(join(dir, 'Dockerfile'), 'utf8');
      expect(dockerfile).toContain('CGO_ENABLED=1');
      if (base === 'distroless') expect(dockerfile).toContain('gcr.io/distroless/base-debian12:nonroot');
      if (base === 'alpine') {
        expect(dockerfile).toMatch(/^FROM golang:[\d.]+-alpine[\d.]+ AS build$/m);
        expect(dockerfile).toMatch(/^RUN apk add --no-cache gcc musl-dev$/m);
      }
      const result = await build(h, summary.buildCommand, `cgo-${base}`, { moduleProxy: true });
      expectBuilt(result);
      await expectRuntimeConfig(h, result.tag, 'cgo', undefined);
      expect(await runOnce(h, result.tag)).toMatch(/^sqlite ok rows=2 version=3\.\d+\.\d+\n$/);
    });
  }

  it('scratch: refused at generation (no C library), files untouched', async (context) => {
    const h = ready(context);
    const fresh = copyFixture('cgo', h.goVersion);
    const { result } = await generate(fresh, ['--base', 'scratch']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/base scratch \(--base\) cannot run a cgo binary/);
    expect(readdirSync(fresh).sort()).toEqual(readdirSync(join(import.meta.dirname, '..', 'fixtures', 'cgo')).sort());
  });
});

/** The private fixture, fetched from git.corp.test over HTTPS (token) or SSH, trusting the test CA only through --ca-cert. */
function privateSuite(auth: 'token' | 'ssh'): void {
  describe(
    `private module over ` +
      `${auth === 'token' ? 'HTTPS with a token (BuildKit secret)' : 'SSH (agent forwarded with --ssh)'}, corporate CA`,
    () => {
      let dir = '';
      const flags = (h: Harness) => ['--private', `${PRIVATE_HOST}/*`, '--auth', auth, '--ca-cert', h.ca.caCert];
      const secrets = (h: Harness) => (auth === 'token' ? [h.token] : privateKeyFragments(h.ssh!.privateKey));

      it('fails without --ca-cert and without the credential: the checks below are not vacuous', async (context) => {
        const h = ready(context);
        dir = copyFixture('private', h.goVersion);
        await pruneBuilder(h);
        const withoutCa = await generateFor(dir, ['--private', `${PRIVATE_HOST}/*`, '--auth', auth], { HOME: h.home });
        const untrusted = await build(h, withoutCa.buildCommand, `private-${auth}-no-ca`, { moduleProxy: true });
        expect(untrusted.code).not.toBe(0);
        expect(untrusted.output).toMatch(/certificate signed by unknown authority/);

        const summary = await generateFor(dir, flags(h), { HOME: h.home });
        if (auth === 'ssh') expectRecordedHostKey(h, dir);
        const credentialFlag = auth === 'token' ? / --secret id=netrc,src=\$HOME\/\.netrc/ : / --ssh default/;
        expect(summary.buildCommand).toMatch(credentialFlag);
        const anonymous = await build(h, summary.buildCommand.replace(credentialFlag, ''), `private-${auth}-anonymous`, {
          moduleProxy: true,
        });
        expect(anonymous.code).not.toBe(0);
        // A forgotten --secret stops at once with its name (required=true); a .netrc without
        // this host's token reaches the git server, which refuses it.
        expect(anonymous.output).toMatch(
          auth === 'token' ? /secret netrc not found/ : /Permission denied|Could not read from remote repository|agent/i,
        );
        if (auth === 'token') {
          const emptyNetrc = join(dir, '..', `${basename(dir)}-empty-netrc`);
          writeFileSync(emptyNetrc, '');
          const refused = await build(
            h,
            summary.buildCommand.replace(credentialFlag, ` --secret id=netrc,src=${emptyNetrc}`),
            'private-token-empty-netrc',
            { moduleProxy: true },
          );
          rmSync(emptyNetrc, { force: true });
          expect(refused.code).not.toBe(0);
          expect(refused.output).toMatch(/terminal prompts disabled|Authentication failed|could not read Username/);
        }
        if (auth === 'ssh') {
          // Another key recorded for the host (answers win over HOME's known_hosts): ssh refuses
          // the server, so the build trusts the copied file and nothing else.
          const answersPath = join(dir, '.go-docker.yaml');
          const answers = readFileSync(answersPath, 'utf8');
          const otherKey = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAILR+ugZkC7X/1MgItYe64rDUi0iigFOgU0N4yv8NJYXD';
          writeFileSync(answersPath, answers.replace(`${PRIVATE_HOST} ${h.ssh!.hostKey}`, `${PRIVATE_HOST} ${otherKey}`));
          const wrongKey = await generateFor(dir, flags(h), { HOME: h.home });
          const refused = await build(h, wrongKey.buildCommand, 'private-ssh-wrong-host-key', { moduleProxy: true });
          expect(refused.code).not.toBe(0);
          expect(refused.output).toMatch(/Host key verification failed|REMOTE HOST IDENTIFICATION HAS CHANGED/);
          writeFileSync(answersPath, answers);
          await generateFor(dir, flags(h), { HOME: h.home });
          expectRecordedHostKey(h, dir);
        }
      });

      for (const [index, base] of ALL_BASES.entries()) {
        it(`${base}: fetches the private module, runs, and no credential reaches the image`, async (context) => {
          const h = ready(context);
          const summary = await generateFor(dir, [...flags(h), '--base', base], { HOME: h.home });
          const fetchesBefore = auth === 'token' ? h.git!.authenticatedFetches : h.ssh!.fetches().length;
          const result = await build(h, summary.buildCommand, `private-${auth}-${base}`, { moduleProxy: true });
          expectBuilt(result);
          // The fetch went through the host key recorded at generation, copied into the build stage.
          if (auth === 'ssh') expect(result.output).toMatch(/\] COPY docker\/known_hosts \/root\/\.ssh\/known_hosts\n/);
          if (index === 0) {
            expect(findStep(parseBuildSteps(result.output), /go mod download/).cached, 'first build downloads').toBe(false);
            const fetchesAfter = auth === 'token' ? h.git!.authenticatedFetches : h.ssh!.fetches().length;
            expect(fetchesAfter, `fetches from the private git host over ${auth}`).toBeGreaterThan(fetchesBefore);
            expect(
              h.moduleProxy.requests.some((path) => path.includes(PRIVATE_HOST)),
              'private module asked of the public proxy',
            ).toBe(false);
          }
          await expectRuntimeConfig(h, result.tag, 'private', undefined);
          expect(await runOnce(h, result.tag)).toBe('private ok: hello e2e from a private module\n');
          expect(await findSecretsInImage(h.docker, result.tag, secrets(h))).toEqual([]);
          expect(secrets(h).filter((secret) => generatedFilesText(dir).includes(secret))).toEqual([]);
        });
      }

      it('rebuilds: a .go edit re-runs only the compile step, no change is fully cached', async (context) => {
        const h = ready(context);
        const summary = await generateFor(dir, [...flags(h), '--base', 'distroless'], { HOME: h.home });
        await expectIncrementalRebuilds(
          h,
          summary.buildCommand,
          `private-${auth}-distroless`,
          { moduleProxy: true },
          () => editGoFile(join(dir, 'main.go'), '"private ok: "', '"private ok (edited): "'),
          async (tag) => {
            expect(await runOnce(h, tag)).toMatch(/^private ok \(edited\): hello e2e/);
          },
        );
      });
    },
  );
}

/**
 * --auth ssh recorded the test server's key from HOME's known_hosts (a hashed entry): the
 * Dockerfile copies docker/known_hosts, which holds that key alone, and scans nothing at build time.
 */
function expectRecordedHostKey(h: Harness, dir: string): void {
  const dockerfile = readFileSync(join(dir, 'Dockerfile'), 'utf8');
  expect(dockerfile).toContain('\nCOPY docker/known_hosts /root/.ssh/known_hosts\n');
  expect(dockerfile).not.toMatch(/ssh-keyscan/);
  const keys = readFileSync(join(dir, 'docker', 'known_hosts'), 'utf8')
    .split('\n')
    .filter((line) => line !== '' && !line.startsWith('#'));
  expect(keys).toEqual([`${PRIVATE_HOST} ${h.ssh!.hostKey}`]);
  expect(readFileSync(join(dir, '.go-docker.yaml'), 'utf8')).toContain(`known-hosts:\n  - ${PRIVATE_HOST} ${h.ssh!.hostKey}\n`);
}

/** Lines of the private key's body: any of them in an image means the key leaked. */
function privateKeyFragments(keyFile: string): string[] {
  return readFileSync(keyFile, 'utf8')
    .split('\n')
    .filter((line) => line.length > 20 && !line.startsWith('-----'));
}

privateSuite('token');
privateSuite('ssh');

/**
 * Right by default (issue 12): shapes from popular repositories, generated with --yes and no
 * other flag. Each image is the one a user meant, exposes its port, and answers from outside
 * the container: the request goes to the container's address on a bridge network, so a server
 * bound to 127.0.0.1 inside it would not answer (a negative control below proves it).
 */
describe('defaults on real repository shapes (--yes only)', () => {
  const NETWORK = 'cgd-e2e-bridge';
  let networkReady = false;

  async function bridge(h: Harness): Promise<void> {
    if (networkReady) return;
    await execute(h.docker, ['network', 'rm', NETWORK]);
    const created = await execute(h.docker, ['network', 'create', NETWORK]);
    expect(created.code, created.stderr).toBe(0);
    networkReady = true;
  }

  afterAll(async () => {
    if (harness && networkReady) await execute(harness.docker, ['network', 'rm', NETWORK]);
  });

  /** Runs the image on the bridge network and GETs / at the container's own address. */
  async function getFromOutside(
    h: Harness,
    tag: string,
    port: number,
    extraArgs: string[] = [],
    runOptions: string[] = [],
  ): Promise<{ status: number; body: string } | { error: string }> {
    await bridge(h);
    const started = await execute(h.docker, ['run', '-d', '--rm', '--network', NETWORK, ...runOptions, tag, ...extraArgs]);
    expect(started.code, started.stderr).toBe(0);
    const container = started.stdout.trim();
    try {
      const address = (
        await execute(h.docker, ['inspect', '-f', '{{range .NetworkSettings.Networks}}{{.IPAddress}}{{end}}', container])
      ).stdout.trim();
      expect(address).toMatch(/^\d+\.\d+\.\d+\.\d+$/);
      let lastError = '';
      for (let attempt = 0; attempt < 40; attempt++) {
        try {
          const response = await fetch(`http://${address}:${port}/`, { signal: AbortSignal.timeout(1000) });
          return { status: response.status, body: await response.text() };
        } catch (error) {
          lastError = String((error as { cause?: unknown }).cause ?? error);
          await new Promise((resolve) => setTimeout(resolve, 150));
        }
      }
      return { error: lastError };
    } finally {
      await execute(h.docker, ['rm', '-f', container]);
    }
  }

  async function buildDefault(
    h: Harness,
    fixture: string,
  ): Promise<{ dir: string; summary: GenerateSummary; tag: string; dockerfile: string }> {
    const dir = copyFixture(fixture, h.goVersion);
    const summary = await generateFor(dir, []);
    const result = await build(h, summary.buildCommand, `defaults-${fixture}`, { moduleProxy: true });
    expectBuilt(result);
    return { dir, summary, tag: result.tag, dockerfile: readFileSync(join(dir, 'Dockerfile'), 'utf8') };
  }

  async function config(h: Harness, tag: string) {
    return (await inspectImage(h.docker, tag)).Config;
  }

  it(
    'hello: no dependency (no go.sum, an empty one, one that lists a removed dependency) builds with GOPROXY=off, ' +
      'answers from outside, and a .go edit reruns only the compile step',
    async (context) => {
      const h = ready(context);
      await pruneBuilder(h);
      const goSums: Array<[string, string | undefined]> = [
        ['', undefined],
        ['-empty-sum', ''],
        ['-stale-sum', readFileSync(join(REPO_ROOT, 'test', 'fixtures', 'service', 'go.sum'), 'utf8')],
      ];
      for (const [suffix, goSum] of goSums) {
        const dir = copyFixture('hello', h.goVersion);
        if (goSum !== undefined) writeFileSync(join(dir, 'go.sum'), goSum);
        const summary = await generateFor(dir, []);
        expect(readFileSync(join(dir, 'Dockerfile'), 'utf8'), suffix).not.toMatch(/go mod download|go\.sum|AS deps/);
        // Nothing to download, and the build proves it: the module proxy is off.
        const printed = summary.buildCommand.replace(/^docker build /, 'docker build --build-arg GOPROXY=off ');
        const tag = `defaults-hello${suffix}`;
        const result = await build(h, printed, tag, { moduleProxy: false });
        expectBuilt(result);
        await expectRuntimeConfig(h, result.tag, 'hello', 8080);
        expect(await getFromOutside(h, result.tag, 8080), suffix).toEqual({ status: 200, body: 'hello ok\n' });
        await expectIncrementalRebuilds(
          h,
          printed,
          tag,
          { moduleProxy: false, dependencies: false },
          () => editGoFile(join(dir, 'main.go'), '"hello ok\\n"', '"hello ok (edited)\\n"'),
          async (edited) => {
            expect(await getFromOutside(h, edited, 8080)).toEqual({ status: 200, body: 'hello ok (edited)\n' });
          },
        );
      }
    },
  );

  it('envport: a port from a flag default read from the environment (80), reachable as non-root', async (context) => {
    const h = ready(context);
    await pruneBuilder(h);
    const { summary, tag } = await buildDefault(h, 'envport');
    expect(summary.buildCommand).toMatch(/ -t envport /);
    expect(summary.warnings.join('\n')).toMatch(/listens on port 80, below 1024, as non-root user 65532/);
    expect(Object.keys((await config(h, tag)).ExposedPorts ?? {})).toEqual(['80/tcp']);
    expect(await getFromOutside(h, tag, 80)).toEqual({ status: 200, body: 'envport ok hello from the embedded banner\n' });
  });

  it('loopback: the address flag defaults to 127.0.0.1; the image binds 0.0.0.0 and answers from outside', async (context) => {
    const h = ready(context);
    const { summary, tag } = await buildDefault(h, 'loopback');
    expect(summary.notes.join('\n')).toMatch(/listens on loopback by default \(cmd\/root\.go:\d+\).*--address=0\.0\.0\.0/);
    const image = await config(h, tag);
    expect(image.Cmd).toEqual(['--address=0.0.0.0']);
    expect(Object.keys(image.ExposedPorts ?? {})).toEqual(['8080/tcp']);
    expect(await getFromOutside(h, tag, 8080)).toEqual({ status: 200, body: 'loopback ok on 0.0.0.0:8080' });
    // Negative control: the project's own default (loopback) is unreachable the same way.
    expect(await getFromOutside(h, tag, 8080, ['--address=127.0.0.1'])).toEqual({ error: expect.stringMatching(/ECONNREFUSED|connect/) });
  });

  it(
    'settings: LISTEN_ADDR defaults to 127.0.0.1:8080 in a settings table; the image sets it to 0.0.0.0 and answers ' + 'from outside',
    async (context) => {
      const h = ready(context);
      const { summary, tag } = await buildDefault(h, 'settings');
      expect(summary.notes.join('\n')).toMatch(
        /listens on loopback by default \(internal\/config\/options\.go:\d+\).*sets LISTEN_ADDR=0\.0\.0\.0:8080/,
      );
      const image = await config(h, tag);
      expect(image.Env).toContain('LISTEN_ADDR=0.0.0.0:8080');
      expect(image.Cmd ?? null).toBeNull();
      expect(Object.keys(image.ExposedPorts ?? {})).toEqual(['8080/tcp']);
      expect(await getFromOutside(h, tag, 8080)).toEqual({ status: 200, body: 'settings ok on 0.0.0.0:8080' });
      // Negative control: the project's own default (loopback) is unreachable the same way.
      expect(await getFromOutside(h, tag, 8080, [], ['-e', 'LISTEN_ADDR=127.0.0.1:8080'])).toEqual({
        error: expect.stringMatching(/ECONNREFUSED|connect/),
      });
    },
  );

  it('workspace: go.work at the root, the server in its own module with a replace, a loopback URL default', async (context) => {
    const h = ready(context);
    const { summary, tag, dockerfile } = await buildDefault(h, 'workspace');
    expect(summary.buildCommand).toMatch(/ -t server /);
    expect(summary.notes.join('\n')).toMatch(/no image for \.\/examples\/client \(an example\)/);
    // Every module it requires is the workspace's own: nothing to download, and the compile step
    // mounts the context whole, go.work with it (workspace mode: no GOWORK=off).
    expect(dockerfile).not.toContain('go mod download');
    expect(dockerfile).not.toContain('GOWORK=off');
    const image = await config(h, tag);
    expect(image.Cmd).toEqual(['--listen-client-urls=http://0.0.0.0:2379']);
    expect(await getFromOutside(h, tag, 2379)).toEqual({ status: 200, body: 'kv api ok' });
  });

  it(
    'tagged: the Makefile tag is built in, a fuzzing-only main and FreeBSD cgo code are left out, .go-version picks ' + 'the builder',
    async (context) => {
      const h = ready(context);
      const { tag, dockerfile } = await buildDefault(h, 'tagged');
      expect(dockerfile).toContain(`FROM --platform=$BUILDPLATFORM golang:${h.goVersion}-bookworm AS build`);
      expect(dockerfile).toContain('CGO_ENABLED=0');
      expect(dockerfile).toContain('-tags=withbanner');
      expect(dockerfile).not.toContain('corpus_gen');
      expect((await config(h, tag)).Cmd).toEqual(['--listen=0.0.0.0:7070']);
      expect(await getFromOutside(h, tag, 7070)).toEqual({ status: 200, body: 'probe ok, banner on' });
    },
  );

  it(
    'toolbox: the release config names the product among a generator and a dev script; its version lives in a non-main ' + 'package',
    async (context) => {
      const h = ready(context);
      const { summary, dir } = await buildDefault(h, 'toolbox');
      expect(summary.buildCommand).toMatch(/^docker build -t toolbox /);
      expect(summary.targetBuildCommands).toEqual([]);
      const stamped = await build(
        h,
        summary.buildCommand.replace(/^docker build /, 'docker build --build-arg VERSION=1.2.3 '),
        'defaults-toolbox-stamped',
        { moduleProxy: true },
      );
      expectBuilt(stamped);
      const run = await execute(h.docker, ['run', '--rm', '--network=none', stamped.tag, 'version']);
      expect(run.stdout).toBe('toolbox 1.2.3\n');
      expect(readFileSync(join(dir, 'Dockerfile'), 'utf8')).toContain('-X example.com/toolbox/internal/build.Version=${VERSION}');
    },
  );

  it("selfcheck: compose.yaml's healthcheck, run in the container, passes while it serves and fails with no server", async (context) => {
    const h = ready(context);
    const dir = copyFixture('selfcheck', h.goVersion);
    const summary = await generateFor(dir, ['--compose']);
    const result = await build(h, summary.buildCommand, 'defaults-selfcheck', { moduleProxy: false });
    expectBuilt(result);
    const compose = parseYaml(readFileSync(join(dir, 'compose.yaml'), 'utf8')) as {
      services: Record<string, { healthcheck: { test: string[] } }>;
    };
    const [form, ...command] = compose.services.selfcheck!.healthcheck.test;
    expect(form).toBe('CMD');
    expect(command).toEqual(['/usr/local/bin/selfcheck', 'healthcheck']);
    expect((await config(h, result.tag)).Entrypoint).toEqual(command.slice(0, 1));
    await bridge(h);
    const started = await execute(h.docker, ['run', '-d', '--rm', '--network', NETWORK, result.tag]);
    expect(started.code, started.stderr).toBe(0);
    const container = started.stdout.trim();
    try {
      // As compose runs it: the exec form in the running container; the server may take a moment to listen.
      let probe = await execute(h.docker, ['exec', container, ...command]);
      for (let attempt = 0; attempt < 40 && probe.code !== 0; attempt++) {
        await new Promise((resolve) => setTimeout(resolve, 150));
        probe = await execute(h.docker, ['exec', container, ...command]);
      }
      expect(probe.code, `${probe.stdout}${probe.stderr}`).toBe(0);
    } finally {
      await execute(h.docker, ['rm', '-f', container]);
    }
    // Negative control: the same command where nothing serves fails, so the pass above is the server's.
    const alone = await execute(h.docker, ['run', '--rm', '--network=none', result.tag, ...command.slice(1)]);
    expect(alone.code).toBe(1);
  });

  it('versioned: a version the code sets itself ("0.74") is never replaced by a stamped default', async (context) => {
    const h = ready(context);
    const { tag, dockerfile } = await buildDefault(h, 'versioned');
    expect(dockerfile).not.toContain('-X main.version');
    expect(await runOnce(h, tag)).toBe('picker 0.74 (devel)\n');
  });
});

describe('docker/daemon.json and docker/http-proxy.conf: the engine we claim (20.10) accepts every variant', () => {
  const proxy = ['--proxy', 'http://proxy.corp.example:3128'];
  const variants: Array<{ name: string; flags: string[] }> = [
    { name: 'global', flags: [] },
    { name: 'cn', flags: ['--region', 'cn'] },
    { name: 'cn + private host (no public DNS)', flags: ['--region', 'cn', '--private', 'git.corp.example/*'] },
    { name: 'cn + --dns', flags: ['--region', 'cn', '--dns', '10.0.0.53'] },
    { name: 'cn + proxy', flags: ['--region', 'cn', ...proxy] },
    {
      name: 'custom + proxy + private host',
      flags: ['--region', 'custom', '--goproxy', 'https://athens.corp.example', ...proxy, '--private', 'git.corp.example/*'],
    },
  ];
  for (const variant of variants) {
    it(`${variant.name}: dockerd starts with the generated daemon.json (and the drop-in's proxy)`, async (context) => {
      const h = ready(context);
      const dir = copyFixture('service', h.goVersion);
      const { result } = await generate(dir, variant.flags);
      expect(result.code, result.stderr).toBe(0);
      const daemonJson = join(dir, 'docker', 'daemon.json');
      const dropIn = join(dir, 'docker', 'http-proxy.conf');
      const env: Record<string, string> = {};
      if (variant.flags.includes('--proxy')) {
        // systemd's own parser reads the drop-in without a complaint...
        const unitDir = mkdtempSync(join(tmpdir(), 'cgd-unit-'));
        mkdirSync(join(unitDir, 'docker.service.d'));
        // Any executable: the drop-in's syntax is what is checked, not dockerd's path on this machine.
        writeFileSync(join(unitDir, 'docker.service'), '[Unit]\nDescription=dockerd\n[Service]\nExecStart=/bin/true\n');
        writeFileSync(join(unitDir, 'docker.service.d', 'http-proxy.conf'), readFileSync(dropIn));
        const verified = await execute('systemd-analyze', ['verify', join(unitDir, 'docker.service')], {
          env: { ...process.env, SYSTEMD_UNIT_PATH: `${unitDir}:` },
        });
        rmSync(unitDir, { recursive: true, force: true });
        expect(verified.code, verified.stderr).toBe(0);
        expect(verified.stderr.replace(/^.*does not start with any known prefix.*$/gm, '').trim()).toBe('');
        // ...and dockerd, given its Environment= lines, uses the proxy.
        for (const [, name, value] of readFileSync(dropIn, 'utf8').matchAll(/^Environment="([A-Z_]+)=(.*)"$/gm)) env[name!] = value!;
        expect(Object.keys(env).sort()).toEqual(['HTTPS_PROXY', 'HTTP_PROXY', 'NO_PROXY']);
      } else expect(existsSync(dropIn)).toBe(false);
      const engine = await startScratchDockerd(h.docker, daemonJson, env);
      expect(engine.code, engine.log.slice(-2000)).toBe(0);
      const settings = JSON.parse(readFileSync(daemonJson, 'utf8')) as { 'registry-mirrors'?: string[]; dns?: string[] };
      for (const mirror of settings['registry-mirrors'] ?? []) expect(engine.info).toContain(mirror);
      if (env.HTTP_PROXY) expect(engine.info).toContain(`HTTP Proxy: ${env.HTTP_PROXY}`);
      rmSync(dir, { recursive: true, force: true });
    });
  }

  it('the check is not vacuous: dockerd 20.10 refuses the "proxies" key create-go-docker used to write', async (context) => {
    const h = ready(context);
    context.skip(!h.engineVersion.startsWith('20.'), `the engine here is ${h.engineVersion}, which accepts "proxies"`);
    const dir = mkdtempSync(join(tmpdir(), 'cgd-daemon-json-'));
    const daemonJson = join(dir, 'daemon.json');
    writeFileSync(daemonJson, JSON.stringify({ proxies: { 'http-proxy': 'http://proxy.corp.example:3128' } }));
    const engine = await startScratchDockerd(h.docker, daemonJson);
    rmSync(dir, { recursive: true, force: true });
    expect(engine.code).not.toBe(0);
    expect(engine.log).toMatch(/the following directives don't match any configuration option: .*http-proxy/);
  });
});
