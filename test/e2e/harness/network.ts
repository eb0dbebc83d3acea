// A simulated restricted network for the e2e suite: a network namespace joined to this machine
// by a veth pair and nothing else (no default route, so public hosts are unreachable), a DNS
// resolver that answers only the names a test lists, and an npm registry stand-in.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createSocket, type Socket } from 'node:dgram';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer as createHttpsServer, type Server } from 'node:https';
import { basename, join } from 'node:path';
import { execute, type CommandResult } from './docker.js';
import { run } from './servers.js';

export interface Namespace {
  name: string;
  /** The host side's first address: the namespace's only neighbour (and its DNS server). */
  hostAddress: string;
  /** Further host-side addresses, one per service that needs its own :443. */
  serviceAddresses: string[];
  /** Runs a command inside the namespace (`ip netns exec`: its resolv.conf, a private mount namespace). */
  exec(command: string, args: string[], options?: { cwd?: string; env?: NodeJS.ProcessEnv; timeoutMs?: number }): Promise<CommandResult>;
  /**
   * Runs a command in the namespace's network only, in a private mount namespace with the
   * namespace's resolv.conf, and this machine's /sys: `ip netns exec` mounts a fresh /sys
   * without the cgroup hierarchies, which runc needs (a CI job's container has them).
   */
  enter(command: string, args: string[], options?: { cwd?: string; env?: NodeJS.ProcessEnv; timeoutMs?: number }): Promise<CommandResult>;
  /** Kills what still runs inside, deletes the namespace, its veth pair and /etc/netns/NAME. */
  remove(): Promise<void>;
}

/** Why this machine cannot make a namespace, or undefined when it can. */
export function namespaceUnsupported(): string | undefined {
  if (process.getuid?.() !== 0) return 'network namespaces need root';
  if (spawnSync('ip', ['-V']).status !== 0) return 'no `ip` command (iproute2)';
  return undefined;
}

/**
 * A namespace NAME with veth HOST/NS addresses in 10.231.SUBNET.0/24: the host side .1 plus
 * serviceCount more (.11, .12, ...), the namespace .2, and no route beyond that subnet.
 */
export function createNamespace(name: string, subnet: number, serviceCount: number): Namespace {
  const prefix = `10.231.${subnet}`;
  const hostInterface = `${name.slice(0, 11)}-h`;
  const hostAddress = `${prefix}.1`;
  const serviceAddresses = Array.from({ length: serviceCount }, (_, index) => `${prefix}.${11 + index}`);
  const resolvDir = join('/etc/netns', name);
  const remove = async (): Promise<void> => {
    // Processes left inside (a build cut short) are this test's own.
    const pids = spawnSync('ip', ['netns', 'pids', name], { encoding: 'utf8' }).stdout.split('\n').filter(Boolean);
    for (const pid of pids) spawnSync('kill', ['-KILL', pid]);
    if (pids.length > 0) await new Promise((resolve) => setTimeout(resolve, 500));
    spawnSync('ip', ['netns', 'delete', name]);
    // Deleting the namespace deletes its veth end and so the pair; this covers a half-made one.
    spawnSync('ip', ['link', 'delete', hostInterface]);
    rmSync(resolvDir, { recursive: true, force: true });
  };
  try {
    run('ip', ['netns', 'add', name]);
    run('ip', ['link', 'add', hostInterface, 'type', 'veth', 'peer', 'name', 'eth0', 'netns', name]);
    run('ip', ['addr', 'add', `${hostAddress}/24`, 'dev', hostInterface]);
    for (const address of serviceAddresses) run('ip', ['addr', 'add', `${address}/32`, 'dev', hostInterface]);
    run('ip', ['link', 'set', hostInterface, 'up']);
    run('ip', ['-n', name, 'addr', 'add', `${prefix}.2/24`, 'dev', 'eth0']);
    run('ip', ['-n', name, 'link', 'set', 'eth0', 'up']);
    run('ip', ['-n', name, 'link', 'set', 'lo', 'up']);
    // `ip netns exec` bind-mounts this over /etc/resolv.conf; BuildKit copies it into RUN steps.
    mkdirSync(resolvDir, { recursive: true });
    writeFileSync(join(resolvDir, 'resolv.conf'), `nameserver ${hostAddress}\n`);
  } catch (error) {
    void remove();
    throw error;
  }
  return {
    name,
    hostAddress,
    serviceAddresses,
    exec: (command, args, options = {}) => execute('ip', ['netns', 'exec', name, command, ...args], options),
    enter: (command, args, options = {}) =>
      execute(
        'nsenter',
        [
          `--net=/run/netns/${name}`,
          'unshare',
          '--mount',
          '--propagation',
          'slave',
          'sh',
          '-c',
          'mount --bind "$0" /etc/resolv.conf && exec "$@"',
        ].concat([join(resolvDir, 'resolv.conf'), command, ...args]),
        options,
      ),
    remove,
  };
}

interface DnsQuery {
  name: string;
  /** A, AAAA, ... (or the number of a type not named here). */
  type: string;
  /** The address given, or NXDOMAIN. */
  answer: string;
}

export interface DnsServer {
  queries: DnsQuery[];
  close(): Promise<void>;
}

