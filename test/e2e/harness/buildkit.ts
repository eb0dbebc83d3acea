// Standalone BuildKit for the e2e suite and `npm run bench:ci`: what a CI runner has, offline.
// A registry on 127.0.0.1 holds the stand-in base images and the exported build cache;
// buildkitd builders, each with its own empty state directory (a "fresh runner"), reach the
// base images through mirror settings, so Dockerfiles keep their real FROM names; buildctl
// drives builds and buildx (remote driver) runs `build --check` and `bake --print`.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  closeSync,
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { request as httpsRequest } from 'node:https';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { execute, parseBuildSteps, type BuildStep, type CommandResult } from './docker.js';
import { CACHE_DIR, script } from './index.js';

export interface BuildkitTools {
  buildkitd: string;
  buildctl: string;
  buildx: string;
  /** Seconds buildkit.sh took: near zero once the binaries are cached. */
  installSeconds: number;
}

export type BuildkitToolsResult = { skip: string } | { tools: BuildkitTools };

/** Runs buildkit.sh install (go install of the pinned tools, apt for the registry and runc). */
export function installBuildkitTools(log: (line: string) => void = console.log): BuildkitToolsResult {
  const started = process.hrtime.bigint();
  const installed = script('buildkit.sh', ['install', CACHE_DIR], log);
  if (installed.skip !== undefined) return { skip: installed.skip };
  const bin = installed.lastLine;
  const installSeconds = Number(process.hrtime.bigint() - started) / 1e9;
  return { tools: { buildkitd: join(bin, 'buildkitd'), buildctl: join(bin, 'buildctl'), buildx: join(bin, 'buildx'), installSeconds } };
}

/** A port nobody listens on now (the kernel picks it; a small race is acceptable in tests). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

async function sleep(ms: number): Promise<void> {
  await new Promise((resolve) => setTimeout(resolve, ms));
}

/** Polls until check() is true, for up to timeoutMs; the error names what never came up. */
async function waitUntil(check: () => Promise<boolean>, what: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return;
    await sleep(200);
  }
  throw new Error(`timed out after ${timeoutMs / 1000} s waiting for ${what}`);
}

/** Starts a program with its output in a log file; the caller stops it by this child's pid. */
function startLogged(command: string, args: string[], logFile: string): ChildProcess {
  const out = openSync(logFile, 'a');
  const child = spawn(command, args, { stdio: ['ignore', out, out] });
  closeSync(out); // the child holds its own descriptor
  return child;
}

/** SIGTERM, then SIGKILL if it is still there after timeoutMs. */
async function stopChild(child: ChildProcess, timeoutMs = 15_000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  await exited;
  clearTimeout(timer);
}

function tail(file: string, lines = 20): string {
  return existsSync(file) ? readFileSync(file, 'utf8').split('\n').slice(-lines).join('\n') : '';
}

export interface Registry {
  /** host:port, e.g. 127.0.0.1:41234: the prefix of every reference pushed here. */
  host: string;
  dir: string;
  stop(): Promise<void>;
}

export interface RegistryOptions {
  /** The storage root; default DIR/storage. Two registries may share one (e.g. a TLS and a plain side). */
  storage?: string;
  /** host:port to listen on; default a free loopback port. */
  address?: string;
  /** Serve HTTPS with this certificate and key (PEM files). */
  tls?: { certificate: string; key: string };
}

/**
 * Debian's docker-registry with its own config and storage, on a free loopback port (plain
 * HTTP) unless told otherwise. Its access log (one line per request) is DIR/registry.log.
 */
export async function startRegistry(
  dir: string = mkdtempSync(join(tmpdir(), 'cgd-registry-')),
  options: RegistryOptions = {},
): Promise<Registry> {
  const storage = options.storage ?? join(dir, 'storage');
  mkdirSync(storage, { recursive: true });
  const host = options.address ?? `127.0.0.1:${await freePort()}`;
  const config = join(dir, 'config.yml');
  writeFileSync(
    config,
    [
      'version: 0.1',
      'log:',
      '  level: warn',
      'storage:',
      '  filesystem:',
      `    rootdirectory: ${storage}`,
      '  delete:',
      '    enabled: true',
      'http:',
      `  addr: ${host}`,
      ...(options.tls ? ['  tls:', `    certificate: ${options.tls.certificate}`, `    key: ${options.tls.key}`] : []),
      '',
    ].join('\n'),
  );
  const logFile = join(dir, 'registry.log');
  const child = startLogged('docker-registry', ['serve', config], logFile);
  const stop = async (): Promise<void> => {
    await stopChild(child);
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    await waitUntil(async () => {
      if (child.exitCode !== null) throw new Error(`docker-registry exited ${child.exitCode}:\n${tail(logFile)}`);
      return (await registryAnswers(host, options.tls !== undefined)) === 200;
    }, `the registry on ${host}`);
  } catch (error) {
    await stop();
    throw error;
  }
  return { host, dir, stop };
}

