// doctor's network checks (skipped with --offline): can this machine resolve and reach every
// GOPROXY entry and the checksum database, and how fast? Each probe has its own timeout.
import { lookup } from 'node:dns/promises';
import { redactSecrets } from '../values/text.js';
import { lastSetting, type DockerfileModel } from './dockerfile.js';
import { get, proxyFor, type ProxySettings } from '../io/http.js';
import { finding, type Finding } from './findings.js';
import { MESSAGES } from './messages.js';

interface ProbeResult {
  url: string;
  reachable: boolean;
  seconds: number;
  /** What failed (DNS, refused, timeout) or the HTTP status. */
  detail: string;
}

export interface NetworkOptions {
  timeoutMs: number;
  /** An answer slower than this is reported as slow. */
  slowMs: number;
  /** When this GOPROXY entry fails and chinaProbeUrl answers, the network looks like mainland China's. */
  publicProxyUrl: string;
  chinaProbeUrl: string;
  /** HTTPS_PROXY / HTTP_PROXY / NO_PROXY of the environment doctor runs in. */
  proxies?: ProxySettings;
}

export const DEFAULT_NETWORK_OPTIONS: NetworkOptions = {
  timeoutMs: 5000,
  slowMs: 2000,
  publicProxyUrl: 'https://proxy.golang.org',
  chinaProbeUrl: 'https://goproxy.cn',
};

function withTimeout<T>(promise: Promise<T>, timeoutMs: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} timed out after ${timeoutMs / 1000} s`)), timeoutMs);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

async function probe(url: string, timeoutMs: number, proxies: ProxySettings = {}): Promise<ProbeResult> {
  const started = performance.now();
  const seconds = () => (performance.now() - started) / 1000;
  let target: URL;
  try {
    target = new URL(url);
  } catch {
    return { url, reachable: false, seconds: 0, detail: 'not a URL' };
  }
  const proxy = proxyFor(target, proxies);
  const via = proxy ? ` via proxy ${redactSecrets(proxy.origin)}` : '';
  if (!proxy) {
    // Behind a proxy, the proxy resolves names; the machine itself may not.
    const host = target.hostname;
    try {
      await withTimeout(lookup(host), timeoutMs, `DNS lookup of ${host}`);
    } catch (error) {
      return {
        url,
        reachable: false,
        seconds: seconds(),
        detail: /timed out/.test(String(error)) ? (error as Error).message : `DNS cannot resolve ${host}`,
      };
    }
  }
  try {
    const status = await get(target, proxy, AbortSignal.timeout(Math.max(1, Math.round(timeoutMs - seconds() * 1000))));
    return { url, reachable: true, seconds: seconds(), detail: `HTTP ${status}${via}` };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const name = (error as Error).name;
    const detail =
      name === 'TimeoutError' || name === 'AbortError' || code === 'ABORT_ERR'
        ? `no answer within ${timeoutMs / 1000} s`
        : code === 'ECONNREFUSED'
          ? 'connection refused'
          : (code ?? (error as Error).message);
    return { url, reachable: false, seconds: seconds(), detail: `${detail}${via}` };
  }
}

/** The URLs the build's go command would reach: GOPROXY entries and the checksum database. */
interface NetworkTargets {
  proxies: string[];
  sumDb?: string;
  /** Where GOPROXY and GOSUMDB are set, when the Dockerfile sets them. */
  proxyLine?: number;
  sumDbLine?: number;
}

function networkTargets(model: DockerfileModel | undefined): NetworkTargets {
  const goProxy = model ? lastSetting(model, 'GOPROXY') : undefined;
  const proxyValue = goProxy && !goProxy.value.includes('$') ? goProxy.value : 'https://proxy.golang.org,direct';
  const proxies = proxyValue.split(/[,|]/).filter((entry) => /^https?:\/\//.test(entry));
  const goSumDb = model ? lastSetting(model, 'GOSUMDB') : undefined;
  const sumDbValue = goSumDb && !goSumDb.value.includes('$') ? goSumDb.value : 'sum.golang.org';
  const result: NetworkTargets = { proxies };
  if (sumDbValue !== 'off') {
    const [name, url] = sumDbValue.split(/\s+/);
    result.sumDb = url ?? `https://${name!.replace(/\+.*$/, '')}`;
  }
  if (goProxy) result.proxyLine = goProxy.line;
  if (goSumDb) result.sumDbLine = goSumDb.line;
  return result;
}

export async function checkNetwork(model: DockerfileModel | undefined, file: string, options: NetworkOptions): Promise<Finding[]> {
  const targets = networkTargets(model);
  const urls = [...targets.proxies, ...(targets.sumDb ? [targets.sumDb] : [])];
  const results = await Promise.all(urls.map((url) => probe(url, options.timeoutMs, options.proxies)));
  const findings: Finding[] = [];
  for (const [index, result] of results.entries()) {
    // The checksum database is probed last (its URL may also be a GOPROXY entry).
    const isSumDb = index >= targets.proxies.length;
    const role = isSumDb ? 'checksum database' : 'GOPROXY entry';
    const line = isSumDb ? targets.sumDbLine : targets.proxyLine;
    const probed = { role, url: result.url, detail: result.detail, seconds: result.seconds };
    if (!result.reachable) {
      // The mainland China checksum database unreachable: advising it again would not help.
      const message = !isSumDb
        ? /\/\/goproxy\.cn\b/.test(result.url)
          ? MESSAGES.chinaProxyUnreachable
          : MESSAGES.proxyUnreachable
        : /sum\.golang\.google\.cn/.test(result.url)
          ? MESSAGES.chinaSumDbUnreachable
          : MESSAGES.sumDbUnreachable;
      findings.push(finding(message(probed), file, line));
    } else {
      const slow = result.seconds * 1000 > options.slowMs;
      findings.push(finding(MESSAGES.reachable({ ...probed, slow }), file, line));
    }
  }
  const publicProxyFailed = results.some((result) => !result.reachable && result.url.replace(/\/$/, '') === options.publicProxyUrl);
  if (publicProxyFailed) {
    const china = await probe(options.chinaProbeUrl, options.timeoutMs, options.proxies);
    if (china.reachable) {
      const values = { publicUrl: options.publicProxyUrl, chinaUrl: options.chinaProbeUrl, seconds: china.seconds };
      findings.push(finding(MESSAGES.chinaNetwork(values), file, targets.proxyLine));
    }
  }
  return findings;
}
