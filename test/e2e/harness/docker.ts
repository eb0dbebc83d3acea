// Building, running and inspecting images the way a user would, plus the checks that read
// BuildKit's progress output and the image's layers. Everything is asynchronous so the
// servers of a harness running in the same process keep answering during a build.
import { spawn } from 'node:child_process';
import { closeSync, cpSync, existsSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FIXTURES, REPO_ROOT } from './index.js';

export interface CommandResult {
  code: number;
  stdout: string;
  stderr: string;
  seconds: number;
}

/** Runs a shell command line (as a user pastes it) without blocking the event loop. */
export function shell(commandLine: string, options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): Promise<CommandResult> {
  return execute('bash', ['-c', commandLine], options);
}

export function execute(
  command: string,
  args: string[],
  options: { cwd?: string; env?: NodeJS.ProcessEnv; timeoutMs?: number } = {},
): Promise<CommandResult> {
  const started = process.hrtime.bigint();
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: options.cwd, env: options.env ?? process.env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = options.timeoutMs ? setTimeout(() => child.kill('SIGKILL'), options.timeoutMs) : undefined;
    child.on('error', reject);
    child.on('close', (code) => {
      if (timer) clearTimeout(timer);
      resolve({ code: code ?? 1, stdout, stderr, seconds: Number(process.hrtime.bigint() - started) / 1e9 });
    });
  });
}

/** A private copy of a fixture, its go/toolchain lines set to this machine's Go version. */
export function copyFixture(name: string, goVersion: string): string {
  const dir = mkdtempSync(join(tmpdir(), `cgd-${name}-`));
  cpSync(join(FIXTURES, name), dir, { recursive: true });
  const goModPath = join(dir, 'go.mod');
  const minor = goVersion.split('.').slice(0, 2).join('.');
  const goMod = readFileSync(goModPath, 'utf8')
    .replace(/^go \S+$/m, `go ${minor}`)
    .replace(/^toolchain \S+$/m, `toolchain go${goVersion}`);
  writeFileSync(goModPath, goMod);
  // A pinned .go-version names the Go the stand-in builder has.
  if (existsSync(join(dir, '.go-version'))) writeFileSync(join(dir, '.go-version'), `${goVersion}\n`);
  return dir;
}

export interface GenerateSummary {
  buildCommand: string;
  buildCommandHere: string;
  notes: string[];
  targetBuildCommands: string[];
  runCommand: string;
  nextSteps: string[];
  warnings: string[];
  files: Array<{ path: string; action: string }>;
}

/** Runs the published entry point with flags only, as CI would. */
/** env: variables added to this process's (HOME, whose ~/.ssh/known_hosts --auth ssh reads). */
export async function generate(
  dir: string,
  flags: string[],
  env: NodeJS.ProcessEnv = {},
): Promise<{ result: CommandResult; summary?: GenerateSummary }> {
  const result = await execute(process.execPath, [join(REPO_ROOT, 'index.js'), dir, '--yes', '--json', ...flags], {
    env: { ...process.env, ...env },
  });
  return { result, summary: result.code === 0 ? (JSON.parse(result.stdout) as GenerateSummary) : undefined };
}

/**
 * The printed `docker build` command with what only this offline machine needs: its own tag
 * (never overwriting a user's image), plain progress to read the steps, the host network
 * (no bridge here), the private host's address, and the local module proxy.
 */
export function localBuildCommand(printed: string, tag: string, extraArguments: string[]): string {
  if (!printed.startsWith('docker build ')) throw new Error(`unexpected build command: ${printed}`);
  const retagged = printed.replace(/ -t \S+/, ` -t ${tag}`);
  if (retagged === printed) throw new Error(`build command has no -t: ${printed}`);
  return retagged.replace(/^docker build /, `docker build ${extraArguments.join(' ')} `);
}

export interface BuildStep {
  id: number;
  name: string;
  cached: boolean;
}

/** Steps from BuildKit's --progress=plain output: "#8 [build 4/6] RUN ...", then "#8 CACHED". */
export function parseBuildSteps(output: string): BuildStep[] {
  const steps = new Map<number, BuildStep>();
  for (const line of output.split('\n')) {
    const named = /^#(\d+) \[([^\]]+)\] (.*)$/.exec(line);
    if (named) {
      const id = Number(named[1]);
      if (!steps.has(id)) steps.set(id, { id, name: `[${named[2]}] ${named[3]}`, cached: false });
      continue;
    }
    const cached = /^#(\d+) CACHED$/.exec(line);
    if (cached) {
      const step = steps.get(Number(cached[1]));
      if (step) step.cached = true;
    }
  }
  return [...steps.values()];
}

export function findStep(steps: BuildStep[], pattern: RegExp): BuildStep {
  const matches = steps.filter((step) => pattern.test(step.name));
  if (matches.length !== 1)
    throw new Error(`expected one build step matching ${pattern}, found ${matches.length}:\n${steps.map((step) => step.name).join('\n')}`);
  return matches[0]!;
}