/** GET /v2/'s status, 0 when nothing answers. Over TLS the certificate is not checked: this only waits for the port. */
async function registryAnswers(host: string, tls: boolean): Promise<number> {
  if (!tls) {
    try {
      return (await fetch(`http://${host}/v2/`, { signal: AbortSignal.timeout(1000) })).status;
    } catch {
      return 0;
    }
  }
  return new Promise((resolve) => {
    const request = httpsRequest(`https://${host}/v2/`, { rejectUnauthorized: false, timeout: 1000 }, (response) => {
      response.resume();
      resolve(response.statusCode ?? 0);
    });
    request.on('error', () => resolve(0));
    request.on('timeout', () => request.destroy());
    request.end();
  });
}

/**
 * Where a builder whose mirror is this registry looks an image up: docker.io/library/golang:X
 * is asked for as REGISTRY/library/golang:X, gcr.io/distroless/static-debian12:nonroot as
 * REGISTRY/distroless/static-debian12:nonroot.
 */
function mirrorPath(image: string): string {
  const [first, ...rest] = image.split('/');
  const hasRegistry = rest.length > 0 && first !== undefined && (first.includes('.') || first.includes(':') || first === 'localhost');
  const path = hasRegistry ? rest.join('/') : image;
  return path.includes('/') ? path : `library/${path}`;
}

/** The registries whose images the mirror config sends to our registry. */
const MIRRORED_REGISTRIES = ['docker.io', 'gcr.io'] as const;

export interface PushOptions {
  /** Only these images (local names, e.g. golang:1.26-bookworm); default every stand-in. */
  only?: string[];
  /**
   * Where a copy of the registry's storage is kept after a push, keyed by the images' IDs: a
   * later push of the same stand-ins copies it in instead (docker push recompresses every
   * layer for a registry it has not seen, about 30 s for the golang image on 2 cores).
   */
  cacheDir?: string;
}

/** The registry's storage folder, as docker-registry lays it out below its root directory. */
const storageOf = (registry: Registry): string => join(registry.dir, 'storage', 'docker');

/**
 * Pushes stand-in images of the harness's engine (label create-go-docker.standin) to the
 * registry under their mirror paths. Returns the pushed references. The engine treats
 * 127.0.0.0/8 as an insecure registry by default, so plain HTTP works without daemon config.
 */
export async function pushStandIns(
  docker: string,
  registry: Registry,
  log: (line: string) => void = console.log,
  options: PushOptions = {},
): Promise<string[]> {
  const listed = await execute(docker, [
    'images',
    '--filter',
    'label=create-go-docker.standin',
    '--format',
    '{{.Repository}}:{{.Tag}} {{.ID}}',
  ]);
  if (listed.code !== 0) throw new Error(`docker images: ${listed.stderr}`);
  const images = listed.stdout
    .split('\n')
    .map((line) => line.split(' ') as [string, string])
    .filter(([name]) => name && !name.endsWith(':<none>') && (!options.only || options.only.includes(name)))
    .sort(([a], [b]) => a.localeCompare(b));
  if (options.only) {
    const missing = options.only.filter((name) => !images.some(([image]) => image === name));
    if (missing.length > 0) throw new Error(`no stand-in image ${missing.join(', ')} in the engine`);
  }
  const pushed = images.map(([image]) => `${registry.host}/${mirrorPath(image)}`);
  const key = createHash('sha256')
    .update(images.map(([image, id]) => `${image}=${id}`).join('\n'))
    .digest('hex')
    .slice(0, 16);
  const cached = options.cacheDir ? join(options.cacheDir, `registry-standins-${key}`) : undefined;
  if (cached && existsSync(cached)) {
    // Blobs and repository links are plain files, independent of the registry's address.
    cpSync(cached, storageOf(registry), { recursive: true });
    log(`registry: stand-ins copied in from ${cached} (same image IDs as when pushed)`);
    return pushed;
  }
  for (const [index, [image]] of images.entries()) {
    const target = pushed[index]!;
    const started = process.hrtime.bigint();
    await pushAs(docker, image, target);
    log(`registry: pushed ${image} as ${target} (${(Number(process.hrtime.bigint() - started) / 1e9).toFixed(1)} s)`);
  }
  if (cached && options.cacheDir) {
    // The e2e suite and the benchmark push different sets; older sets (stand-ins rebuilt, or
    // another set) beyond the newest three go, as each copy is a few hundred MB.
    const sets = readdirSync(options.cacheDir)
      .filter((name) => /^registry-standins-[0-9a-f]+$/.test(name))
      .map((name) => join(options.cacheDir!, name))
      .sort((a, b) => statSync(b).mtimeMs - statSync(a).mtimeMs);
    for (const old of sets.slice(2)) rmSync(old, { recursive: true, force: true });
    cpSync(storageOf(registry), `${cached}.tmp`, { recursive: true });
    renameSync(`${cached}.tmp`, cached);
  }
  return pushed;
}

