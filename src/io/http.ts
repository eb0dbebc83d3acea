// HTTP(S) requests honouring HTTPS_PROXY / HTTP_PROXY / NO_PROXY as the go command and curl do:
// behind a mandatory company proxy, a request that ignores it finds every host unreachable.
// doctor's probes want the status alone; a fetched policy wants a body, capped, within a time
// limit, through redirects that stay on https. Written on node:http/tls (about 150 lines)
// instead of a proxy agent dependency, to keep zero runtime dependencies.
import { request as httpRequest, type IncomingHttpHeaders, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { connect as tlsConnect } from 'node:tls';

export interface ProxySettings {
  httpProxy?: string;
  httpsProxy?: string;
  noProxy?: string;
}

export function proxySettingsFrom(env: Record<string, string | undefined>): ProxySettings {
  const pick = (...names: string[]) => names.map((name) => env[name]).find((value) => value !== undefined && value.trim() !== '');
  const settings: ProxySettings = {};
  const httpProxy = pick('HTTP_PROXY', 'http_proxy');
  const httpsProxy = pick('HTTPS_PROXY', 'https_proxy');
  const noProxy = pick('NO_PROXY', 'no_proxy');
  if (httpProxy) settings.httpProxy = httpProxy;
  if (httpsProxy) settings.httpsProxy = httpsProxy;
  if (noProxy) settings.noProxy = noProxy;
  return settings;
}

/** NO_PROXY as Go's httpproxy reads it: "*", host names (and their subdomains), ".domain", host:port, IPs. */
function bypassesProxy(url: URL, noProxy: string | undefined): boolean {
  if (!noProxy) return false;
  const host = url.hostname.replace(/^\[|\]$/g, '').toLowerCase();
  const port = url.port || (url.protocol === 'https:' ? '443' : '80');
  for (const raw of noProxy.split(',')) {
    const entry = raw.trim().toLowerCase();
    if (entry === '') continue;
    if (entry === '*') return true;
    const [name, entryPort] = /^\[?([^\]]*?)\]?(?::(\d+))?$/.exec(entry)?.slice(1) ?? [entry];
    if (entryPort && entryPort !== port) continue;
    const bare = (name ?? '').replace(/^\*?\./, '');
    if (host === bare || host.endsWith(`.${bare}`)) return true;
  }
  return false;
}

/** This machine (a fetched policy from it is never sent to a proxy, as Go's httpproxy does). */
export function isLoopback(url: URL): boolean {
  const host = url.hostname.replace(/^\[|\]$/g, '').toLowerCase();
  return host === 'localhost' || host === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}

