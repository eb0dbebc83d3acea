// A platform team's fleet (issue 19): 40 repositories of the shapes real Go services have (no
// dependency at all, go.work, vendor/, cgo, private modules, a hand-written Dockerfile, several
// main packages, build tags), each bootstrapped unattended with `--yes` and a shared policy from
// one of the four kinds of source (a file in the repository, an https URL, an npm package, a file
// outside the repository handed to CI as a secret). Then, as it happens for real:
//   1. a fresh clone of each, in another directory, passes the generated drift job's commands
//      (GitHub's or GitLab's, run as the runner would, npx from a registry);
//   2. the platform team changes the policy; the drift jobs fail on it; `regenerate --recursive`
//      rolls the change out; fresh clones pass again;
//   3. every image builds on the real engine, with the module proxy the policy stands for.
// It prints the wall time of each phase and, per shape, the modules the download step fetched
// against the build list (`go list -deps` of the main package the image builds).
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, type TestContext } from 'vitest';
import { runDriftJob, type Ci, type CiSettings } from '../ci-jobs.js';
import { npmRegistry, policyServer, type NpmRegistry, type PolicyServer } from '../policy-servers.js';
import { copyFixture, execute, localBuildCommand, shell, type GenerateSummary } from './harness/docker.js';
import { REPO_ROOT, startHarness, type Harness } from './harness/index.js';
import { PRIVATE_HOST } from './harness/servers.js';

const TAG_PREFIX = 'cgd-fleet';
const ATHENS = 'schemaVersion: 2\nregion: custom\ngoproxy: https://athens.acme.example,direct\n';
const ARTIFACTORY = 'schemaVersion: 2\nregion: custom\ngoproxy: https://artifactory.acme.example/api/go/go-remote,direct\n';
const POLICY_PACKAGE = '@acme/go-docker-policy';
const POLICY_IN_REPOSITORY = '.github/go-docker-policy.yaml';
const HAND_WRITTEN_DOCKERFILE = 'FROM golang:1.22\nWORKDIR /src\nCOPY . .\nRUN go build -o /app .\nCMD ["/app"]\n';

type SourceKind = 'repository' | 'url' | 'npm' | 'outside';
const SOURCE_KINDS: SourceKind[] = ['repository', 'url', 'npm', 'outside'];

interface Shape {
  name: string;
  fixture: string;
  count: number;
  /** Flags a bootstrap script for this kind of repository passes besides --yes --ci --policy. */
  flags?: (h: Harness) => string[];
  /** Files the repository has before the bootstrap (over the fixture's). */
  files?: Record<string, string>;
  /** The build downloads nothing over the network (vendor/). */
  offline?: boolean;
}

const SHAPES: Shape[] = [
  { name: 'zero deps, no go.sum', fixture: 'hello', count: 3 },
  { name: 'zero deps, empty go.sum', fixture: 'hello', count: 2, files: { 'go.sum': '' } },
  { name: 'one main, few deps', fixture: 'service', count: 4 },
  { name: 'gin web service', fixture: 'gin', count: 4 },
  { name: 'many deps', fixture: 'manydeps', count: 2 },
  { name: 'several mains', fixture: 'multi', count: 3 },
  { name: 'go.work', fixture: 'workspace', count: 3 },
  { name: 'vendor/', fixture: 'vendored', count: 4, offline: true },
  { name: 'cgo', fixture: 'cgo', count: 4 },
  { name: 'private modules', fixture: 'private', count: 4, flags: (h) => ['--auth', 'token', '--ca-cert', h.ca.caCert] },
  // A bootstrap that meets a hand-written Dockerfile replaces it (kept as Dockerfile.orig).
  {
    name: 'hand-written Dockerfile',
    fixture: 'service',
    count: 3,
    files: { Dockerfile: HAND_WRITTEN_DOCKERFILE },
    flags: () => ['--force'],
  },
  { name: 'build tags, Makefile', fixture: 'tagged', count: 2 },
  { name: 'settings from env', fixture: 'envport', count: 2 },
];

interface Repository {
  name: string;
  shape: Shape;
  kind: SourceKind;
  ci: Ci;
  /** Where the platform team keeps its checkout: fleet/<kind>/<name>. */
  origin: string;
  summary?: GenerateSummary & { mainPackages: string[] };
}