/**
 * The engine's image pushed under another name, then untagged: the engine may be the user's own,
 * and the name holds a port that will be gone.
 */
export async function pushAs(docker: string, image: string, target: string): Promise<void> {
  for (const args of [
    ['tag', image, target],
    ['push', target],
  ]) {
    const result = await execute(docker, args);
    if (result.code !== 0) throw new Error(`docker ${args.join(' ')} failed:\n${result.stdout}${result.stderr}`);
  }
  await execute(docker, ['rmi', target]);
}

export interface Buildkitd {
  /** unix://... for buildctl --addr and buildx's remote driver. */
  addr: string;
  root: string;
  logFile: string;
  stop(): Promise<void>;
}

/** buildkitd.toml: OCI worker only, the stand-in registry as the mirror of docker.io and gcr.io. */
function buildkitdConfig(registry: Registry): string {
  const lines = [
    '# Generated by the create-go-docker e2e harness.',
    '[worker.oci]',
    '  enabled = true',
    '[worker.containerd]',
    '  enabled = false',
  ];
  for (const name of MIRRORED_REGISTRIES) lines.push(`[registry."${name}"]`, `  mirrors = ["${registry.host}"]`);
  // The registry speaks plain HTTP on loopback.
  lines.push(`[registry."${registry.host}"]`, '  http = true', '  insecure = true', '');
  return lines.join('\n');
}

/**
 * A builder with a new, empty state directory: what a fresh CI runner has (options.config: the
 * buildkitd.toml text to use instead of the harness's own). RUN steps use the
 * host's network (--oci-worker-net=host), so they reach the module proxy on 127.0.0.1 without
 * the network.host entitlement. stop() kills it and removes its state.
 */
export async function startBuildkitd(
  tools: BuildkitTools,
  registry: Registry,
  log: (line: string) => void = console.log,
  options: { config?: string } = {},
): Promise<Buildkitd> {
  const dir = mkdtempSync(join(tmpdir(), 'cgd-buildkitd-'));
  const root = join(dir, 'root');
  const config = join(dir, 'buildkitd.toml');
  writeFileSync(config, options.config ?? buildkitdConfig(registry));
  const addr = `unix://${join(dir, 'buildkitd.sock')}`;
  const logFile = join(dir, 'buildkitd.log');
  const child = startLogged(tools.buildkitd, ['--root', root, '--addr', addr, '--config', config, '--oci-worker-net=host'], logFile);
  const stop = async (): Promise<void> => {
    await stopChild(child);
    // A killed builder can leave its snapshot mounts behind; rm -rf would fail on them.
    const mounts = readFileSync('/proc/self/mounts', 'utf8')
      .split('\n')
      .map((line) => line.split(' ')[1] ?? '')
      .filter((mountPoint) => mountPoint.startsWith(`${dir}/`))
      .reverse();
    for (const mountPoint of mounts) spawnSync('umount', ['-l', mountPoint]);
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    await waitUntil(async () => {
      if (child.exitCode !== null) throw new Error(`buildkitd exited ${child.exitCode}:\n${tail(logFile)}`);
      return (await execute(tools.buildctl, ['--addr', addr, 'debug', 'workers'], { timeoutMs: 5000 })).code === 0;
    }, `buildkitd on ${addr}`);
  } catch (error) {
    await stop();
    throw error;
  }
  log(`buildkitd: started (state ${root})`);
  return { addr, root, logFile, stop };
}

type BuildOutput =
  | { type: 'image'; name: string; push: boolean }
  /** An OCI layout tarball: the image without a registry or an engine. */
  | { type: 'oci'; dest: string };

export interface BuildctlOptions {
  /** The build context folder. */
  context: string;
  /** The Dockerfile; default CONTEXT/Dockerfile. */
  dockerfile?: string;
  buildArgs?: Record<string, string>;
  secrets?: Array<{ id: string; src: string }>;
  target?: string;
  /** Target platforms (--opt platform=...); default: the builder's own. */
  platforms?: string[];
  /** Registry cache references to import (type=registry). */
  importCache?: string[];
  /** A registry cache reference to export with mode=max (every stage's layers, not just the final image's). */
  exportCache?: string;
  /** The exported cache's layer compression; BuildKit's default is gzip. */
  cacheCompression?: 'gzip' | 'zstd';
  /** Where the image goes; none by default (the build result only stays in the builder). */
  output?: BuildOutput;
  noCache?: boolean;
  timeoutMs?: number;
}

