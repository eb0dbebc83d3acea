// What each network region means: its module proxy, checksum database, mirrors and DNS, and how
// the wizard names it. One record per region, so a region without a label or defaults is a
// compile error.
import type { GoProxyList, GoSumDb, HttpUrl, IpAddress } from '../values/kinds.js';
import type { Region } from './model.js';

export interface RegionDefaults {
  /** Undefined: the user must give one (--goproxy). */
  goProxy?: GoProxyList;
  goSumDb: GoSumDb;
  alpineMirror?: HttpUrl;
  registryMirrors: HttpUrl[];
  dns: IpAddress[];
}

// Constants written here are checked by the unit tests against the same predicates as input.
export const REGION_DEFAULTS: Record<Region, RegionDefaults> = {
  global: { goProxy: 'https://proxy.golang.org,direct' as GoProxyList, goSumDb: 'sum.golang.org' as GoSumDb, registryMirrors: [], dns: [] },
  cn: {
    goProxy: 'https://goproxy.cn,direct' as GoProxyList,
    // The official mirror of sum.golang.org for mainland China.
    goSumDb: 'sum.golang.google.cn' as GoSumDb,
    alpineMirror: 'https://mirrors.aliyun.com' as HttpUrl,
    registryMirrors: ['https://docker.m.daocloud.io' as HttpUrl],
    // AliDNS and DNSPod: container DNS that resolves from inside mainland China.
    dns: ['223.5.5.5' as IpAddress, '119.29.29.29' as IpAddress],
  },
  custom: { goSumDb: 'sum.golang.org' as GoSumDb, registryMirrors: [], dns: [] },
};

export const REGION_LABELS: Record<Region, { label: string; description: string }> = {
  global: { label: 'Global (proxy.golang.org)', description: 'https://proxy.golang.org,direct' },
  cn: { label: 'Mainland China (goproxy.cn, mirrors)', description: 'https://goproxy.cn,direct' },
  custom: { label: 'Behind a company proxy (your own GOPROXY)', description: 'Athens, Nexus, Artifactory...' },
};