const git = (cwd: string, ...args: string[]) =>
  execFileSync('git', ['-c', 'user.name=platform', '-c', 'user.email=platform@example.com', ...args], {
    cwd,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });

let harness: Harness | undefined;
let skipReason: string | undefined;
let server: PolicyServer;
let registry: NpmRegistry;
let npmCache = '';
let fleetRoot = '';
let policyUrl = '';
/** The policy file outside every repository, as the platform team keeps it. */
let outsidePolicy = '';
const repositories: Repository[] = [];
const builtTags: string[] = [];
const figures: string[] = [];

function ready(context: TestContext): Harness {
  if (!harness) context.skip(skipReason ?? 'e2e harness did not start');
  return harness;
}

/** The bundled CLI as a bootstrap script runs it: no terminal, the registry and caches of this fleet. */
function cli(args: string[], cwd: string, env: Record<string, string> = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  return execute(process.execPath, [join(REPO_ROOT, 'index.js'), ...args], {
    cwd,
    env: {
      PATH: process.env.PATH,
      HOME: join(fleetRoot, 'home'),
      XDG_CACHE_HOME: join(fleetRoot, 'cache'),
      npm_config_registry: registry.url,
      npm_config_cache: npmCache,
      npm_config_update_notifier: 'false',
      ...env,
    },
  });
}

function policyFlag(repository: Repository): string {
  switch (repository.kind) {
    case 'repository':
      return POLICY_IN_REPOSITORY;
    case 'url':
      return policyUrl;
    case 'npm':
      return `npm:${POLICY_PACKAGE}@^1`;
    case 'outside':
      return outsidePolicy;
  }
}

/** What the repository's CI holds for its drift job: the policy text when it lives outside. */
function ciSettings(repository: Repository, policy: string): CiSettings {
  if (repository.kind !== 'outside') return {};
  return repository.ci === 'github' ? { secrets: { GO_DOCKER_POLICY: policy } } : { fileVariables: { CREATE_GO_DOCKER_POLICY: policy } };
}

/** A fresh clone of the repository somewhere else, at another depth, as a CI runner checks it out. */
function freshClone(repository: Repository): string {
  const clone = join(mkdtempSync(join(tmpdir(), 'cgd-fleet-clone-')), 'builds', 'acme', repository.name);
  mkdirSync(join(clone, '..'), { recursive: true });
  git(REPO_ROOT, 'clone', '-q', repository.origin, clone);
  return clone;
}

/** Runs the fleet's drift jobs on fresh clones, two at a time (npx and node on 2 cores). */
async function driftJobs(policy: string): Promise<Map<string, { code: number; output: string }>> {
  const results = new Map<string, { code: number; output: string }>();
  const queue = [...repositories];
  const job = async (repository: Repository) => {
    const clone = freshClone(repository);
    results.set(
      repository.name,
      await runDriftJob({ registryUrl: registry.url, npmCache }, clone, repository.ci, ciSettings(repository, policy)),
    );
    rmSync(join(clone, '..', '..', '..'), { recursive: true, force: true });
  };
  const worker = async () => {
    for (let repository = queue.shift(); repository; repository = queue.shift()) await job(repository);
  };
  // The first job alone: npx extracts the package into the shared cache on its first run, and two
  // first runs at once can read each other's half-extracted copy (seen once in CI: "Cannot find
  // module .../dist/chunks/regenerate-....js"). Later runs only read it.
  const first = queue.shift();
  if (first) await job(first);
  await Promise.all([worker(), worker()]);
  return results;
}

function seconds(start: number): string {
  return `${((performance.now() - start) / 1000).toFixed(1)} s`;
}

