// Sets up everything a real build needs on an offline machine, shared by the e2e suite and
// `npm run bench:build`: a Docker engine, stand-in base images, a module proxy holding the
// fixtures' public modules, and the private git host (HTTPS with a test CA, and SSH).
import { spawnSync } from 'node:child_process';
import { createHmac, randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  addHostsEntry,
  makeBareRepository,
  makeTestCa,
  run,
  startGitHttpsServer,
  startGitSshServer,
  startModuleProxy,
  PRIVATE_HOST,
  type GitHttpsServer,
  type GitSshServer,
  type ModuleProxy,
  type TestCa,
} from './servers.js';

export const REPO_ROOT = join(import.meta.dirname, '..', '..', '..');
export const FIXTURES = join(REPO_ROOT, 'test', 'fixtures');
const HARNESS = import.meta.dirname;

/** Where slow-to-make things (debootstrap tarballs, the module cache) are kept between runs. */
export const CACHE_DIR = process.env.CGD_E2E_CACHE ?? join(homedir(), '.cache', 'create-go-docker-e2e');

export interface Harness {
  /** The docker client that matches the engine. */
  docker: string;
  /** Directory whose `docker` is that client, to put first on PATH for printed commands. */
  binDir: string;
  engineVersion: string;
  startedEngine: boolean;
  goVersion: string;
  standIns: string;
  moduleProxy: ModuleProxy;
  ca: TestCa;
  gitUser: string;
  /** The token the HTTPS git host demands: must never reach an image or a generated file. */
  token: string;
  /** A .netrc with the token, as a user's ~/.netrc would hold it. */
  home: string;
  /** The private git host; absent when started with { privateHost: false }. */
  git?: GitHttpsServer;
  ssh?: GitSshServer;
  stop(): Promise<void>;
}

export type HarnessResult = { skip: string } | { harness: Harness };