export interface ImageConfig {
  Id: string;
  Size: number;
  Config: { User: string; Entrypoint: string[] | null; Cmd: string[] | null; ExposedPorts?: Record<string, object>; Env: string[] };
}

export async function inspectImage(docker: string, tag: string): Promise<ImageConfig> {
  const result = await execute(docker, ['image', 'inspect', tag]);
  if (result.code !== 0) throw new Error(`docker image inspect ${tag}: ${result.stderr}`);
  return (JSON.parse(result.stdout) as ImageConfig[])[0]!;
}

/**
 * Where any of the secrets appears in the image: its history, its config, or the bytes of
 * `docker save` (layers are uncompressed tars there, so a plain byte search finds files).
 */
export async function findSecretsInImage(docker: string, tag: string, secrets: string[]): Promise<string[]> {
  const found: string[] = [];
  const history = await execute(docker, ['history', '--no-trunc', '--format', '{{.CreatedBy}}', tag]);
  const config = await execute(docker, ['image', 'inspect', tag]);
  for (const secret of secrets) {
    if (history.stdout.includes(secret)) found.push(`history: ${secret}`);
    if (config.stdout.includes(secret)) found.push(`image config: ${secret}`);
  }
  const needles = secrets.map((secret) => Buffer.from(secret));
  const longest = Math.max(...needles.map((needle) => needle.length));
  await new Promise<void>((resolve, reject) => {
    const save = spawn(docker, ['save', tag], { stdio: ['ignore', 'pipe', 'inherit'] });
    let tail = Buffer.alloc(0);
    save.stdout.on('data', (chunk: Buffer) => {
      const window = Buffer.concat([tail, chunk]);
      needles.forEach((needle, index) => {
        if (window.includes(needle) && !found.includes(`docker save: ${secrets[index]}`)) found.push(`docker save: ${secrets[index]}`);
      });
      tail = window.subarray(Math.max(0, window.length - longest));
    });
    save.on('error', reject);
    save.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`docker save ${tag} exited ${code}`))));
  });
  return found;
}

/** GETs a URL until the server answers (it may still be starting), for up to ~10 s. */
export async function httpGet(url: string): Promise<{ status: number; body: string }> {
  let lastError: unknown;
  for (let attempt = 0; attempt < 100; attempt++) {
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(2000) });
      return { status: response.status, body: await response.text() };
    } catch (error) {
      lastError = error;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  throw new Error(`no answer from ${url}: ${String(lastError)}`);
}

export interface ScratchDockerd {
  /** 0 when dockerd answered, else its exit code or -1 (no answer in time). */
  code: number;
  /** dockerd's log: why it refused to start. */
  log: string;
  /** `docker info` while it ran (empty when it never answered). */
  info: string;
}

/**
 * Starts a second dockerd with a daemon.json (and environment) in a scratch root, asks it for
 * `docker info`, and stops it: the engine itself is the judge of the file. Its own data and exec
 * roots, socket and pidfile; vfs (no mounts to leave behind), no bridge, no iptables.
 */
export async function startScratchDockerd(docker: string, daemonJson: string, env: Record<string, string> = {}): Promise<ScratchDockerd> {
  const root = mkdtempSync(join(tmpdir(), 'cgd-dockerd-'));
  const socket = `unix://${join(root, 'docker.sock')}`;
  const logFile = join(root, 'dockerd.log');
  const out = openSync(logFile, 'a');
  const args = [
    ...['--config-file', daemonJson, '--data-root', join(root, 'data'), '--exec-root', join(root, 'exec')],
    ...['--pidfile', join(root, 'dockerd.pid'), '--host', socket, '--storage-driver=vfs', '--bridge=none', '--iptables=false'],
  ];
  const child = spawn('dockerd', args, { stdio: ['ignore', out, out], env: { ...process.env, ...env } });
  closeSync(out);
  // Set by the exit handler: an object, so the checks below are not narrowed to its first value.
  const state: { exitCode: number | null } = { exitCode: null };
  const exited = new Promise<void>((resolve) =>
    child.once('exit', (code) => {
      state.exitCode = code ?? 1;
      resolve();
    }),
  );
  let info = '';
  try {
    for (let attempt = 0; attempt < 120 && state.exitCode === null && info === ''; attempt++) {
      const answered = await execute(docker, ['-H', socket, 'info'], { timeoutMs: 5000 });
      if (answered.code === 0) info = answered.stdout;
      else await new Promise((resolve) => setTimeout(resolve, 500));
    }
  } finally {
    if (state.exitCode === null) {
      child.kill('SIGTERM');
      const stopped = await Promise.race([
        exited.then(() => true),
        new Promise<boolean>((resolve) => setTimeout(() => resolve(false), 20_000)),
      ]);
      if (!stopped) child.kill('SIGKILL');
    }
  }
  const log = readFileSync(logFile, 'utf8');
  rmSync(root, { recursive: true, force: true });
  return { code: info !== '' ? 0 : (state.exitCode ?? -1), log, info };
}