beforeAll(async () => {
  const started = await startHarness((line) => console.log(`[fleet] ${line}`));
  if ('skip' in started) {
    skipReason = started.skip;
    console.warn(`\n[fleet] SKIPPED, nothing was built: ${skipReason}\n`);
    return;
  }
  harness = started.harness;
  server = await policyServer();
  registry = await npmRegistry();
  fleetRoot = mkdtempSync(join(tmpdir(), 'cgd-fleet-'));
  npmCache = join(fleetRoot, 'npm-cache');
  // create-go-docker as the drift jobs' npx gets it: this build, packed and published.
  const [packed] = JSON.parse(
    execFileSync('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', fleetRoot], { cwd: REPO_ROOT, encoding: 'utf8' }),
  ) as [{ filename: string; version: string }];
  registry.publishTarball('create-go-docker', packed.version, join(fleetRoot, packed.filename));
  // The policy, version 1, from every kind of source.
  server.serve('/go-docker-policy.yaml', ATHENS);
  policyUrl = `${server.url}/go-docker-policy.yaml`;
  registry.publish(POLICY_PACKAGE, '1.0.0', { 'go-docker-policy.yaml': ATHENS });
  mkdirSync(join(fleetRoot, 'platform'));
  outsidePolicy = join(fleetRoot, 'platform', 'go-docker-policy.yaml');
  writeFileSync(outsidePolicy, ATHENS);
  let index = 0;
  for (const shape of SHAPES) {
    for (let copy = 0; copy < shape.count; copy++, index++) {
      const kind = SOURCE_KINDS[index % SOURCE_KINDS.length]!;
      const name = `${shape.fixture}-${String(index).padStart(2, '0')}`;
      const origin = join(fleetRoot, kind, name);
      mkdirSync(join(origin, '..'), { recursive: true });
      renameSync(copyFixture(shape.fixture, harness.goVersion), origin);
      for (const [path, text] of Object.entries(shape.files ?? {})) writeFileSync(join(origin, path), text);
      // Each repository its own: the compile step of every image runs for real.
      writeFileSync(join(origin, 'FLEET_ID'), `${name}\n`);
      if (kind === 'repository') {
        mkdirSync(join(origin, '.github'), { recursive: true });
        writeFileSync(join(origin, POLICY_IN_REPOSITORY), ATHENS);
      }
      git(origin, 'init', '-q', '-b', 'main');
      git(origin, 'add', '-A');
      git(origin, 'commit', '-q', '-m', 'the service');
      repositories.push({ name, shape, kind, ci: index % 2 === 0 ? 'github' : 'gitlab', origin });
    }
  }
}, 30 * 60_000);

afterAll(async () => {
  console.log(`\n[fleet] ${repositories.length} repositories\n${figures.map((line) => `  ${line}`).join('\n')}\n`);
  if (!harness) return;
  if (builtTags.length > 0) await execute(harness.docker, ['rmi', '-f', ...builtTags]);
  await server.close();
  await registry.close();
  await harness.stop();
  rmSync(fleetRoot, { recursive: true, force: true });
}, 5 * 60_000);

