// The network the e2e builds reach on 127.0.0.1: a module proxy for public modules, a test CA,
// and a private git host (git.corp.test) over HTTPS with basic auth and over SSH.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { appendFileSync, chmodSync, createReadStream, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { join, normalize, resolve, sep } from 'node:path';

export const PRIVATE_HOST = 'git.corp.test';

/** Runs a command to completion; throws with its output when it fails. */
export function run(command: string, args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv; input?: string } = {}): string {
  const result = spawnSync(command, args, {
    cwd: options.cwd,
    env: options.env ?? process.env,
    input: options.input,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  if (result.status !== 0) {
    throw new Error(
      `${command} ${args.join(' ')} failed (${result.error?.message ?? `exit ${result.status}`}):\n${result.stdout}${result.stderr}`,
    );
  }
  return result.stdout;
}

function listen(server: Server, port: number, address = '127.0.0.1'): Promise<number> {
  return new Promise((resolveListen, reject) => {
    server.once('error', reject);
    server.listen(port, address, () => resolveListen((server.address() as AddressInfo).port));
  });
}

function close(server: Server): Promise<void> {
  server.closeAllConnections();
  return new Promise((resolveClose) => server.close(() => resolveClose()));
}

export interface ModuleProxy {
  url: string;
  /** Paths requested so far (e.g. "/github.com/google/uuid/@v/v1.6.0.zip"). */
  requests: string[];
  close(): Promise<void>;
}

/**
 * Serves a module cache's download folder, which is a valid GOPROXY. Unknown paths are 404,
 * so a build that asks it for a private module fails instead of passing unnoticed. By default
 * plain HTTP on a free loopback port; options.tls serves HTTPS (a stand-in for a public proxy).
 */
export async function startModuleProxy(
  downloadDir: string,
  options: { address?: string; port?: number; tls?: { cert: string; key: string } } = {},
): Promise<ModuleProxy> {
  const requests: string[] = [];
  const root = resolve(downloadDir);
  const handler = (request: IncomingMessage, response: ServerResponse): void => {
    const path = decodeURIComponent(new URL(request.url ?? '/', 'http://proxy').pathname);
    requests.push(path);
    const file = normalize(join(root, path));
    if (!file.startsWith(root + sep) || !existsSync(file) || !statSync(file).isFile()) {
      response.writeHead(404).end('not found\n');
      return;
    }
    response.writeHead(200, { 'content-length': statSync(file).size });
    createReadStream(file).pipe(response);
  };
  const { address = '127.0.0.1', tls } = options;
  const server = tls ? createHttpsServer({ cert: readFileSync(tls.cert), key: readFileSync(tls.key) }, handler) : createHttpServer(handler);
  const port = await listen(server, options.port ?? 0, address);
  return { url: `${tls ? 'https' : 'http'}://${address}:${port}`, requests, close: () => close(server) };
}

export interface TestCa {
  /** The CA certificate (PEM): what a build must be given with --ca-cert. */
  caCert: string;
  serverCert: string;
  serverKey: string;
}

/** A throwaway CA and a server certificate for the private git host (or for other names). */
export function makeTestCa(dir: string, names: string[] = [PRIVATE_HOST]): TestCa {
  mkdirSync(dir, { recursive: true });
  const caKey = join(dir, 'ca.key');
  const caCert = join(dir, 'corp-root-ca.pem');
  const serverKey = join(dir, 'server.key');
  const serverCsr = join(dir, 'server.csr');
  const serverCert = join(dir, 'server.pem');
  const extensions = join(dir, 'server.ext');
  run('openssl', [
    'req',
    '-x509',
    '-newkey',
    'ec',
    '-pkeyopt',
    'ec_paramgen_curve:prime256v1',
    '-nodes',
    '-keyout',
    caKey,
    '-out',
    caCert,
    '-days',
    '7',
    '-subj',
    '/CN=create-go-docker e2e test root CA',
    '-addext',
    'basicConstraints=critical,CA:TRUE',
    '-addext',
    'keyUsage=critical,keyCertSign,cRLSign',
  ]);
  run('openssl', [
    'req',
    '-newkey',
    'ec',
    '-pkeyopt',
    'ec_paramgen_curve:prime256v1',
    '-nodes',
    '-keyout',
    serverKey,
    '-out',
    serverCsr,
    '-subj',
    `/CN=${names[0]}`,
  ]);
  const altNames = names.map((name) => `DNS:${name}`).join(',');
  writeFileSync(extensions, `subjectAltName=${altNames}\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n`);
  run('openssl', [
    'x509',
    '-req',
    '-in',
    serverCsr,
    '-CA',
    caCert,
    '-CAkey',
    caKey,
    '-CAcreateserial',
    '-out',
    serverCert,
    '-days',
    '7',
    '-extfile',
    extensions,
  ]);
  return { caCert, serverCert, serverKey };
}

/** A bare repository with one commit of sourceDir, tagged; returns the repository's path. */
export function makeBareRepository(sourceDir: string, gitRoot: string, repositoryPath: string, tag: string): string {
  const bare = join(gitRoot, repositoryPath);
  const work = `${bare}.work`;
  mkdirSync(work, { recursive: true });
  run('cp', ['-r', `${sourceDir}/.`, work]);
  const env = {
    ...process.env,
    GIT_AUTHOR_NAME: 'e2e',
    GIT_AUTHOR_EMAIL: 'e2e@corp.test',
    GIT_COMMITTER_NAME: 'e2e',
    GIT_COMMITTER_EMAIL: 'e2e@corp.test',
    GIT_AUTHOR_DATE: '2026-01-01T00:00:00Z',
    GIT_COMMITTER_DATE: '2026-01-01T00:00:00Z',
  };
  run('git', ['init', '-q', '-b', 'main'], { cwd: work, env });
  run('git', ['add', '-A'], { cwd: work, env });
  run('git', ['commit', '-q', '-m', 'private module'], { cwd: work, env });
  run('git', ['tag', tag], { cwd: work, env });
  run('git', ['clone', '-q', '--bare', work, bare], { env });
  run('rm', ['-rf', work]);
  return bare;
}

export interface GitHttpsServer {
  /** Upload-pack requests that carried the right credentials. */
  authenticatedFetches: number;
  /** Requests refused for missing or wrong credentials. */
  refused: number;
  close(): Promise<void>;
}

/**
 * The private git host over HTTPS on 127.0.0.1:443, with the test CA's certificate. Like
 * GitHub and GitLab it answers Go's ?go-get=1 discovery without credentials (Go does not send
 * .netrc there over plain lookups) and demands basic auth for the repository itself, which it
 * serves with `git http-backend`.
 */
export async function startGitHttpsServer(options: { gitRoot: string; ca: TestCa; user: string; token: string }): Promise<GitHttpsServer> {
  const state: GitHttpsServer = { authenticatedFetches: 0, refused: 0, close: async () => {} };
  const expected = `Basic ${Buffer.from(`${options.user}:${options.token}`).toString('base64')}`;
  const handler = (request: IncomingMessage, response: ServerResponse): void => {
    const url = new URL(request.url ?? '/', `https://${PRIVATE_HOST}`);
    if (url.searchParams.get('go-get') === '1') {
      const root = url.pathname.split('/').filter(Boolean).slice(0, 2).join('/');
      response.writeHead(200, { 'content-type': 'text/html' });
      response.end(
        `<html><head><meta name="go-import" content="${PRIVATE_HOST}/${root} git https://${PRIVATE_HOST}/${root}"></head></html>\n`,
      );
      return;
    }
    if (request.headers.authorization !== expected) {
      state.refused++;
      response.writeHead(401, { 'www-authenticate': 'Basic realm="corp git"' }).end('authentication required\n');
      return;
    }
    if (url.pathname.endsWith('/git-upload-pack')) state.authenticatedFetches++;
    const child = spawn('git', ['http-backend'], {
      env: {
        ...process.env,
        GIT_PROJECT_ROOT: options.gitRoot,
        GIT_HTTP_EXPORT_ALL: '1',
        // The SSH host's user "git" owns the repositories; this server runs as root, which
        // git refuses ("dubious ownership") unless told the directory is safe.
        GIT_CONFIG_COUNT: '1',
        GIT_CONFIG_KEY_0: 'safe.directory',
        GIT_CONFIG_VALUE_0: '*',
        PATH_INFO: url.pathname,
        QUERY_STRING: url.search.slice(1),
        REQUEST_METHOD: request.method ?? 'GET',
        CONTENT_TYPE: request.headers['content-type'] ?? '',
        HTTP_CONTENT_ENCODING: request.headers['content-encoding'] ?? '',
        GIT_PROTOCOL: String(request.headers['git-protocol'] ?? ''),
        REMOTE_USER: options.user,
        REMOTE_ADDR: '127.0.0.1',
      },
    });
    request.pipe(child.stdin);
    pipeCgiResponse(child, response);
  };
  const server = createHttpsServer({ cert: readFileSync(options.ca.serverCert), key: readFileSync(options.ca.serverKey) }, handler);
  await listen(server, 443);
  state.close = () => close(server);
  return state;
}

/** Copies a CGI program's "headers, blank line, body" output to an HTTP response. */
function pipeCgiResponse(child: ChildProcess, response: ServerResponse): void {
  let head = Buffer.alloc(0);
  let headersSent = false;
  child.stdout!.on('data', (chunk: Buffer) => {
    if (headersSent) {
      response.write(chunk);
      return;
    }
    head = Buffer.concat([head, chunk]);
    const end = head.indexOf('\r\n\r\n');
    if (end < 0) return;
    let status = 200;
    const headers: Record<string, string> = {};
    for (const line of head.subarray(0, end).toString('latin1').split('\r\n')) {
      const colon = line.indexOf(':');
      const name = line.slice(0, colon).trim();
      const value = line.slice(colon + 1).trim();
      if (name.toLowerCase() === 'status') status = Number.parseInt(value, 10);
      else headers[name] = value;
    }
    response.writeHead(status, headers);
    headersSent = true;
    response.write(head.subarray(end + 4));
  });
  child.stderr!.on('data', () => {});
  child.on('close', () => {
    if (!headersSent) response.writeHead(502).end('git http-backend failed\n');
    else response.end();
  });
}

export interface GitSshServer {
  /** Repository paths served over SSH so far. */
  fetches(): string[];
  /** SSH_AUTH_SOCK of an agent holding the only key the server accepts. */
  agentSocket: string;
  /** The private key file: a credential that must never reach an image. */
  privateKey: string;
  /** The server's host public key, "ssh-ed25519 BASE64": what a known_hosts line names it by. */
  hostKey: string;
  stop(): void;
}

/**
 * sshd on 127.0.0.1:22 for user "git" (the user generated Dockerfiles put in ssh:// URLs),
 * accepting one key whose forced command serves `git-upload-pack` from gitRoot, plus an
 * ssh-agent holding that key, as `docker build --ssh default` expects.
 */
export function startGitSshServer(options: { dir: string; gitRoot: string }): GitSshServer {
  const { dir, gitRoot } = options;
  mkdirSync(dir, { recursive: true });
  chmodSync(dir, 0o755);
  const hostKey = join(dir, 'ssh_host_ed25519_key');
  const clientKey = join(dir, 'id_ed25519');
  run('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'e2e-host', '-f', hostKey]);
  run('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'e2e-client', '-f', clientKey]);
  if (spawnSync('id', ['git']).status !== 0) {
    // '*' (no password) rather than a locked account: sshd without PAM refuses locked users.
    run('useradd', ['--system', '--no-create-home', '--home-dir', '/nonexistent', '--shell', '/bin/sh', '--password', '*', 'git']);
    writeFileSync(join(dir, 'created-user'), 'git\n');
  }
  run('chown', ['-R', 'git', gitRoot]);
  const log = join(dir, 'fetches.log');
  writeFileSync(log, '');
  run('chown', ['git', log]);
  const serve = join(dir, 'git-serve.sh');
  writeFileSync(
    serve,
    [
      '#!/bin/sh',
      '# Forced command: serve fetches only, with /team/x mapped below the test git root.',
      'set -eu',
      'case "$SSH_ORIGINAL_COMMAND" in',
      `  "git-upload-pack '"*"'") path=\${SSH_ORIGINAL_COMMAND#git-upload-pack \\'}; path=\${path%\\'} ;;`,
      '  *) echo "only git-upload-pack is served here" >&2; exit 1 ;;',
      'esac',
      `echo "$path" >>${log}`,
      `exec git-upload-pack "${gitRoot}/\${path#/}"`,
      '',
    ].join('\n'),
    { mode: 0o755 },
  );
  const restrictions = 'no-port-forwarding,no-X11-forwarding,no-agent-forwarding,no-pty';
  writeFileSync(join(dir, 'authorized_keys'), `command="${serve}",${restrictions} ${readFileSync(`${clientKey}.pub`, 'utf8')}`);
  const config = join(dir, 'sshd_config');
  writeFileSync(
    config,
    [
      'Port 22',
      'ListenAddress 127.0.0.1',
      `HostKey ${hostKey}`,
      `PidFile ${join(dir, 'sshd.pid')}`,
      `AuthorizedKeysFile ${join(dir, 'authorized_keys')}`,
      'StrictModes no',
      'UsePAM no',
      'PasswordAuthentication no',
      'KbdInteractiveAuthentication no',
      'PermitRootLogin no',
      'AllowUsers git',
      '',
    ].join('\n'),
  );
  mkdirSync('/run/sshd', { recursive: true });
  const sshd = spawn('/usr/sbin/sshd', ['-D', '-e', '-f', config], { stdio: ['ignore', 'ignore', 'pipe'] });
  let sshdLog = '';
  sshd.stderr.on('data', (chunk: Buffer) => (sshdLog += chunk.toString()));
  const agentSocket = join(dir, 'agent.sock');
  const agent = spawn('ssh-agent', ['-D', '-a', agentSocket], { stdio: 'ignore' });
  waitFor(() => existsSync(agentSocket), 'ssh-agent socket');
  run('ssh-add', ['-q', clientKey], { env: { ...process.env, SSH_AUTH_SOCK: agentSocket } });
  waitFor(
    () => spawnSync('ssh-keyscan', ['-T', '2', '127.0.0.1'], { encoding: 'utf8' }).stdout.includes('ssh-ed25519'),
    `sshd on 127.0.0.1:22 (${sshdLog.trim()})`,
  );
  return {
    fetches: () => readFileSync(log, 'utf8').split('\n').filter(Boolean),
    agentSocket,
    privateKey: clientKey,
    hostKey: readFileSync(`${hostKey}.pub`, 'utf8').split(' ').slice(0, 2).join(' '),
    stop: () => {
      sshd.kill();
      agent.kill();
      if (existsSync(join(dir, 'created-user'))) spawnSync('userdel', ['git']);
    },
  };
}

function waitFor(check: () => boolean, what: string): void {
  for (let attempt = 0; attempt < 100; attempt++) {
    if (check()) return;
    spawnSync('sleep', ['0.1']);
  }
  throw new Error(`timed out waiting for ${what}`);
}

const HOSTS_MARK = '# create-go-docker e2e';

/** Resolves the private host to 127.0.0.1 on this machine; returns an undo function. */
export function addHostsEntry(): () => void {
  const hosts = readFileSync('/etc/hosts', 'utf8');
  if (hosts.split('\n').some((line) => line.split(/\s+/).includes(PRIVATE_HOST))) return () => {};
  appendFileSync('/etc/hosts', `127.0.0.1 ${PRIVATE_HOST} ${HOSTS_MARK}\n`);
  return () => {
    const current = readFileSync('/etc/hosts', 'utf8');
    writeFileSync(
      '/etc/hosts',
      current
        .split('\n')
        .filter((line) => !line.endsWith(HOSTS_MARK))
        .join('\n'),
    );
  };
}
