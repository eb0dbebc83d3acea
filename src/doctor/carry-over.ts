// doctor's way forward: the create-go-docker command that generates our setup with what the old
// Dockerfile already knew (its module proxy, private paths, HTTP proxy and runtime base) carried
// over, so a user who just read the findings does not answer those again. Every value is checked
// with the generator's own parsers first (the Dockerfile is untrusted input), and a value that
// fails is left out, not printed.
import { shellWord } from '../plan/commands.js';
import { REGION_DEFAULTS } from '../options/regions.js';
import { parseGoProxy, parsePrivatePatterns, parseProxyUrl } from '../options/validate.js';
import { lastSetting, type DockerfileModel } from './dockerfile.js';
import type { Finding } from './findings.js';

/** The runtime image's family, as --base names it; undefined: kept as --base-image. */
const BASE_FAMILIES: readonly { base: string; matches: RegExp }[] = [
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

/**
 * `npx create-go-docker --force ...` for a Dockerfile we did not write (--force keeps it as
 * Dockerfile.orig); `npx create-go-docker regenerate` for ours.
 */
export function wayForward(dockerfile: { model: DockerfileModel; generated: boolean } | undefined, findings: readonly Finding[]): string {
  if (dockerfile?.generated) return 'npx create-go-docker regenerate';
  const model = dockerfile?.model;
  const flags: string[] = [];
  const goProxy = model ? checkedOrUndefined(() => parseGoProxy('GOPROXY', literal(model, 'GOPROXY') ?? '')) : undefined;
  const china = findings.some((item) => item.id === 'GCD042');
  if (goProxy && goProxy === REGION_DEFAULTS.cn.goProxy) flags.push('--region', 'cn');
  else if (goProxy && goProxy !== REGION_DEFAULTS.global.goProxy) flags.push('--region', 'custom', '--goproxy', goProxy);
  else if (china) flags.push('--region', 'cn');
  const goPrivate = model ? literal(model, 'GOPRIVATE') : undefined;
  const patterns = goPrivate ? checkedOrUndefined(() => parsePrivatePatterns('GOPRIVATE', goPrivate)) : undefined;
  if (patterns && patterns.length > 0) flags.push('--private', patterns.join(','));
  const proxy = model ? (literal(model, 'HTTPS_PROXY') ?? literal(model, 'HTTP_PROXY')) : undefined;
  const proxyUrl = proxy ? checkedOrUndefined(() => parseProxyUrl('HTTPS_PROXY', proxy)) : undefined;
  if (proxyUrl) flags.push('--proxy', proxyUrl);
  const runtime = model?.stages.at(-1)?.image;
  const family = runtime ? BASE_FAMILIES.find((entry) => entry.matches.test(runtime)) : undefined;
  if (family) flags.push('--base', family.base);
  return ['npx create-go-docker', ...flags.map(shellWord), '--force'].join(' ');
}
