// End to end on a simulated mainland-China network: a network namespace whose only neighbour
// is this machine, a resolver that knows only the mirrored names (goproxy.cn,
// registry.npmmirror.com, docker.m.daocloud.io, and registry.gitlab.test for the project's
// GitLab registry), and HTTPS stand-ins behind those names. In it, the jobs of the .gitlab-ci.yml
// that `--region cn --ci gitlab` generates run as written: the drift check through npx, and the
// image job's buildctl-daemonless.sh with a fresh buildkitd that builds the cn Dockerfile and
// pushes the image. Public hosts (proxy.golang.org, Docker Hub, npmjs.org) cannot be reached.
import {
  chmodSync,
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { afterAll, beforeAll, describe, expect, it, type TestContext } from 'vitest';
import { freePort, installBuildkitTools, startRegistry, type BuildkitTools, type Registry } from './harness/buildkit.js';
import { copyFixture, execute, generate, httpGet } from './harness/docker.js';
import { CACHE_DIR, REPO_ROOT, startHarness, tearDown, type Harness } from './harness/index.js';
import {
  createNamespace,
  namespaceUnsupported,
  registryRequests,
  startDnsServer,
  startNpmRegistry,
  type DnsServer,
  type Namespace,
  type NpmRegistry,
} from './harness/network.js';
import { makeTestCa, run, startModuleProxy, type ModuleProxy, type TestCa } from './harness/servers.js';

const GOPROXY_CN = 'goproxy.cn';
const NPM_MIRROR = 'registry.npmmirror.com';
const DOCKER_MIRROR = 'docker.m.daocloud.io';
const GITLAB_REGISTRY = 'registry.gitlab.test';
const PUBLIC_NAMES = ['proxy.golang.org', 'registry-1.docker.io', 'registry.npmjs.org'];
const BUILDKIT_VERSION = 'v0.18.2';
/**
 * sh -c ROOTLESS_JOB rootless-job STATE_DIR SOCKET_DIR EMPTY_DIR ENTRY: mounts the fresh builder
 * directories, then runs ENTRY as root of a new user namespace (uids and gids 0-65535 mapped to
 * themselves, written from outside as rootlesskit's newuidmap would) with its own mount namespace.
 */
const ROOTLESS_JOB = `set -eu
mount --bind "$1" /var/lib/buildkit
mount --bind "$2" /run/buildkit
if [ -d /run/containerd ]; then mount --bind "$3" /run/containerd; fi
unshare --user --mount sh -c 'while [ -z "$(cat /proc/self/uid_map)" ]; do sleep 0.05; done; exec sh -c "$0"' "$4" &
child=$!
while [ "$(readlink /proc/$child/ns/user)" = "$(readlink /proc/self/ns/user)" ]; do sleep 0.05; done
echo '0 0 65536' > /proc/$child/uid_map
echo '0 0 65536' > /proc/$child/gid_map
wait $child
`;
/** Where every root-owned OS bundle lives on Debian: the runner's public roots. */
const SYSTEM_BUNDLE = '/etc/ssl/certs/ca-certificates.crt';

interface GitlabJob {
  image: string | { name: string; entrypoint?: string[] };
  variables?: Record<string, string>;
  rules?: Array<{ if?: string }>;
  script: string[];
}

/** One registry seen two ways over one storage: HTTPS by its public name in the namespace, plain HTTP on loopback for the host's engine. */
interface RegistryPair {
  tls: Registry;
  plain: Registry;
}

interface Setup {
  h: Harness;
  tools: BuildkitTools;
  work: string;
  ca: TestCa;
  /** The system bundle plus the test CA: what stands for the public roots on the runner. */
  bundle: string;
  ns: Namespace;
  dns: DnsServer;
  goproxy: ModuleProxy;
  npm: NpmRegistry;
  mirror: RegistryPair;
  gitlab: RegistryPair;
  /** A git checkout of the service fixture with the generated files. */
  project: string;
  jobs: Record<string, GitlabJob>;
  commit: string;
  addresses: Record<string, string>;
}

let setup: Setup | undefined;
let skipReason: string | undefined;
const cleanups: Array<() => Promise<void> | void> = [];

const log = (line: string): void => console.log(`[e2e mainland] ${line}`);

async function registryPair(work: string, name: string, address: string, ca: TestCa): Promise<RegistryPair> {
  const storage = join(work, `${name}-storage`);
  const plain = await startRegistry(undefined, { storage });
  cleanups.push(() => plain.stop());
  const tls = await startRegistry(undefined, {
    storage,
    address: `${address}:443`,
    tls: { certificate: ca.serverCert, key: ca.serverKey },
  });
  cleanups.push(() => tls.stop());
  return { tls, plain };
}

/**
 * Builds an image in the harness's engine from a Dockerfile text (and files), pushes it to the
 * registry's plain side under PATH, and untags it there.
 */
async function pushImage(h: Harness, registry: Registry, path: string, dockerfile: string, files: Record<string, string>): Promise<void> {
  const context = mkdtempSync(join(tmpdir(), 'cgd-mainland-image-'));
  try {
    writeFileSync(join(context, 'Dockerfile'), dockerfile);
    for (const [name, text] of Object.entries(files)) writeFileSync(join(context, name), text);
    const reference = `${registry.host}/${path}`;
    for (const args of [
      ['build', '--network', 'none', '-q', '-t', reference, context],
      ['push', reference],
      ['rmi', reference],
    ]) {
      const result = await execute(h.docker, args);
      if (result.code !== 0) throw new Error(`docker ${args.join(' ')} failed:\n${result.stdout}${result.stderr}`);
    }
    log(`mirror: pushed ${path}`);
  } finally {
    rmSync(context, { recursive: true, force: true });
  }
}

beforeAll(async () => {
  const started = Date.now();
  const unsupported = namespaceUnsupported();
  if (unsupported) {
    skipReason = unsupported;
    console.warn(`\n[e2e mainland] SKIPPED, nothing was built: ${skipReason}\n`);
    return;
  }
  const installed = installBuildkitTools(log);
  if ('skip' in installed) {
    skipReason = installed.skip;
    console.warn(`\n[e2e mainland] SKIPPED, nothing was built: ${skipReason}\n`);
    return;
  }
  const harness = await startHarness(log, { privateHost: false });
  if ('skip' in harness) {
    skipReason = harness.skip;
    console.warn(`\n[e2e mainland] SKIPPED, nothing was built: ${skipReason}\n`);
    return;
  }
  const h = harness.harness;
  cleanups.push(() => h.stop());
  const work = mkdtempSync(join(tmpdir(), 'cgd-mainland-'));
  cleanups.push(() => rmSync(work, { recursive: true, force: true }));

  const ca = makeTestCa(join(work, 'ca'), [GOPROXY_CN, NPM_MIRROR, DOCKER_MIRROR, GITLAB_REGISTRY]);
  const bundle = join(work, 'ca-bundle.pem');
  writeFileSync(bundle, `${readFileSync(SYSTEM_BUNDLE, 'utf8')}\n${readFileSync(ca.caCert, 'utf8')}`);

  // A subnet and name of this process's own, so two runs on one machine do not collide.
  const ns = createNamespace(`cgdcn${process.pid % 100_000}`, 100 + (process.pid % 150), 4);
  cleanups.push(() => ns.remove());
  const [goproxyAddress, npmAddress, mirrorAddress, gitlabAddress] = ns.serviceAddresses as [string, string, string, string];
  const addresses = {
    [GOPROXY_CN]: goproxyAddress,
    [NPM_MIRROR]: npmAddress,
    [DOCKER_MIRROR]: mirrorAddress,
    [GITLAB_REGISTRY]: gitlabAddress,
  };
  const dns = await startDnsServer(ns.hostAddress, addresses);
  cleanups.push(() => dns.close());

  // goproxy.cn: the harness's module cache (the fixtures' public modules), over HTTPS.
  const goproxy = await startModuleProxy(join(CACHE_DIR, 'modcache', 'cache', 'download'), {
    address: goproxyAddress,
    port: 443,
    tls: { cert: ca.serverCert, key: ca.serverKey },
  });
  cleanups.push(() => goproxy.close());

  // registry.npmmirror.com: this repository as `npm pack` makes it (dist/ as last built).
  if (!existsSync(join(REPO_ROOT, 'dist'))) throw new Error('dist/ is missing: run `npm run build` first');
  const packed = JSON.parse(run('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', work], { cwd: REPO_ROOT })) as Array<{
    filename: string;
  }>;
  const npm = await startNpmRegistry({
    address: npmAddress,
    registryUrl: `https://${NPM_MIRROR}`,
    tarball: join(work, packed[0]!.filename),
    tls: { cert: ca.serverCert, key: ca.serverKey },
  });
  cleanups.push(() => npm.close());

  const mirror = await registryPair(work, 'mirror', mirrorAddress, ca);
  const gitlab = await registryPair(work, 'gitlab', gitlabAddress, ca);

  const project = copyFixture('service', h.goVersion);
  cleanups.push(() => rmSync(project, { recursive: true, force: true }));
  const generated = await generate(project, ['--region', 'cn', '--ci', 'gitlab']);
  if (generated.result.code !== 0) throw new Error(`create-go-docker failed:\n${generated.result.stderr}`);
  // A CI checkout is a git repository at a commit.
  const git = (args: string[]): string =>
    run('git', ['-c', 'user.name=e2e', '-c', 'user.email=e2e@example.test', ...args], { cwd: project }).trim();
  git(['init', '-q', '-b', 'main']);
  git(['add', '-A']);
  git(['commit', '-q', '-m', 'service with generated docker files']);
  const commit = git(['rev-parse', 'HEAD']);
  const jobs = parseYaml(readFileSync(join(project, '.gitlab-ci.yml'), 'utf8')) as Record<string, GitlabJob>;

  // The mirror's stand-ins, in a registry only this test uses. The golang image is the
  // harness's stand-in with the test CA appended to its bundle: that bundle plays the public
  // roots, which on a real runner already vouch for goproxy.cn.
  const builder = /^FROM (?:--platform=\S+ )?(golang:\S+) AS build$/m.exec(readFileSync(join(project, 'Dockerfile'), 'utf8'))?.[1];
  if (!builder) throw new Error('no golang builder FROM line in the generated Dockerfile');
  await pushImage(
    h,
    mirror.plain,
    `library/${builder}`,
    [
      `FROM ${builder}`,
      'COPY test-ca.pem /usr/local/share/ca-certificates/cgd-mainland-test-ca.crt',
      'RUN cat /usr/local/share/ca-certificates/cgd-mainland-test-ca.crt >> /etc/ssl/certs/ca-certificates.crt',
      '',
    ].join('\n'),
    { 'test-ca.pem': readFileSync(ca.caCert, 'utf8') },
  );
  // The drift job's image only has to exist under its mirrored name: the job's script runs on
  // this machine's node inside the namespace, not in this image.
  const nodeImage = imageName(jobs['docker-files-drift']!);
  await pushImage(
    h,
    mirror.plain,
    nodeImage.slice(`${DOCKER_MIRROR}/`.length),
    ['FROM scratch', 'COPY NOTE /', 'LABEL create-go-docker.standin=name-only', ''].join('\n'),
    { NOTE: `A name-only stand-in for ${nodeImage}: the e2e drift job runs on the host's node.\n` },
  );

  setup = { h, tools: installed.tools, work, ca, bundle, ns, dns, goproxy, npm, mirror, gitlab, project, jobs, commit, addresses };
  log(
    `set up in ${((Date.now() - started) / 1000).toFixed(1)} s: namespace ${ns.name}, DNS on ${ns.hostAddress}, ` +
      Object.entries(addresses)
        .map(([name, address]) => `${name}=${address}`)
        .join(' '),
  );
}, 20 * 60_000);