describe('a fleet of 40 repositories, one policy from four kinds of source', () => {
  it(
    'bootstraps every repository with --yes, the policy and a CI drift job; doctor finds nothing in what was written',
    async (context) => {
      const h = ready(context);
      expect(repositories).toHaveLength(40);
      const start = performance.now();
      for (const repository of repositories) {
        const flags = [
          '--yes',
          '--json',
          '--ci',
          repository.ci,
          '--policy',
          policyFlag(repository),
          ...(repository.shape.flags?.(h) ?? []),
        ];
        const result = await cli(flags, repository.origin);
        expect(result.code, `${repository.name}: ${result.stderr}`).toBe(0);
        const summary = JSON.parse(result.stdout) as NonNullable<Repository['summary']>;
        repository.summary = summary;
        // The self-check after writing: a finding of doctor's on what was just written is a warning.
        expect(
          summary.warnings.filter((warning) => warning.startsWith('doctor ')),
          repository.name,
        ).toEqual([]);
        const answers = readFileSync(join(repository.origin, '.go-docker.yaml'), 'utf8');
        // Recorded so that any checkout finds the policy: never a path of this machine.
        expect(answers, repository.name).not.toContain(fleetRoot);
        git(repository.origin, 'add', '-A');
        git(repository.origin, 'commit', '-q', '-m', 'create-go-docker --yes');
      }
      figures.push(`bootstrap (--yes, 40 runs): ${seconds(start)}`);
      const handWritten = repositories.filter((repository) => repository.shape.files?.Dockerfile);
      for (const repository of handWritten)
        expect(readFileSync(join(repository.origin, 'Dockerfile.orig'), 'utf8')).toBe(HAND_WRITTEN_DOCKERFILE);
      // Every Go module of the fleet is managed: nothing left for --include-unmanaged to list.
      const status = await cli(['regenerate', '--check', '--recursive', '--include-unmanaged', '--json', fleetRoot], fleetRoot, {
        CREATE_GO_DOCKER_POLICY: outsidePolicy,
      });
      expect(status.code, status.stdout + status.stderr).toBe(0);
    },
    10 * 60_000,
  );

  it(
    'a fresh clone of each, elsewhere, passes its drift job on the first pipeline',
    async (context) => {
      ready(context);
      const start = performance.now();
      const results = await driftJobs(ATHENS);
      figures.push(`drift jobs on fresh clones (40, npx, 2 at a time): ${seconds(start)}`);
      const failed = [...results]
        .filter(([, result]) => result.code !== 0)
        .map(([name, result]) => `${name}: exit ${result.code}\n${result.output.split('\n').slice(-8).join('\n')}`);
      expect(failed).toEqual([]);
    },
    15 * 60_000,
  );

  it(
    'a policy change: every drift job fails on it, regenerate --recursive rolls it out, fresh clones pass again',
    async (context) => {
      ready(context);
      // The platform team publishes version 2 wherever the policy lives.
      server.serve('/go-docker-policy.yaml', ARTIFACTORY);
      registry.publish(POLICY_PACKAGE, '1.1.0', { 'go-docker-policy.yaml': ARTIFACTORY });
      writeFileSync(outsidePolicy, ARTIFACTORY);
      for (const repository of repositories.filter((item) => item.kind === 'repository')) {
        writeFileSync(join(repository.origin, POLICY_IN_REPOSITORY), ARTIFACTORY);
        git(repository.origin, 'commit', '-q', '-am', 'policy: Artifactory');
      }
      const stale = await driftJobs(ARTIFACTORY);
      const passed = [...stale].filter(([, result]) => result.code !== 1).map(([name, result]) => `${name}: exit ${result.code}`);
      expect(passed, 'drift jobs that did not see the policy change').toEqual([]);

      const start = performance.now();
      // One command per kind of source: a recorded source is read from .go-docker.yaml; a policy
      // from outside is given again, as the platform team's roll-out job gives its copy.
      for (const kind of SOURCE_KINDS) {
        const env: Record<string, string> = kind === 'outside' ? { CREATE_GO_DOCKER_POLICY: outsidePolicy } : {};
        const rolled = await cli(['regenerate', '--recursive', '--json', join(fleetRoot, kind)], fleetRoot, env);
        expect(rolled.code, `${kind}: ${rolled.stdout}${rolled.stderr}`).toBe(0);
      }
      figures.push(`roll-out (regenerate --recursive, 4 runs over 40 repositories): ${seconds(start)}`);
      for (const repository of repositories) {
        // vendor/ has no GOPROXY to change (the proxy is off): its answers record the new policy all the same.
        if (!repository.shape.offline)
          expect(readFileSync(join(repository.origin, 'Dockerfile'), 'utf8'), repository.name).toContain(
            'ARG GOPROXY=https://artifactory.acme.example/api/go/go-remote,direct',
          );
        if (repository.kind !== 'repository')
          expect(readFileSync(join(repository.origin, '.go-docker.yaml'), 'utf8'), repository.name).toContain(
            `sha256: sha256:${createHash('sha256').update(ARTIFACTORY).digest('hex')}`,
          );
        git(repository.origin, 'add', '-A');
        git(repository.origin, 'commit', '-q', '-m', 'create-go-docker regenerate: Artifactory');
      }
      const after = await driftJobs(ARTIFACTORY);
      const failed = [...after]
        .filter(([, result]) => result.code !== 0)
        .map(([name, result]) => `${name}: exit ${result.code}\n${result.output.split('\n').slice(-8).join('\n')}`);
      expect(failed).toEqual([]);
    },
    30 * 60_000,
  );

  it(
    'every image builds on the real engine; the download step fetches no more than the module graph needs',
    async (context) => {
      const h = ready(context);
      const env = {
        ...process.env,
        PATH: `${h.binDir}:${process.env.PATH}`,
        HOME: h.home,
        ...(h.startedEngine ? {} : { DOCKER_BUILDKIT: '1' }),
      };
      const start = performance.now();
      const counted = new Map<string, { downloaded: number; buildList: number | undefined }>();
      for (const repository of repositories) {
        const extra = ['--progress=plain', '--network=host', `--add-host ${PRIVATE_HOST}:127.0.0.1`];
        if (!repository.shape.offline) extra.push(`--build-arg GOPROXY=${h.moduleProxy.url}`);
        const tag = `${TAG_PREFIX}/${repository.name}`;
        const result = await shell(localBuildCommand(repository.summary!.buildCommand, tag, extra), { env, cwd: repository.origin });
        builtTags.push(tag);
        expect(result.code, `${repository.name}: ${`${result.stdout}${result.stderr}`.split('\n').slice(-30).join('\n')}`).toBe(0);
        if (counted.has(repository.shape.name)) continue;
        // The modules the download step left in the build stage (cached: no second build).
        const stage = `${tag}-build-stage`;
        const staged = await shell(localBuildCommand(repository.summary!.buildCommand, stage, [...extra, '--target build']), {
          env,
          cwd: repository.origin,
        });
        builtTags.push(stage);
        expect(staged.code, staged.stderr).toBe(0);
        const found = await execute(h.docker, [
          'run',
          '--rm',
          '--network=none',
          '--entrypoint',
          'sh',
          stage,
          '-c',
          "find /go/pkg/mod/cache/download -name '*.ziphash' 2>/dev/null | wc -l",
        ]);
        counted.set(repository.shape.name, { downloaded: Number(found.stdout.trim()), buildList: await buildList(h, repository) });
      }
      figures.push(`image builds (40, docker ${h.engineVersion}, one builder, shared cache mounts): ${seconds(start)}`);
      figures.push('download step vs build list, per shape (modules):');
      for (const [shape, count] of counted) {
        figures.push(
          `  ${shape.padEnd(24)} downloaded ${String(count.downloaded).padStart(3)}, build list ` +
            (count.buildList === undefined ? 'n/a (private host)' : String(count.buildList).padStart(3)),
        );
        if (count.buildList !== undefined) expect(count.downloaded, shape).toBeGreaterThanOrEqual(count.buildList);
      }
    },
    45 * 60_000,
  );
});

