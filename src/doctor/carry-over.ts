// What an old Dockerfile already knew (its module proxy, private paths, HTTP proxy and runtime
// base), as options: generate's "carried" layer when it replaces a Dockerfile we did not write,
// and doctor's way forward, the command that does so. Every value is checked with the
// generator's own parsers first (the Dockerfile is untrusted input), and a value that fails is
// left out, never printed.
import { shellWord } from '../plan/commands.js';
import { FILE_KEYS, type Base, type PartialOptions } from '../options/model.js';
import { REGION_DEFAULTS } from '../options/regions.js';
import { parseGoProxy, parsePrivatePatterns, parseProxyUrl } from '../options/validate.js';
import { lastSetting, type DockerfileModel } from './dockerfile.js';
import type { Finding } from './findings.js';

/** The runtime image's family, as --base names it; another image is not carried over. */
const BASE_FAMILIES: readonly { base: Base; matches: RegExp }[] = [
  { base: 'scratch', matches: /^scratch$/ },
  { base: 'distroless', matches: /(^|\/)distroless\// },
  { base: 'alpine', matches: /(^|\/)alpine(:|@|$)/ },
  { base: 'debian', matches: /(^|\/)debian(:|@|$)/ },
];

const literal = (model: DockerfileModel, name: string): string | undefined => {
  const value = lastSetting(model, name)?.value.trim();
  return value && !value.includes('$') ? value : undefined;
};

const checkedOrUndefined = <T>(parse: () => T): T | undefined => {
  try {
    return parse();
  } catch {
    return undefined;
  }
};

/** The options an old Dockerfile sets, each one our parsers accept. */
export function carriedOptions(model: DockerfileModel): PartialOptions {
  const carried: PartialOptions = {};
  const goProxy = checkedOrUndefined(() => parseGoProxy('GOPROXY', literal(model, 'GOPROXY') ?? ''));
  if (goProxy && goProxy === REGION_DEFAULTS.cn.goProxy) carried.region = 'cn';
  else if (goProxy && goProxy !== REGION_DEFAULTS.global.goProxy) Object.assign(carried, { region: 'custom', goProxy });
  const goPrivate = literal(model, 'GOPRIVATE');
  const patterns = goPrivate ? checkedOrUndefined(() => parsePrivatePatterns('GOPRIVATE', goPrivate)) : undefined;
  if (patterns && patterns.length > 0) carried.privatePatterns = patterns;
  const proxy = literal(model, 'HTTPS_PROXY') ?? literal(model, 'HTTP_PROXY');
  const proxyUrl = proxy ? checkedOrUndefined(() => parseProxyUrl('HTTPS_PROXY', proxy)) : undefined;
  if (proxyUrl) carried.proxy = proxyUrl;
  const runtime = model.stages.at(-1)?.image;
  const family = runtime ? BASE_FAMILIES.find((entry) => entry.matches.test(runtime)) : undefined;
  if (family) carried.base = family.base;
  return carried;
}

/** The carried options as flags, in the order --help lists them. */
function carriedFlags(carried: PartialOptions): string[] {
  const flags: string[] = [];
  if (carried.region) flags.push(`--${FILE_KEYS.region}`, carried.region);
  if (carried.goProxy) flags.push(`--${FILE_KEYS.goProxy}`, carried.goProxy);
  if (carried.privatePatterns?.length) flags.push(`--${FILE_KEYS.privatePatterns}`, carried.privatePatterns.join(','));
  if (carried.proxy) flags.push(`--${FILE_KEYS.proxy}`, carried.proxy);
  if (carried.base) flags.push(`--${FILE_KEYS.base}`, carried.base);
  return flags;
}

/** What doctor proposes: for ours, regenerate; for another, generate ours over it, its settings carried over. */
export interface WayForward {
  /** The create-go-docker arguments (after `npx create-go-docker`). */
  args: string[];
  /** The whole command, as printed. */
  command: string;
}

/**
 * `npx create-go-docker ... --force` for a Dockerfile we did not write (--force keeps it as
 * Dockerfile.orig); `npx create-go-docker regenerate` for ours. A download the probes found
 * blocked as in mainland China picks region cn when the Dockerfile names no module proxy.
 */
export function wayForward(
  dockerfile: { model: DockerfileModel; generated: boolean } | undefined,
  findings: readonly Finding[],
): WayForward {
  const args = dockerfile?.generated ? ['regenerate'] : [...otherFlags(dockerfile?.model, findings), '--force'];
  return { args, command: ['npx create-go-docker', ...args.map(shellWord)].join(' ') };
}

function otherFlags(model: DockerfileModel | undefined, findings: readonly Finding[]): string[] {
  const carried = model ? carriedOptions(model) : {};
  if (!carried.region && findings.some((item) => item.id === 'GCD042')) carried.region = 'cn';
  return carriedFlags(carried);
}
