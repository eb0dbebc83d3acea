// What this machine's Docker can build, so the printed command works where it is printed: the
// Dockerfile needs BuildKit (cache, secret and ssh mounts). Engine 23+ builds with BuildKit
// through the buildx plugin; older engines need DOCKER_BUILDKIT=1 unless their daemon.json
// turns BuildKit on. Read with `docker version`, `docker buildx version` and the daemon's
// /_ping (its Builder-Version header), each within a short timeout; no Docker is no error.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createConnection } from 'node:net';
import { MACHINE_DAEMON_JSON } from '../plan/paths.js';

export interface DockerEnvironment {
  clientVersion?: string;
  serverVersion?: string;
  buildx: boolean;
  /** The daemon's default builder: "2" is BuildKit, "1" the classic builder. */
  builderVersion?: string;
  /** Docker Desktop: its engine is configured in Settings > Docker Engine, not /etc/docker. */
  desktop: boolean;
  /** Whether this machine has /etc/docker/daemon.json (Linux engines): install it, or merge into it. */
  machineDaemonJson?: 'present' | 'missing';
}

/**
 * Runs docker and gives its exit code and stdout, or undefined when there is no docker. stdin
 * and stderr are not connected (nothing is written to docker, and its errors are not read):
 * fewer pipes to make on every run. Killed after 3 s (a hung daemon), which counts as failing.
 */
function run(command: string, args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number; stdout: string } | undefined> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { env, timeout: 3000, stdio: ['ignore', 'pipe', 'ignore'] });
    let stdout = '';
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      // docker's answers are a line; more than execFile's 1 MiB buffer is not docker.
      if (stdout.length > 1024 * 1024) child.kill();
      else stdout += chunk;
    });
    child.on('error', (error: NodeJS.ErrnoException) => resolve(error.code === 'ENOENT' ? undefined : { code: 1, stdout }));
    child.on('close', (code) => resolve({ code: code ?? 1, stdout }));
  });
}

/**
 * The daemon's Builder-Version header from GET /_ping on its Unix socket. One HTTP/1.0 request
 * written on a plain socket: node:http's client would add about 6 ms of module loading to every
 * run for one header.
 */
export function ping(env: NodeJS.ProcessEnv): Promise<string | undefined> {
  const host = env.DOCKER_HOST ?? 'unix:///var/run/docker.sock';
  if (!host.startsWith('unix://')) return Promise.resolve(undefined);
  return new Promise((resolve) => {
    let head = '';
    const socket = createConnection(host.slice('unix://'.length));
    const finish = (): void => {
      socket.destroy();
      const headers = head.split('\r\n\r\n')[0] ?? '';
      resolve(/^HTTP\/1\.[01] 200 /.test(headers) ? /^builder-version:[ \t]*(\S+)[ \t]*$/im.exec(headers)?.[1] : undefined);
    };
    socket.setTimeout(2000, finish);
    socket.on('connect', () => socket.write('GET /_ping HTTP/1.0\r\nHost: docker\r\n\r\n'));
    socket.on('data', (chunk: Buffer) => {
      head += chunk.toString('latin1');
      if (head.includes('\r\n\r\n') || head.length > 16_384) finish();
    });
    socket.on('error', () => resolve(undefined));
    socket.on('end', finish);
  });
}

export async function probeDocker(env: NodeJS.ProcessEnv = process.env): Promise<DockerEnvironment | undefined> {
  const [version, buildx, builderVersion] = await Promise.all([
    run('docker', ['version', '--format', '{{.Client.Version}}|{{.Server.Version}}|{{.Server.Platform.Name}}'], env),
    run('docker', ['buildx', 'version'], env),
    ping(env),
  ]);
  if (!version) return undefined;
  const [client, server, platform] = version.stdout.trim().split('|');
  const environment: DockerEnvironment = { buildx: buildx?.code === 0, desktop: /Docker Desktop/i.test(platform ?? '') };
  if (client) environment.clientVersion = client;
  if (server && /^\d/.test(server)) environment.serverVersion = server;
  if (builderVersion) environment.builderVersion = builderVersion;
  // Reading whether it exists only: create-go-docker never writes /etc.
  if (!environment.desktop && process.platform === 'linux')
    environment.machineDaemonJson = existsSync(MACHINE_DAEMON_JSON) ? 'present' : 'missing';
  return environment;
}

/** Whether the engine is Docker Desktop's: asked of docker, else what macOS and Windows have. */
export async function isDockerDesktop(
  io: { probeDocker?: () => Promise<DockerEnvironment | undefined> },
  docker?: DockerEnvironment,
): Promise<boolean> {
  const environment = docker ?? (io.probeDocker ? await io.probeDocker().catch(() => undefined) : undefined);
  return environment ? environment.desktop : process.platform === 'darwin' || process.platform === 'win32';
}

function major(version: string | undefined): number {
  return Number(/^(\d+)/.exec(version ?? '')?.[1] ?? 0);
}

export interface CommandAdvice {
  /** How to run `command` on this machine. */
  command: (command: string) => string;
  /** One line on why, when the command differs or cannot work as it is. */
  why?: string;
}

/** How the build commands must be run here, given what docker says (undefined: no docker found). */
export function adviseBuildCommand(docker: DockerEnvironment | undefined, env: NodeJS.ProcessEnv, multiPlatform: boolean): CommandAdvice {
  const same: CommandAdvice = { command: (command) => command };
  if (!docker) {
    return {
      ...same,
      why:
        'docker was not found here; the build needs BuildKit: Docker Engine 23+ with the buildx plugin, or ' +
        'DOCKER_BUILDKIT=1 before docker build on older engines.',
    };
  }
  if (major(docker.clientVersion) >= 23) {
    if (docker.buildx) return same;
    return {
      ...same,
      why:
        `docker ${docker.clientVersion} has no buildx plugin, so docker build falls back to the legacy builder, ` +
        `which cannot build this Dockerfile: install it (Debian: apt-get install docker-buildx; Docker's packages: docker-buildx-plugin).`,
    };
  }
  if (multiPlatform && !docker.buildx) {
    return {
      ...same,
      why:
        `several platforms need docker buildx, which docker ${docker.clientVersion ?? ''} does not have here: ` +
        `install the buildx plugin.`,
    };
  }
  if (env.DOCKER_BUILDKIT === '1' || docker.builderVersion === '2' || multiPlatform) return same;
  return {
    command: (command) => (command.startsWith('docker build ') ? `DOCKER_BUILDKIT=1 ${command}` : command),
    why:
      `Docker ${docker.serverVersion ?? docker.clientVersion} builds with the classic builder unless ` +
      `DOCKER_BUILDKIT=1 (or "features": {"buildkit": true} in daemon.json); this Dockerfile needs BuildKit for its cache, ` +
      `secret and ssh mounts.`,
  };
}