export interface BuildResult extends CommandResult {
  /** buildctl's plain progress output. */
  log: string;
  steps: BuildStep[];
  /** RUN steps that ran a process here: neither CACHED nor loaded from an imported cache. */
  executedRuns: string[];
}

/**
 * RUN steps a build executed. A step found in the builder's own cache prints "#N CACHED"; one
 * loaded from an imported registry cache prints no CACHED line but the pulls of its layers
 * ("#N sha256:... done", "#N extracting sha256:..."), and no process output ("#N 0.057 ...").
 * A step that ran and printed nothing counts as executed, which errs on the safe side.
 */
export function executedRunSteps(log: string): string[] {
  const lines = log.split('\n');
  return parseBuildSteps(log)
    .filter((step) => /\] RUN /.test(step.name) && !step.cached)
    .filter((step) => {
      const own = lines.filter((line) => line.startsWith(`#${step.id} `));
      const pulled = own.some((line) => /^#\d+ (extracting )?sha256:[0-9a-f]{64}\b/.test(line));
      const ranProcess = own.some((line) => /^#\d+ \d+\.\d+ /.test(line));
      return ranProcess || !pulled;
    })
    .map((step) => step.name);
}

/** The buildctl command line for a dockerfile.v0 build; exported so a failure message can print it. */
function buildctlArgs(daemon: Buildkitd, options: BuildctlOptions): string[] {
  const dockerfile = options.dockerfile ?? join(options.context, 'Dockerfile');
  const args = ['--addr', daemon.addr, 'build', '--progress=plain', '--frontend', 'dockerfile.v0'];
  args.push(
    '--local',
    `context=${options.context}`,
    '--local',
    `dockerfile=${dirname(dockerfile)}`,
    '--opt',
    `filename=${basename(dockerfile)}`,
  );
  for (const [name, value] of Object.entries(options.buildArgs ?? {})) args.push('--opt', `build-arg:${name}=${value}`);
  for (const secret of options.secrets ?? []) args.push('--secret', `id=${secret.id},src=${secret.src}`);
  if (options.target) args.push('--opt', `target=${options.target}`);
  if (options.platforms) args.push('--opt', `platform=${options.platforms.join(',')}`);
  if (options.noCache) args.push('--no-cache');
  for (const ref of options.importCache ?? []) args.push('--import-cache', `type=registry,ref=${ref}`);
  if (options.exportCache)
    args.push(
      '--export-cache',
      `type=registry,ref=${options.exportCache},mode=max${options.cacheCompression ? `,compression=${options.cacheCompression}` : ''}`,
    );
  const output = options.output;
  if (output?.type === 'image') args.push('--output', `type=image,name=${output.name},push=${output.push}`);
  if (output?.type === 'oci') args.push('--output', `type=oci,dest=${output.dest}`);
  return args;
}

/** One build through buildctl; never throws for a failed build (callers assert on code and log). */
export async function buildctlBuild(tools: BuildkitTools, daemon: Buildkitd, options: BuildctlOptions): Promise<BuildResult> {
  const result = await execute(tools.buildctl, buildctlArgs(daemon, options), { timeoutMs: options.timeoutMs ?? 20 * 60_000 });
  const log = `${result.stdout}${result.stderr}`;
  return { ...result, log, steps: parseBuildSteps(log), executedRuns: executedRunSteps(log) };
}

export interface Buildx {
  /** The builder's name in this isolated buildx config. */
  builder: string;
  /** Runs `buildx --builder NAME ARGS...` with the isolated config. */
  run(args: string[], options?: { cwd?: string; env?: Record<string, string> }): Promise<CommandResult>;
  /** Removes the isolated config (the buildkitd is the caller's to stop). */
  remove(): void;
}

/**
 * buildx with its own BUILDX_CONFIG and DOCKER_CONFIG (nothing of the user's is read or
 * changed), and a builder of the `remote` driver pointed at a buildkitd socket.
 */
export async function createBuildx(tools: BuildkitTools, daemon: Buildkitd): Promise<Buildx> {
  const dir = mkdtempSync(join(tmpdir(), 'cgd-buildx-'));
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    BUILDX_CONFIG: join(dir, 'buildx'),
    DOCKER_CONFIG: join(dir, 'docker'),
    BUILDX_NO_DEFAULT_ATTESTATIONS: '1',
  };
  const builder = 'cgd-remote';
  const created = await execute(tools.buildx, ['create', '--name', builder, '--driver', 'remote', daemon.addr], { env });
  if (created.code !== 0) {
    rmSync(dir, { recursive: true, force: true });
    throw new Error(`buildx create --driver remote failed:\n${created.stdout}${created.stderr}`);
  }
  return {
    builder,
    run: (args, options = {}) =>
      execute(tools.buildx, ['--builder', builder, ...args], { env: { ...env, ...options.env }, cwd: options.cwd, timeoutMs: 10 * 60_000 }),
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}