/** Runs a harness script, streaming its lines; exit 77 means "this machine cannot". */
export function script(name: string, args: string[], log: (line: string) => void): { skip?: string; lastLine: string } {
  const result = spawnSync('bash', [join(HARNESS, name), ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  const lines = `${result.stdout}${result.stderr}`.split('\n').filter(Boolean);
  for (const line of lines) log(line);
  if (result.status === 77)
    return {
      skip:
        lines
          .find((line) => line.startsWith('SKIP:'))
          ?.slice(5)
          .trim() ?? `${name} cannot run here`,
      lastLine: '',
    };
  if (result.status !== 0) throw new Error(`${name} failed (exit ${result.status}):\n${lines.slice(-20).join('\n')}`);
  return { lastLine: result.stdout.trim().split('\n').pop() ?? '' };
}

/** Every module@version a fixture's go.sum names, except private ones. */
function publicModules(): string[] {
  const modules = new Set<string>();
  for (const fixture of readdirSync(FIXTURES)) {
    const goSum = join(FIXTURES, fixture, 'go.sum');
    if (!existsSync(goSum)) continue;
    for (const line of readFileSync(goSum, 'utf8').split('\n')) {
      const [path, version] = line.split(' ');
      if (!path || !version || path.startsWith(`${PRIVATE_HOST}/`)) continue;
      modules.add(`${path}@${version.replace(/\/go\.mod$/, '')}`);
    }
  }
  return [...modules].sort();
}

/**
 * Fills a module cache through the machine's own Go (and so its Go module proxy); its
 * cache/download folder is then served as the builds' GOPROXY. Private modules are left out
 * on purpose: a build that sends them to the proxy gets a 404 and fails.
 */
function fillModuleCache(log: (line: string) => void): string {
  const modcache = join(CACHE_DIR, 'modcache');
  const modules = publicModules();
  const missing = modules.filter((module) => {
    const [path, version] = module.split('@') as [string, string];
    const escaped = path.replace(/[A-Z]/g, (letter) => `!${letter.toLowerCase()}`);
    return !existsSync(join(modcache, 'cache', 'download', escaped, '@v', `${version}.zip`));
  });
  if (missing.length > 0) {
    log(`modules: downloading ${missing.length} of ${modules.length} public modules into ${modcache}`);
    const work = mkdtempSync(join(tmpdir(), 'cgd-modcache-'));
    run('go', ['mod', 'download', ...missing], {
      cwd: work,
      env: { ...process.env, GOMODCACHE: modcache, GOFLAGS: '-modcacherw', GO111MODULE: 'on', GOWORK: 'off' },
    });
    rmSync(work, { recursive: true, force: true });
  } else log(`modules: all ${modules.length} public modules already in ${modcache}`);
  return join(modcache, 'cache', 'download');
}

/** docker/daemon.json as create-go-docker writes it for a fixture (dist/ must be built). */
function generatedDaemonJson(state: string): string {
  const project = join(state, 'daemon-json-project');
  run('cp', ['-r', join(FIXTURES, 'service'), project]);
  run(process.execPath, [join(REPO_ROOT, 'index.js'), project, '--yes', '--json']);
  return join(project, 'docker', 'daemon.json');
}

/** Runs teardown steps, the last added first; one that fails is logged and the others still run. */
export async function tearDown(steps: Array<() => void | Promise<void>>, log: (line: string) => void): Promise<void> {
  for (const step of [...steps].reverse()) {
    try {
      await step();
    } catch (error) {
      log(`teardown: ${(error as Error).message}`);
    }
  }
}

export async function startHarness(
  log: (line: string) => void = console.log,
  options: { privateHost?: boolean } = {},
): Promise<HarnessResult> {
  const state = mkdtempSync(join(tmpdir(), 'cgd-e2e-'));
  chmodSync(state, 0o755); // the ssh server's user "git" reads its files here
  mkdirSync(CACHE_DIR, { recursive: true });
  const undo: Array<() => void | Promise<void>> = [];
  const stop = async (): Promise<void> => {
    await tearDown(undo, log);
    rmSync(state, { recursive: true, force: true });
  };
  try {
    // The engine runs with a daemon.json create-go-docker generated, which proves dockerd
    // accepts it and turns BuildKit on for the printed `docker build` commands.
    const daemonJson = generatedDaemonJson(state);
    const engine = script('engine.sh', ['start', join(state, 'engine'), daemonJson], log);
    if (engine.skip) {
      await stop();
      return { skip: engine.skip };
    }
    const docker = engine.lastLine;
    const startedEngine = existsSync(join(state, 'engine', 'dockerd.pid'));
    if (startedEngine) undo.push(() => void script('engine.sh', ['stop', join(state, 'engine')], log));
    const binDir = join(state, 'bin');
    mkdirSync(binDir);
    run('ln', ['-s', docker, join(binDir, 'docker')]);
    const engineVersion = run(docker, ['version', '--format', '{{.Server.Version}}']).trim();

    const standIns = script('standins.sh', [CACHE_DIR, docker], log);
    if (standIns.skip) {
      await stop();
      return { skip: standIns.skip };
    }

    const moduleProxy = await startModuleProxy(fillModuleCache(log));
    undo.push(() => moduleProxy.close());
    log(`modules: GOPROXY for builds is ${moduleProxy.url} (public modules only)`);

    const ca = makeTestCa(join(state, 'ca'));
    const gitUser = 'e2e';
    const token = `e2e-token-${randomBytes(12).toString('hex')}`;
    const home = join(state, 'home');
    mkdirSync(home);
    writeFileSync(join(home, '.netrc'), `machine ${PRIVATE_HOST} login ${gitUser} password ${token}\n`, { mode: 0o600 });
    const base = {
      docker,
      binDir,
      engineVersion,
      startedEngine,
      goVersion: run('go', ['env', 'GOVERSION']).trim().replace(/^go/, ''),
      standIns: standIns.lastLine,
      moduleProxy,
      ca,
      gitUser,
      token,
      home,
      stop,
    };
    if (options.privateHost === false) return { harness: base };

    const gitRoot = join(state, 'git');
    makeBareRepository(join(FIXTURES, 'private-modules', 'greet'), gitRoot, 'team/greet', 'v0.1.0');
    undo.push(addHostsEntry());
    const git = await startGitHttpsServer({ gitRoot, ca, user: gitUser, token });
    undo.push(() => git.close());
    const ssh = startGitSshServer({ dir: join(state, 'ssh'), gitRoot });
    undo.push(() => ssh.stop());
    // The developer's ~/.ssh/known_hosts after a first clone over SSH (hashed, as Debian's ssh
    // writes it): create-go-docker --auth ssh records that key, and the build trusts no other.
    mkdirSync(join(home, '.ssh'), { mode: 0o700 });
    const salt = randomBytes(20);
    const hashed = `|1|${salt.toString('base64')}|${createHmac('sha1', salt).update(PRIVATE_HOST).digest('base64')}`;
    writeFileSync(join(home, '.ssh', 'known_hosts'), `${hashed} ${ssh.hostKey}\n`);
    log(`private: https://${PRIVATE_HOST} (127.0.0.1:443, test CA, basic auth) and ssh://git@${PRIVATE_HOST} (127.0.0.1:22)`);

    return { harness: { ...base, git, ssh } };
  } catch (error) {
    await stop();
    throw error;
  }
}