/** The proxy a request to `url` goes through, if any. */
export function proxyFor(url: URL, settings: ProxySettings): URL | undefined {
  if (bypassesProxy(url, settings.noProxy)) return undefined;
  const raw = url.protocol === 'https:' ? settings.httpsProxy : settings.httpProxy;
  if (!raw) return undefined;
  try {
    return new URL(/^[a-z]+:\/\//i.test(raw) ? raw : `http://${raw}`);
  } catch {
    return undefined;
  }
}

function proxyHeaders(proxy: URL): Record<string, string> {
  if (!proxy.username) return {};
  const credentials = `${decodeURIComponent(proxy.username)}:${decodeURIComponent(proxy.password)}`;
  return { 'Proxy-Authorization': `Basic ${Buffer.from(credentials).toString('base64')}` };
}

/** GETs `url` (directly or through `proxy`) and resolves with the status once the headers arrive. */
export async function get(url: URL, proxy: URL | undefined, signal: AbortSignal): Promise<number> {
  const response = await open(url, proxy, signal, {});
  response.destroy();
  return response.statusCode ?? 0;
}

/** GETs `url` (directly or through `proxy`) and resolves with the response once its headers arrive; the caller reads or destroys it. */
function open(url: URL, proxy: URL | undefined, signal: AbortSignal, headers: Record<string, string>): Promise<IncomingMessage> {
  return new Promise((resolve, reject) => {
    if (!proxy) {
      const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
      send(url, { method: 'GET', signal, headers }, resolve).on('error', reject).end();
      return;
    }
    const proxyPort = Number(proxy.port || (proxy.protocol === 'https:' ? 443 : 80));
    if (url.protocol === 'http:') {
      // A plain HTTP request goes to the proxy with the absolute URL as its target.
      httpRequest(
        {
          host: proxy.hostname,
          port: proxyPort,
          method: 'GET',
          path: url.href,
          headers: { ...headers, Host: url.host, ...proxyHeaders(proxy) },
          signal,
        },
        resolve,
      )
        .on('error', reject)
        .end();
      return;
    }
    const target = `${url.hostname}:${url.port || 443}`;
    const tunnel = httpRequest({
      host: proxy.hostname,
      port: proxyPort,
      method: 'CONNECT',
      path: target,
      headers: { Host: target, ...proxyHeaders(proxy) },
      signal,
    });
    tunnel.on('connect', (response, socket) => {
      if (response.statusCode !== 200) {
        socket.destroy();
        reject(new Error(`the proxy answered CONNECT with HTTP ${response.statusCode}`));
        return;
      }
      const secure = tlsConnect({ socket, servername: url.hostname });
      httpsRequest(url, { method: 'GET', signal, headers, createConnection: () => secure }, resolve)
        .on('error', reject)
        .end();
    });
    tunnel.on('error', reject).end();
  });
}

/** Why a fetch failed, in a few words for a one-line message ("HTTP 404", "timed out after 15 s"). */
export class FetchError extends Error {}

export interface FetchOptions {
  env: Record<string, string | undefined>;
  timeoutMs: number;
  maxBytes: number;
  headers?: Record<string, string>;
  /** Why a URL (the first or a redirect's target) may not be fetched, else undefined. */
  urlProblem: (url: URL) => string | undefined;
}

export interface FetchResult {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

const MAX_REDIRECTS = 5;

/**
 * GETs `url` through the proxy the environment names, following up to five redirects (each
 * target checked by urlProblem), and reads at most maxBytes of the body; the whole exchange
 * ends within timeoutMs. Any status but a redirect is returned, with the body read.
 */
export async function fetchCapped(url: URL, options: FetchOptions): Promise<FetchResult> {
  const signal = AbortSignal.timeout(options.timeoutMs);
  const settings = proxySettingsFrom(options.env);
  try {
    let current = url;
    for (let redirects = 0; ; redirects++) {
      const problem = options.urlProblem(current);
      if (problem) throw new FetchError(redirects === 0 ? problem : `redirected to ${current.href}, which ${problem}`);
      // doctor probes loopback through a proxy as told; a fetch for a file never does (a company
      // proxy cannot reach this machine's 127.0.0.1).
      const response = await open(current, isLoopback(current) ? undefined : proxyFor(current, settings), signal, options.headers ?? {});
      const status = response.statusCode ?? 0;
      const location = response.headers.location;
      if (status >= 300 && status < 400 && status !== 304 && location) {
        response.destroy();
        if (redirects >= MAX_REDIRECTS) throw new FetchError(`more than ${MAX_REDIRECTS} redirects`);
        current = new URL(location, current);
        continue;
      }
      return { status, headers: response.headers, body: await readCapped(response, options.maxBytes) };
    }
  } catch (error) {
    if (error instanceof FetchError) throw error;
    if (signal.aborted) throw new FetchError(`no answer within ${Math.round(options.timeoutMs / 100) / 10} s`);
    const code = (error as NodeJS.ErrnoException).code;
    throw new FetchError(
      code
        ? `${code}${error instanceof Error && !error.message.includes(code) ? `: ${error.message}` : ''}`
        : error instanceof Error
          ? error.message
          : String(error),
    );
  }
}

async function readCapped(response: IncomingMessage, maxBytes: number): Promise<Buffer> {
  const limit = `larger than ${maxBytes >= 1024 * 1024 ? `${maxBytes / (1024 * 1024)} MiB` : `${Math.round(maxBytes / 1024)} KiB`}`;
  if (Number(response.headers['content-length'] ?? 0) > maxBytes) {
    response.destroy();
    throw new FetchError(limit);
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of response as AsyncIterable<Buffer>) {
    size += chunk.length;
    // Stop reading at the cap: a server that sends forever costs no more than maxBytes.
    if (size > maxBytes) {
      response.destroy();
      throw new FetchError(limit);
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}