/**
 * The build list of the main package the image builds: the modules `go list -deps` reaches for
 * linux/amd64, through the harness's module proxy. None for vendor/ (nothing is downloaded) and
 * for private modules (their host is the harness's git server, not the proxy).
 */
async function buildList(h: Harness, repository: Repository): Promise<number | undefined> {
  if (repository.shape.name === 'private modules') return undefined;
  if (repository.shape.offline) return 0;
  // The image is named after its main package's directory (the module's last element for ".").
  const image = / -t (\S+)/.exec(repository.summary!.buildCommand)![1]!;
  const mains = repository.summary!.mainPackages;
  const main = mains.find((path) => path.split('/').pop() === image) ?? mains[0]!;
  const moduleCache = mkdtempSync(join(tmpdir(), 'cgd-fleet-gomodcache-'));
  const workspace = existsSync(join(repository.origin, 'go.work'));
  try {
    // Asynchronous: the module proxy answers from this process.
    const listed = await execute(
      'go',
      ['list', '-deps', '-f', '{{with .Module}}{{if not .Main}}{{.Path}}@{{.Version}}{{end}}{{end}}', main],
      {
        cwd: repository.origin,
        // -mod=mod (go.sum may lack a go.mod hash go list wants) is refused in workspace mode.
        env: {
          ...process.env,
          GOFLAGS: workspace ? '' : '-mod=mod',
          GOPROXY: h.moduleProxy.url,
          GOSUMDB: 'off',
          GOTOOLCHAIN: 'local',
          GOMODCACHE: moduleCache,
          GOOS: 'linux',
          GOARCH: 'amd64',
          GOWORK: workspace ? join(repository.origin, 'go.work') : 'off',
        },
      },
    );
    if (listed.code !== 0) throw new Error(`go list in ${repository.name}: ${listed.stderr}`);
    const output = listed.stdout;
    return new Set(output.split('\n').filter(Boolean)).size;
  } finally {
    execFileSync('chmod', ['-R', 'u+w', moduleCache]);
    rmSync(moduleCache, { recursive: true, force: true });
  }
}
