// What each network region means: its module proxy, checksum database, mirrors and DNS, and how
// the wizard names it. One record per region, so a region without a label or defaults is a
// compile error.
import { brandKnown, type GoProxyList, type GoSumDb, type HttpUrl, type IpAddress } from '../values/kinds.js';
import { goProxyProblem, goSumDbProblem, httpUrlProblem, ipAddressProblem } from '../values/network.js';
import type { Base, Options, Region } from './model.js';

export interface RegionDefaults {
  /** Undefined: the user must give one (--goproxy). */
  goProxy?: GoProxyList;
  goSumDb: GoSumDb;
  alpineMirror?: HttpUrl;
  registryMirrors: HttpUrl[];
  /** An npm registry mirror for npx in CI, where the default registry is slow or blocked. */
  npmRegistry?: HttpUrl;
  dns: IpAddress[];
  /**
   * The runtime base when nobody chose one. Mainland China cannot pull gcr.io (distroless), and
   * registry-mirrors cover Docker Hub only: its default is scratch, assembled from the builder
   * (CA bundle, passwd, Go's time-zone data), so every image comes from Docker Hub.
   */
  base: Base;
  /** The same for a cgo binary, which needs a C library. */
  cgoBase: Base;
}

export const REGION_DEFAULTS: Record<Region, RegionDefaults> = {
  global: {
    goProxy: brandKnown<GoProxyList>('https://proxy.golang.org,direct', goProxyProblem),
    goSumDb: brandKnown<GoSumDb>('sum.golang.org', goSumDbProblem),
    registryMirrors: [],
    dns: [],
    base: 'distroless',
    cgoBase: 'distroless',
  },
  cn: {
    goProxy: brandKnown<GoProxyList>('https://goproxy.cn,direct', goProxyProblem),
    // The official mirror of sum.golang.org for mainland China.
    goSumDb: brandKnown<GoSumDb>('sum.golang.google.cn', goSumDbProblem),
    alpineMirror: brandKnown<HttpUrl>('https://mirrors.aliyun.com', httpUrlProblem),
    registryMirrors: [brandKnown<HttpUrl>('https://docker.m.daocloud.io', httpUrlProblem)],
    npmRegistry: brandKnown<HttpUrl>('https://registry.npmmirror.com', httpUrlProblem),
    // AliDNS and DNSPod: container DNS that resolves from inside mainland China.
    dns: ['223.5.5.5', '119.29.29.29'].map((address) => brandKnown<IpAddress>(address, ipAddressProblem)),
    base: 'scratch',
    cgoBase: 'debian',
  },
  custom: {
    goSumDb: brandKnown<GoSumDb>('sum.golang.org', goSumDbProblem),
    registryMirrors: [],
    dns: [],
    base: 'distroless',
    cgoBase: 'distroless',
  },
};

/**
 * Public Go module proxies: reached through a company's HTTP proxy like any other internet host,
 * so never in NO_PROXY even when a company list falls back to one.
 */
export const PUBLIC_MODULE_PROXY_HOSTS: readonly string[] = [
  'proxy.golang.org',
  'goproxy.cn',
  'goproxy.io',
  'mirrors.aliyun.com',
  'mirrors.cloud.tencent.com',
  'repo.huaweicloud.com',
];

export const REGION_LABELS: Record<Region, { label: string; description: string }> = {
  global: { label: 'Global (proxy.golang.org)', description: 'https://proxy.golang.org,direct' },
  cn: { label: 'Mainland China (goproxy.cn, mirrors)', description: 'https://goproxy.cn,direct' },
  // "Company proxy" reads as an HTTP proxy to most people: name the module proxy, and say the rest is asked.
  custom: {
    label: 'Company network (your own Go module proxy)',
    description: 'Athens, Nexus or Artifactory as GOPROXY; an HTTP proxy and a corporate CA are asked next',
  },
};

/** Time zones of mainland China (the IANA names and their old aliases). */
const CHINA_TIME_ZONES = ['Asia/Shanghai', 'Asia/Chongqing', 'Asia/Chungking', 'Asia/Harbin', 'Asia/Urumqi', 'PRC'];

/**
 * What this machine's TZ or locale suggests about the network: a default the wizard offers and
 * an unattended run names, never a silent choice (a developer in Shanghai may build on CI abroad).
 */
export function regionHint(env: Record<string, string | undefined>): { region: Region; why: string } | undefined {
  const tz = env.TZ?.replace(/^:/, '');
  if (tz && CHINA_TIME_ZONES.includes(tz)) return { region: 'cn', why: `TZ=${tz}` };
  for (const name of ['LC_ALL', 'LC_MESSAGES', 'LANG'] as const) {
    const locale = env[name];
    if (locale && /^zh_CN\b/.test(locale)) return { region: 'cn', why: `${name}=${locale}` };
    if (locale) break;
  }
  return undefined;
}

/** The Docker Hub mirrors in effect: the ones given (--registry-mirror, answers, policy), else the region's. */
export function registryMirrorsOf(options: Pick<Options, 'region' | 'registryMirrors'>): HttpUrl[] {
  return options.registryMirrors.length > 0 ? options.registryMirrors : REGION_DEFAULTS[options.region].registryMirrors;
}