afterAll(() => tearDown(cleanups, log), 5 * 60_000);

/** The setup, or a runtime skip that says why (never a pass without a build). */
function ready(context: TestContext): Setup {
  if (!setup) context.skip(skipReason ?? 'mainland harness did not start');
  return setup;
}

function imageName(job: GitlabJob): string {
  return typeof job.image === 'string' ? job.image : job.image.name;
}

/** The CI/CD variables a GitLab runner sets for a push pipeline on the default branch. */
function runnerVariables(s: Setup): Record<string, string> {
  return {
    CI: 'true',
    GITLAB_CI: 'true',
    CI_PIPELINE_SOURCE: 'push',
    CI_PROJECT_DIR: s.project,
    CI_REGISTRY: GITLAB_REGISTRY,
    CI_REGISTRY_IMAGE: `${GITLAB_REGISTRY}/group/service`,
    CI_REGISTRY_USER: 'gitlab-ci-token',
    CI_REGISTRY_PASSWORD: 'e2e-job-token',
    CI_DEFAULT_BRANCH: 'main',
    CI_COMMIT_BRANCH: 'main',
    CI_COMMIT_REF_NAME: 'main',
    CI_COMMIT_REF_SLUG: 'main',
    CI_COMMIT_SHA: s.commit,
    CI_COMMIT_SHORT_SHA: s.commit.slice(0, 8),
  };
}