const QUERY_TYPES: Record<number, string> = { 1: 'A', 28: 'AAAA', 5: 'CNAME', 65: 'HTTPS', 33: 'SRV', 16: 'TXT' };

/**
 * A UDP DNS server on ADDRESS:53 that knows only `records` (name to IPv4 address): their A
 * queries get the address, other types of theirs no data, and every other name NXDOMAIN.
 */
export async function startDnsServer(address: string, records: Record<string, string>): Promise<DnsServer> {
  const queries: DnsQuery[] = [];
  const socket: Socket = createSocket('udp4');
  socket.on('message', (message, remote) => {
    if (message.length < 12) return;
    // The question: labels up to a zero byte, then type and class.
    const labels: string[] = [];
    let offset = 12;
    while (offset < message.length && message[offset] !== 0) {
      const length = message[offset]!;
      labels.push(message.subarray(offset + 1, offset + 1 + length).toString('latin1'));
      offset += 1 + length;
    }
    const questionEnd = offset + 5;
    if (questionEnd > message.length) return;
    const type = message.readUInt16BE(offset + 1);
    const name = labels.join('.').toLowerCase();
    const known = records[name];
    const answers = known !== undefined && type === 1 ? [known] : [];
    queries.push({ name, type: QUERY_TYPES[type] ?? String(type), answer: known === undefined ? 'NXDOMAIN' : (answers[0] ?? 'no data') });
    const header = Buffer.alloc(12);
    message.copy(header, 0, 0, 2); // the query's ID
    const recursionDesired = message[2]! & 0x01;
    header[2] = 0x84 | recursionDesired; // a response, authoritative
    header[3] = 0x80 | (known === undefined ? 3 : 0); // recursion available; NXDOMAIN or no error
    header.writeUInt16BE(1, 4);
    header.writeUInt16BE(answers.length, 6);
    const answerRecords = answers.map((ip) => {
      const record = Buffer.alloc(16);
      record.writeUInt16BE(0xc00c, 0); // the name: a pointer to the question's
      record.writeUInt16BE(1, 2);
      record.writeUInt16BE(1, 4);
      record.writeUInt32BE(60, 6);
      record.writeUInt16BE(4, 10);
      ip.split('.').forEach((part, index) => (record[12 + index] = Number(part)));
      return record;
    });
    socket.send(Buffer.concat([header, message.subarray(12, questionEnd), ...answerRecords]), remote.port, remote.address);
  });
  await new Promise<void>((resolve, reject) => {
    socket.once('error', reject);
    socket.bind(53, address, () => resolve());
  });
  return { queries, close: () => new Promise((resolve) => socket.close(() => resolve())) };
}

export interface NpmRegistry {
  /** Paths requested so far, e.g. "/create-go-docker". */
  requests: string[];
  close(): Promise<void>;
}

/**
 * An npm registry over HTTPS on ADDRESS:443 that serves one package version from the tarball
 * `npm pack` made: its packument (registryUrl names the tarball's public URL) and the tarball.
 * Everything else is 404.
 */
export async function startNpmRegistry(options: {
  address: string;
  registryUrl: string;
  tarball: string;
  tls: { cert: string; key: string };
}): Promise<NpmRegistry> {
  const tarball = readFileSync(options.tarball);
  const manifest = JSON.parse(run('tar', ['-xzOf', options.tarball, 'package/package.json'])) as { name: string; version: string } & Record<
    string,
    unknown
  >;
  const tarballPath = `/${manifest.name}/-/${basename(options.tarball)}`;
  const packument = JSON.stringify({
    name: manifest.name,
    'dist-tags': { latest: manifest.version },
    versions: {
      [manifest.version]: {
        ...manifest,
        _id: `${manifest.name}@${manifest.version}`,
        dist: {
          tarball: `${options.registryUrl}${tarballPath}`,
          shasum: createHash('sha1').update(tarball).digest('hex'),
          integrity: `sha512-${createHash('sha512').update(tarball).digest('base64')}`,
        },
      },
    },
  });
  const requests: string[] = [];
  const server: Server = createHttpsServer(
    { cert: readFileSync(options.tls.cert), key: readFileSync(options.tls.key) },
    (request, response) => {
      const path = new URL(request.url ?? '/', options.registryUrl).pathname;
      requests.push(path);
      if (path === `/${manifest.name}`) response.writeHead(200, { 'content-type': 'application/json' }).end(packument);
      else if (path === tarballPath) response.writeHead(200, { 'content-type': 'application/octet-stream' }).end(tarball);
      else response.writeHead(404, { 'content-type': 'application/json' }).end('{"error":"not found"}');
    },
  );
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(443, options.address, () => resolve());
  });
  return {
    requests,
    close: () => {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

/** Request paths from a docker-registry access log (combined format), e.g. "GET /v2/library/golang/manifests/1.26.8-bookworm 200". */
export function registryRequests(logFile: string): string[] {
  if (!existsSync(logFile)) return [];
  return readFileSync(logFile, 'utf8')
    .split('\n')
    .map((line) => /"(GET|HEAD|PUT|POST|PATCH|DELETE) (\S+) HTTP\/[\d.]+" (\d{3})/.exec(line))
    .filter((match) => match !== null)
    .map((match) => `${match[1]} ${match[2]} ${match[3]}`);
}
