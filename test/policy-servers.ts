// Local stand-ins for where policies live, so no test needs the internet: an HTTP server on
// 127.0.0.1 (plain http is allowed to this machine only) and an npm registry that answers the
// two requests npm makes (the package document, the tarball), with real tarballs made by npm pack.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

type Handler = (request: IncomingMessage, response: ServerResponse) => void;

async function listen(handler: Handler): Promise<{ server: Server; url: string }> {
  const server = createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

function close(server: Server): Promise<void> {
  server.closeAllConnections();
  return new Promise((resolve) => server.close(() => resolve()));
}

export interface PolicyServer {
  url: string;
  /** Each request: method, path and its If-None-Match, and the status answered. */
  requests: { path: string; ifNoneMatch?: string; status: number }[];
  /** Serve `body` at `path` with an ETag (its hash), or a custom handler. */
  serve(path: string, body: string | Handler): void;
  close(): Promise<void>;
}

export async function policyServer(): Promise<PolicyServer> {
  const routes = new Map<string, Handler>();
  const requests: PolicyServer['requests'] = [];
  const { server, url } = await listen((request, response) => {
    const entry: PolicyServer['requests'][number] = { path: request.url ?? '', status: 0 };
    if (typeof request.headers['if-none-match'] === 'string') entry.ifNoneMatch = request.headers['if-none-match'];
    requests.push(entry);
    response.on('finish', () => (entry.status = response.statusCode));
    const route = routes.get(request.url ?? '');
    if (route) route(request, response);
    else response.writeHead(404).end('not found');
  });
  return {
    url,
    requests,
    serve(path, body) {
      if (typeof body !== 'string') {
        routes.set(path, body);
        return;
      }
      const etag = `"${createHash('sha256').update(body).digest('hex').slice(0, 16)}"`;
      routes.set(path, (request, response) => {
        if (request.headers['if-none-match'] === etag) response.writeHead(304, { ETag: etag }).end();
        else response.writeHead(200, { ETag: etag, 'Content-Type': 'application/yaml' }).end(body);
      });
    },
    close: () => close(server),
  };
}

export interface NpmRegistry {
  /** The registry URL, for npm_config_registry. */
  url: string;
  requests: string[];
  /** Publishes a version made of these files (package.json is written for it). */
  publish(name: string, version: string, files: Record<string, string>): void;
  /** Publishes a tarball npm pack made (create-go-docker itself, for npx in the CI job). */
  publishTarball(name: string, version: string, tarball: string): void;
  /** Answer every request with this status from now on (a registry that is down). */
  fail(status: number): void;
  close(): Promise<void>;
}

export async function npmRegistry(): Promise<NpmRegistry> {
  const packages = new Map<string, { versions: Record<string, unknown>; latest: string }>();
  const tarballs = new Map<string, Buffer>();
  const requests: string[] = [];
  let failing: number | undefined;
  const { server, url } = await listen((request, response) => {
    const path = decodeURIComponent(request.url ?? '');
    requests.push(path);
    if (failing) return void response.writeHead(failing).end();
    // Never cached: a test publishes a new version and npm must see it at once.
    const headers = { 'Cache-Control': 'no-store' };
    const tarball = tarballs.get(path);
    if (tarball) return void response.writeHead(200, { ...headers, 'Content-Type': 'application/octet-stream' }).end(tarball);
    const found = packages.get(path.slice(1));
    if (!found) return void response.writeHead(404, { ...headers, 'Content-Type': 'application/json' }).end('{"error":"Not found"}');
    const document = { name: path.slice(1), 'dist-tags': { latest: found.latest }, versions: found.versions };
    response.writeHead(200, { ...headers, 'Content-Type': 'application/json' }).end(JSON.stringify(document));
  });
  const publishTarball = (name: string, version: string, file: string): void => {
    const bytes = readFileSync(file);
    const tarballPath = `/-/tarballs/${name.replace('/', '__')}-${version}.tgz`;
    tarballs.set(tarballPath, bytes);
    const entry = packages.get(name) ?? { versions: {}, latest: version };
    const manifest = JSON.parse(execFileSync('tar', ['-xOzf', file, 'package/package.json'], { encoding: 'utf8' })) as Record<
      string,
      unknown
    >;
    entry.versions[version] = {
      ...manifest,
      name,
      version,
      dist: {
        tarball: `${url}${tarballPath}`,
        shasum: createHash('sha1').update(bytes).digest('hex'),
        integrity: `sha512-${createHash('sha512').update(bytes).digest('base64')}`,
      },
    };
    entry.latest = version;
    packages.set(name, entry);
  };
  return {
    url: `${url}/`,
    requests,
    publish(name, version, files) {
      const dir = mkdtempSync(join(tmpdir(), 'cgd-package-'));
      writeFileSync(join(dir, 'package.json'), JSON.stringify({ name, version, files: Object.keys(files) }));
      for (const [file, text] of Object.entries(files)) writeFileSync(join(dir, file), text);
      const [packed] = JSON.parse(
        execFileSync('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', dir], {
          cwd: dir,
          encoding: 'utf8',
          env: { ...process.env, npm_config_loglevel: 'error' },
        }),
      ) as [{ filename: string }];
      publishTarball(name, version, join(dir, packed.filename));
    },
    publishTarball,
    fail(status) {
      failing = status;
    },
    close: () => close(server),
  };
}