/** Whether the job's rules let it run; only the `$VAR != "value"` form generated files use is understood. */
function rulesRun(job: GitlabJob, variables: Record<string, string>): boolean {
  return (job.rules ?? [{}]).some((rule) => {
    if (rule.if === undefined) return true;
    const parsed = /^\$(\w+) (==|!=) "([^"]*)"$/.exec(rule.if);
    if (!parsed) throw new Error(`rule not understood by this test: ${rule.if}`);
    const equal = (variables[parsed[1]!] ?? '') === parsed[3];
    return parsed[2] === '==' ? equal : !equal;
  });
}

/** How a job's script entry is run: `sh -c ENTRY` in the namespace, or a command line around it. */
interface EntryRunner {
  via: 'exec' | 'enter';
  wrap(entry: string): [string, ...string[]];
}

/**
 * Runs the job's script entries one by one in the namespace, in the project directory, with the
 * job's variables and the runner's; stops at the first that fails.
 */
async function runJob(
  s: Setup,
  name: string,
  env: Record<string, string>,
  runner: EntryRunner = { via: 'exec', wrap: (entry) => ['sh', '-c', entry] },
): Promise<{ code: number; output: string }> {
  const job = s.jobs[name];
  if (!job) throw new Error(`no job ${name} in the generated .gitlab-ci.yml`);
  const variables = { ...runnerVariables(s), ...job.variables };
  expect(rulesRun(job, variables), `${name}'s rules run it on a push to the default branch`).toBe(true);
  let output = '';
  for (const entry of job.script) {
    const [command, ...args] = runner.wrap(entry);
    const result = await s.ns[runner.via](command, args, { cwd: s.project, env: { ...env, ...variables }, timeoutMs: 15 * 60_000 });
    output += `$ ${entry}\n${result.stdout}${result.stderr}`;
    if (result.code !== 0) return { code: result.code, output };
  }
  return { code: 0, output };
}

