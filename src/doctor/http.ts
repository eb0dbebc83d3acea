// One HTTP(S) request for doctor's probes, honouring HTTPS_PROXY / HTTP_PROXY / NO_PROXY as the
// go command and curl do: behind a mandatory company proxy, a probe that ignores it reports
// every proxy as unreachable. Written on node:http/tls (about 80 lines) instead of a proxy
// agent dependency, to keep zero runtime dependencies.
import { request as httpRequest, type IncomingMessage } from 'node:http';
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
export function bypassesProxy(url: URL, noProxy: string | undefined): boolean {
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
export function get(url: URL, proxy: URL | undefined, signal: AbortSignal): Promise<number> {
  return new Promise((resolve, reject) => {
    const done = (response: IncomingMessage) => {
      resolve(response.statusCode ?? 0);
      response.destroy();
    };
    if (!proxy) {
      const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
      send(url, { method: 'GET', signal }, done).on('error', reject).end();
      return;
    }
    const proxyPort = Number(proxy.port || (proxy.protocol === 'https:' ? 443 : 80));
    if (url.protocol === 'http:') {
      // A plain HTTP request goes to the proxy with the absolute URL as its target.
      httpRequest({ host: proxy.hostname, port: proxyPort, method: 'GET', path: url.href, headers: { Host: url.host, ...proxyHeaders(proxy) }, signal }, done).on('error', reject).end();
      return;
    }
    const target = `${url.hostname}:${url.port || 443}`;
    const tunnel = httpRequest({ host: proxy.hostname, port: proxyPort, method: 'CONNECT', path: target, headers: { Host: target, ...proxyHeaders(proxy) }, signal });
    tunnel.on('connect', (response, socket) => {
      if (response.statusCode !== 200) {
        socket.destroy();
        reject(new Error(`the proxy answered CONNECT with HTTP ${response.statusCode}`));
        return;
      }
      const secure = tlsConnect({ socket, servername: url.hostname });
      httpsRequest(url, { method: 'GET', signal, createConnection: () => secure }, done).on('error', reject).end();
    });
    tunnel.on('error', reject).end();
  });
}