/** A registry manifest (or index) over the registry's plain side. */
async function manifest(registry: Registry, repository: string, reference: string): Promise<Record<string, unknown> | undefined> {
  const response = await fetch(`http://${registry.host}/v2/${repository}/manifests/${reference}`, {
    headers: {
      accept: [
        'application/vnd.oci.image.index.v1+json',
        'application/vnd.oci.image.manifest.v1+json',
        'application/vnd.docker.distribution.manifest.list.v2+json',
        'application/vnd.docker.distribution.manifest.v2+json',
      ].join(', '),
    },
  });
  return response.status === 200 ? ((await response.json()) as Record<string, unknown>) : undefined;
}

/** Counts of "METHOD /v2/REPO/KIND" requests: what a registry served, in short. */
function requestSummary(requests: string[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const request of requests) {
    const [method, path = '', status] = request.split(' ');
    const key = `${method} ${path.replace(/\/(blobs\/uploads|blobs|manifests)\/.*$/, '/$1/…')} ${status}`;
    counts[key] = (counts[key] ?? 0) + 1;
  }
  return counts;
}

describe('a simulated mainland network: only the mirrored names, public hosts unreachable', () => {
  it('in the namespace only the mirrored names resolve, nothing past the veth is routable, and a direct GOPROXY fails', async (context) => {
    const s = ready(context);
    for (const [name, address] of Object.entries(s.addresses)) {
      const resolved = await s.ns.exec('getent', ['ahostsv4', name]);
      expect(resolved.stdout, `${name} resolves in the namespace`).toContain(address);
    }
    for (const name of PUBLIC_NAMES) {
      const resolved = await s.ns.exec('getent', ['hosts', name]);
      expect(resolved.code, `${name} must not resolve in the namespace: ${resolved.stdout}`).not.toBe(0);
    }
    // An address outside the subnet: no route at all, so a hard-coded public IP fails too.
    const route = await s.ns.exec('ip', ['route', 'get', '1.1.1.1']);
    expect(route.code, route.stdout).not.toBe(0);
    expect(route.stderr).toMatch(/unreachable/i);

    // What the Dockerfile's `go mod download` would do with the global default proxy.
    const cache = mkdtempSync(join(s.work, 'gomodcache-'));
    const direct = await s.ns.exec('go', ['mod', 'download'], {
      cwd: s.project,
      env: {
        PATH: process.env.PATH ?? '/usr/local/go/bin:/usr/bin:/bin',
        HOME: s.work,
        GOMODCACHE: cache,
        GOCACHE: join(cache, 'build'),
        GOFLAGS: '-modcacherw',
        GOTOOLCHAIN: 'local',
        GOPROXY: 'https://proxy.golang.org,direct',
        SSL_CERT_FILE: s.bundle,
      },
      timeoutMs: 60_000,
    });
    expect(direct.code, `go mod download through proxy.golang.org must fail here:\n${direct.stderr}`).not.toBe(0);
    expect(direct.stderr).toMatch(/proxy\.golang\.org.*(no such host|server misbehaving)/);
    expect(s.goproxy.requests, 'the direct attempt never reached the goproxy.cn stand-in').toEqual([]);
  });

  it('the drift job (npx through registry.npmmirror.com) finds the generated files up to date', async (context) => {
    const s = ready(context);
    const job = s.jobs['docker-files-drift']!;
    // The job's image must be a name the mirror serves: fetched in the namespace by that name.
    const image = imageName(job);
    expect(image.startsWith(`${DOCKER_MIRROR}/`), image).toBe(true);
    const [repository, tag] = image.slice(`${DOCKER_MIRROR}/`.length).split(':') as [string, string];
    const served = await s.ns.exec(
      process.execPath,
      [
        '-e',
        `fetch(process.argv[1], { method: 'HEAD' }).then((r) => console.log(r.status), (e) => console.log(e.cause ?? e))`,
        `https://${DOCKER_MIRROR}/v2/${repository}/manifests/${tag}`,
      ],
      { env: { NODE_EXTRA_CA_CERTS: s.ca.caCert } },
    );
    expect(served.stdout.trim(), `HEAD ${image} in the namespace`).toBe('200');

    const home = mkdtempSync(join(s.work, 'drift-home-'));
    const started = Date.now();
    const result = await runJob(s, 'docker-files-drift', {
      PATH: '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin',
      HOME: home,
      // A fresh npm cache: npx must fetch the package, not find it.
      npm_config_cache: join(home, '.npm'),
      npm_config_update_notifier: 'false',
      // The bundle stands for the public roots. npm 11 (on Node 20) ignores NODE_EXTRA_CA_CERTS,
      // which Node's own https honours, so it is also given the bundle as its cafile.
      NODE_EXTRA_CA_CERTS: s.ca.caCert,
      npm_config_cafile: s.bundle,
    });
    log(`drift job: exit ${result.code} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    expect(result.code, result.output).toBe(0);
    expect(result.output).toContain('every managed file is up to date');
    expect(s.npm.requests).toEqual(
      expect.arrayContaining(['/create-go-docker', expect.stringMatching(/^\/create-go-docker\/-\/create-go-docker-0\.1\.0\.tgz$/)]),
    );
    // npm_config_audit=false: nothing asks the mirror for npm's audit API.
    expect(s.npm.requests.filter((path) => path.includes('/-/npm/v1/security/'))).toEqual([]);
  });

  it('the image job (buildctl-daemonless.sh, a fresh buildkitd) builds through the mirrors and pushes to GitLab', async (context) => {
    const s = ready(context);
    const job = s.jobs['docker-image']!;
    expect(imageName(job)).toBe(`${DOCKER_MIRROR}/moby/buildkit:${BUILDKIT_VERSION}-rootless`);

    // What the job's image provides, first on PATH: the script from the buildkit module (which
    // the harness's go install put in the module cache) and the binaries built from it.
    const gomodcache = run('go', ['env', 'GOMODCACHE']).trim();
    const daemonless = join(
      gomodcache,
      `github.com/moby/buildkit@${BUILDKIT_VERSION}`,
      'examples/buildctl-daemonless/buildctl-daemonless.sh',
    );
    expect(existsSync(daemonless), daemonless).toBe(true);
    const bin = join(s.work, 'job-bin');
    mkdirSync(bin);
    copyFileSync(daemonless, join(bin, 'buildctl-daemonless.sh'));
    chmodSync(join(bin, 'buildctl-daemonless.sh'), 0o755);
    symlinkSync(s.tools.buildkitd, join(bin, 'buildkitd'));
    symlinkSync(s.tools.buildctl, join(bin, 'buildctl'));
    symlinkSync(run('sh', ['-c', 'command -v runc']).trim(), join(bin, 'runc'));

    // The job's image runs the script as an unprivileged user under rootlesskit, so buildkitd
    // is root in a user namespace: BUILDKITD_FLAGS' --oci-worker-no-process-sandbox is refused
    // anywhere else ("can't enable NoProcessSandbox without Rootless"). ROOTLESS_JOB does what
    // rootlesskit does (with this machine's uids 0-65535 mapped as they are); the script then
    // starts buildkitd with its default state (/var/lib/buildkit) and socket (/run/buildkit),
    // where fresh directories are bind-mounted in the namespace's private mount namespace: the
    // builder starts empty and nothing stays on this machine. /run/containerd is hidden the same
    // way, as the job's image has no containerd for buildkitd to find.
    const state = mkdtempSync(join(s.work, 'buildkit-state-'));
    const socketDir = mkdtempSync(join(s.work, 'buildkit-run-'));
    const empty = mkdtempSync(join(s.work, 'empty-'));
    for (const mountPoint of ['/var/lib/buildkit', '/run/buildkit'].filter((point) => !existsSync(point))) {
      mkdirSync(mountPoint, { recursive: true });
      cleanups.push(() => rmSync(mountPoint, { recursive: true, force: true }));
    }

    const mirrorBefore = registryRequests(join(s.mirror.tls.dir, 'registry.log')).length;
    const goproxyBefore = s.goproxy.requests.length;
    const started = Date.now();
    const result = await runJob(
      s,
      'docker-image',
      {
        PATH: `${bin}:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin`,
        HOME: mkdtempSync(join(s.work, 'image-home-')),
        // buildkitd and buildctl are Go programs: this bundle is their system roots.
        SSL_CERT_FILE: s.bundle,
      },
      // Entered rather than exec'd: runc needs this machine's /sys, with its cgroups.
      { via: 'enter', wrap: (entry) => ['sh', '-c', ROOTLESS_JOB, 'rootless-job', state, socketDir, empty, entry] },
    );
    const seconds = (Date.now() - started) / 1000;
    log(`image job: exit ${result.code} in ${seconds.toFixed(1)} s`);
    expect(result.code, result.output.split('\n').slice(-60).join('\n')).toBe(0);

    // buildkitd chose the OCI (runc) worker: its snapshots are under runc-*, none under containerd-*.
    const workers = readdirSync(state);
    expect(
      workers.some((entry) => entry.startsWith('runc-')),
      workers.join(' '),
    ).toBe(true);
    expect(
      workers.some((entry) => entry.startsWith('containerd-')),
      workers.join(' '),
    ).toBe(false);

    const mirrorServed = registryRequests(join(s.mirror.tls.dir, 'registry.log')).slice(mirrorBefore);
    const builder = /^FROM (?:--platform=\S+ )?golang:(\S+) AS build$/m.exec(readFileSync(join(s.project, 'Dockerfile'), 'utf8'))![1]!;
    // BuildKit resolves the tag (HEAD or GET), then fetches the manifest and blobs by digest,
    // each asked of the mirror on behalf of docker.io (?ns=docker.io).
    const golangRequests = mirrorServed.filter((request) => request.includes(' /v2/library/golang/'));
    expect(golangRequests, 'the golang image came through docker.m.daocloud.io').toEqual(
      expect.arrayContaining([
        expect.stringMatching(
          new RegExp(`^(HEAD|GET) /v2/library/golang/manifests/${builder.replace(/\./g, '\\.')}\\?ns=docker\\.io 200$`),
        ),
        expect.stringMatching(/^GET \/v2\/library\/golang\/blobs\/sha256:[0-9a-f]{64}\?ns=docker\.io 200$/),
      ]),
    );
    const modules = s.goproxy.requests.slice(goproxyBefore);
    expect(modules, 'the modules came from the goproxy.cn stand-in').toContain('/github.com/google/uuid/@v/v1.6.0.zip');
    log(`image job: mirror served ${JSON.stringify(requestSummary(mirrorServed))}; goproxy.cn served ${modules.join(' ')}`);

    // The pushed image: the runtime stage's config, and the registry cache beside it.
    const index = await manifest(s.gitlab.plain, 'group/service', 'main');
    expect(index, 'registry.gitlab.test/group/service:main was pushed').toBeDefined();
    const platforms = (index!.manifests ?? []) as Array<{ digest: string; platform?: { os?: string; architecture?: string } }>;
    const own = platforms.find((entry) => entry.platform?.os === 'linux') ?? { digest: 'main' };
    const image = await manifest(s.gitlab.plain, 'group/service', own.digest);
    const configDigest = (image!.config as { digest: string }).digest;
    const config = (await (await fetch(`http://${s.gitlab.plain.host}/v2/group/service/blobs/${configDigest}`)).json()) as {
      config: { User?: string; Entrypoint?: string[] };
    };
    expect(config.config.Entrypoint).toEqual(['/usr/local/bin/service']);
    expect(config.config.User).toBe('65532:65532');
    expect(await manifest(s.gitlab.plain, 'group/service', 'buildcache'), 'the registry cache was exported').toBeDefined();
    log(`gitlab registry: ${JSON.stringify(requestSummary(registryRequests(join(s.gitlab.tls.dir, 'registry.log'))))}`);

    // And it runs: pulled over the registry's loopback side into the harness's engine.
    const pulledName = `${s.gitlab.plain.host}/group/service:main`;
    const pulled = await execute(s.h.docker, ['pull', '-q', pulledName]);
    expect(pulled.code, pulled.stderr).toBe(0);
    const port = await freePort();
    const container = await execute(s.h.docker, ['run', '-d', '--rm', '--network=host', '-e', `PORT=${port}`, pulledName]);
    expect(container.code, container.stderr).toBe(0);
    try {
      const response = await httpGet(`http://127.0.0.1:${port}/`);
      expect(response.body).toMatch(new RegExp(`^service ok version=${s.commit.slice(0, 8)} `));
    } finally {
      await execute(s.h.docker, ['rm', '-f', container.stdout.trim()]);
      await execute(s.h.docker, ['rmi', '-f', pulledName]);
    }
  });

  it('the resolver answered only the mirrored names (a report of what each stand-in served)', (context) => {
    const s = ready(context);
    const asked = [...new Set(s.dns.queries.filter((query) => query.answer !== 'NXDOMAIN').map((query) => query.name))].sort();
    const refused = [...new Set(s.dns.queries.filter((query) => query.answer === 'NXDOMAIN').map((query) => query.name))].sort();
    log(`dns: answered ${asked.join(' ')}; NXDOMAIN ${refused.join(' ')}`);
    log(
      `requests: ${GOPROXY_CN} ${s.goproxy.requests.length}, ${NPM_MIRROR} ${s.npm.requests.length}, ` +
        `${DOCKER_MIRROR} ${registryRequests(join(s.mirror.tls.dir, 'registry.log')).length}, ` +
        `${GITLAB_REGISTRY} ${registryRequests(join(s.gitlab.tls.dir, 'registry.log')).length}; ` +
        `${NPM_MIRROR} paths: ${s.npm.requests.join(' ')}`,
    );
    // The probes of the first test reached this resolver (not one of the machine's) and were refused.
    expect(refused).toEqual(expect.arrayContaining(PUBLIC_NAMES));
  });
});
