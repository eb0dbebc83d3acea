// Network and image values: hosts, IP addresses, URLs, GOPROXY lists, checksum databases,
// image references and registry prefixes (Docker's reference grammar), platforms. Same
// contract as kinds.ts: a predicate returns why a value is not of its kind.
import { commonProblem, type PolicySource, type Problem } from './kinds.js';
import { parseImageName } from './image-name.js';
import { quoted } from './text.js';

/** A DNS name or an IP literal, with an optional port: what a URL, a registry or a git host names. */
export function hostProblem(value: string): Problem {
  const common = commonProblem(value, 260);
  if (common) return common;
  const bracketed = /^\[([0-9A-Fa-f:.]+)\](?::(\d{1,5}))?$/.exec(value);
  if (bracketed) {
    // Go's rules, as for --dns (and Node's isIP compiles a regular expression costing 10 ms of a run).
    if (!goParseIpv6(bracketed[1]!)) return 'it is not an IPv6 address';
    return portProblem(bracketed[2]);
  }
  const match = /^([^:]+)(?::(\d{1,5}))?$/.exec(value);
  if (!match) return 'it is not a host name';
  const name = match[1]!;
  if (/^[\d.]+$/.test(name)) {
    if (!goParseIpv4(name, 0)) return 'it is not an IPv4 address (four numbers 0-255, no leading zeros)';
    return portProblem(match[2]);
  }
  if (name.length > 253) return 'the host name is longer than 253 characters';
  for (const label of name.split('.')) {
    if (!/^[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?$/.test(label)) return `${quoted(label)} is not a valid host name label`;
  }
  return portProblem(match[2]);
}

function portProblem(port: string | undefined): Problem {
  if (port === undefined) return undefined;
  const number = Number(port);
  return number >= 1 && number <= 65535 && !port.startsWith('0') ? undefined : `port ${port} is not 1-65535`;
}

/** An HTTP(S) proxy: scheme, host and port only (a path, credentials or a query make no proxy). */
export function proxyUrlProblem(value: string): Problem {
  const problem = httpUrlProblem(value);
  if (problem) return problem;
  return /^https?:\/\/[^/]+\/?$/i.test(value) ? undefined : 'a proxy URL has no path; give scheme, host and port only';
}

/**
 * An IP address as Go's net.ParseIP reads it: dockerd checks each "dns" entry of daemon.json
 * with it (moby opts.ValidateIPAddress) and refuses to start on one it rejects. Node's isIP is
 * not that check: it takes a zone (fe80::1%eth0), which dockerd refuses.
 */
export function ipAddressProblem(value: string): Problem {
  const common = commonProblem(value, 64);
  if (common) return common;
  if (value.includes('%')) return 'it has a zone id, which dockerd refuses';
  if (value.includes('[') || value.includes('/')) return 'it has brackets or a /prefix length';
  return goParseIp(value) ? undefined : 'neither IPv4 (four numbers 0-255, no leading zeros) nor IPv6';
}

/** net.ParseIP (netip.ParseAddr without a zone): the first "." or ":" says which family. */
function goParseIp(text: string): boolean {
  for (let index = 0; index < text.length; index++) {
    if (text[index] === '.') return goParseIpv4(text, 0);
    if (text[index] === ':') return goParseIpv6(text);
    if (text[index] === '%') return false;
  }
  return false;
}

/** Four decimal fields 0-255 from `from` to the end, no leading zeros (Go 1.17 and later). */
function goParseIpv4(text: string, from: number): boolean {
  let value = 0;
  let digits = 0;
  let dots = 0;
  for (let index = from; index < text.length; index++) {
    const char = text[index]!;
    if (char >= '0' && char <= '9') {
      if (digits === 1 && value === 0) return false;
      value = value * 10 + Number(char);
      digits++;
      if (value > 255) return false;
    } else if (char === '.') {
      if (index === from || index === text.length - 1 || text[index - 1] === '.' || dots === 3) return false;
      dots++;
      value = 0;
      digits = 0;
    } else return false;
  }
  return dots === 3;
}

/**
 * Up to eight groups of 1-4 hex digits, at most one "::" standing for at least one zero group,
 * and an IPv4 address in place of the last two groups; no zone (ParseIP refuses any).
 */
function goParseIpv6(text: string): boolean {
  let position = 0;
  let bytes = 0;
  let ellipsis = -1;
  if (text.startsWith('::')) {
    ellipsis = 0;
    position = 2;
    if (position === text.length) return true;
  }
  while (bytes < 16) {
    let digits = 0;
    while (position + digits < text.length && /[0-9A-Fa-f]/.test(text[position + digits]!)) {
      if (++digits > 4) return false;
    }
    if (digits === 0) return false;
    if (text[position + digits] === '.') {
      // The embedded IPv4 address replaces the last two groups and ends the address.
      if ((ellipsis < 0 && bytes !== 12) || bytes + 4 > 16) return false;
      if (!goParseIpv4(text, position)) return false;
      position = text.length;
      bytes += 4;
      break;
    }
    bytes += 2;
    position += digits;
    if (position === text.length) break;
    if (text[position] !== ':' || position + 1 === text.length) return false;
    position++;
    if (text[position] === ':') {
      if (ellipsis >= 0) return false;
      ellipsis = bytes;
      position++;
      if (position === text.length) break;
    }
  }
  if (position !== text.length) return false;
  // "::" must stand for at least one group of zeros; without it, all eight groups are needed.
  return bytes < 16 ? ellipsis >= 0 : ellipsis < 0;
}

/**
 * An http(s) URL we may write into a Dockerfile ARG, daemon.json or a command: a valid host,
 * no credentials, query or fragment (they would be stored in clear), no character a Dockerfile,
 * a shell word or a GOPROXY list would read specially.
 */
export function httpUrlProblem(value: string): Problem {
  const common = commonProblem(value, 400);
  if (common) return common;
  const match = /^(https?):\/\/([^/?#]*)([^?#]*)(\?[^#]*)?(#.*)?$/i.exec(value);
  if (!match) return 'it is not an http:// or https:// URL';
  const [, , authority, path, query, fragment] = match;
  if (authority!.includes('@')) return 'it has credentials (a user and password before "@"); they would be stored in clear';
  if (query !== undefined) return 'it has a query string (?...), which may hold a token and would be stored in clear';
  if (fragment !== undefined) return 'it has a fragment (#...)';
  const host = hostProblem(authority!);
  if (host) return host;
  if (!/^[A-Za-z0-9._~%/+=-]*$/.test(path!)) return 'its path has characters other than letters, digits and . _ ~ % / + = -';
  if (path!.includes('//')) return 'its path has an empty segment (//)';
  if (/%(?![0-9A-Fa-f]{2})/.test(path!)) return 'its path has a malformed %-escape';
  return undefined;
}

/** GOPROXY: http(s) URLs, "direct" or "off", joined by "," or "|". */
export function goProxyProblem(value: string): Problem {
  const common = commonProblem(value, 1000);
  if (common) return common;
  for (const entry of value.split(/[,|]/)) {
    if (entry === 'direct' || entry === 'off') continue;
    if (entry === '') return 'it has an empty entry';
    const problem = httpUrlProblem(entry);
    if (problem) return `entry ${quoted(entry)}: ${problem}`;
  }
  return undefined;
}

/** GOSUMDB: "off", or a name with an optional +key, optionally followed by one space and a URL. */
export function goSumDbProblem(value: string): Problem {
  const common = commonProblem(value, 400);
  if (common) return common;
  if (value === 'off') return undefined;
  const match = /^([^\s+]+)(\+[A-Za-z0-9+/=]+)?(?: (\S+))?$/.exec(value);
  if (!match) return 'it is not a checksum database name, optionally with a +key and a URL';
  const name = hostProblem(match[1]!);
  if (name) return `the name ${name}`;
  if (match[3] !== undefined) {
    const url = httpUrlProblem(match[3]);
    if (url) return `the URL ${url}`;
  }
  return undefined;
}

// Docker's reference grammar (distribution/reference).
const DOMAIN_COMPONENT = '(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])';
const DOMAIN = `(?:${DOMAIN_COMPONENT}(?:\\.${DOMAIN_COMPONENT})*|\\[[0-9A-Fa-f:]+\\])(?::[0-9]+)?`;
const PATH_COMPONENT = '[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*';
const TAG = '[\\w][\\w.-]{0,127}';
const DIGEST = '[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}';
const IMAGE_REFERENCE = new RegExp(`^(?:(${DOMAIN})/)?(${PATH_COMPONENT}(?:/${PATH_COMPONENT})*)(?::(${TAG}))?(?:@(${DIGEST}))?$`);
const REGISTRY_PREFIX = new RegExp(`^(${DOMAIN})((?:/${PATH_COMPONENT})*)$`);

export function imageRefProblem(value: string): Problem {
  const common = commonProblem(value, 400);
  if (common) return common;
  const match = IMAGE_REFERENCE.exec(value);
  if (!match) return 'it is not an image reference ([registry/]path[:tag][@digest], lower-case path)';
  const domain = match[1];
  if (domain !== undefined && !/[.:]|^localhost$/.test(domain) && domain === domain.toLowerCase()) {
    // "team/image": Docker reads the first element as a path, which the grammar allows.
    return undefined;
  }
  if (domain !== undefined) {
    const host = hostProblem(domain);
    if (host) return `its registry ${host}`;
  }
  if ((match[2]?.length ?? 0) > 255) return 'its name is longer than 255 characters';
  return undefined;
}

/** An image's digest as registries give it and Renovate writes it: sha256 and 64 lower-case hex digits. */
export const IMAGE_DIGEST = /^sha256:[0-9a-f]{64}$/;

/**
 * An image pin: a tagged reference and the digest it resolved to, name:tag@sha256:<64 hex>. The
 * tag stays (the files keep naming a release a reader knows; Renovate reads it to look up the
 * next digest), and only sha256 is admitted, which is what registries serve and Renovate writes.
 */
export function pinnedImageProblem(value: string): Problem {
  const at = value.indexOf('@');
  if (at < 0) return 'it has no @sha256: digest';
  const reference = imageRefProblem(pinKey(value));
  if (reference) return reference;
  if (!parseImageName(value).suffix.startsWith(':')) return 'it has no tag before the digest (name:tag@sha256:...)';
  if (!IMAGE_DIGEST.test(value.slice(at + 1))) return 'its digest is not sha256: and 64 lower-case hex digits';
  return undefined;
}

/** A pin's reference without its digest (name:tag): the image it pins, as the files name it. */
export function pinKey(pin: string): string {
  return pin.slice(0, pin.indexOf('@'));
}

export function registryPrefixProblem(value: string): Problem {
  const common = commonProblem(value, 300);
  if (common) return common;
  const match = REGISTRY_PREFIX.exec(value);
  if (!match) return 'it is not host[:port][/path] with a lower-case path';
  const host = hostProblem(match[1]!);
  if (host) return host;
  if (!/[.:]/.test(match[1]!) && match[1] !== 'localhost')
    return 'its host has no dot or port (write the registry host, e.g. harbor.example.com)';
  return undefined;
}

/** The platforms container images are built for (OCI os/arch/variant names, as buildx takes them). */
const PLATFORM_OS = ['linux', 'windows', 'freebsd'];
const PLATFORM_ARCH: Record<string, readonly string[]> = {
  amd64: ['v1', 'v2', 'v3', 'v4'],
  arm64: ['v8'],
  arm: ['v5', 'v6', 'v7'],
  '386': [],
  ppc64le: [],
  s390x: [],
  riscv64: [],
  mips64le: [],
  loong64: [],
};

export function platformProblem(value: string): Problem {
  const [os, arch, variant, extra] = value.split('/');
  if (!os || !arch || extra !== undefined) return 'it is not os/arch[/variant]';
  if (!PLATFORM_OS.includes(os)) return `${quoted(os)} is not an OS images are built for (${PLATFORM_OS.join(', ')})`;
  const variants = PLATFORM_ARCH[arch];
  if (!variants) return `${quoted(arch)} is not an architecture (${Object.keys(PLATFORM_ARCH).join(', ')}; x86 is amd64 or 386)`;
  if (variant !== undefined && !variants.includes(variant))
    return `${quoted(variant)} is not a variant of ${arch}${variants.length > 0 ? ` (${variants.join(', ')})` : ''}`;
  return undefined;
}

/** owner/repo(/more):path, the repository and the path in it. */
const REPOSITORY_SOURCE = /^([A-Za-z0-9_.-]+(?:\/[A-Za-z0-9_.-]+)+):([A-Za-z0-9_./-]+)$/;

/** A checked policy source, split: an https URL, or a repository and the path in it. */
export function policySourceParts(source: PolicySource): { url: string } | { repository: string; path: string } {
  const match = REPOSITORY_SOURCE.exec(source);
  return match ? { repository: match[1]!, path: match[2]! } : { url: source };
}

/**
 * Where CI fetches the policy: "owner/repo:path/to/policy.yaml" (a repository on the same GitHub
 * or GitLab, then a relative path in it) or an https URL without credentials.
 */
export function policySourceProblem(value: string): Problem {
  const common = commonProblem(value, 512);
  if (common) return common;
  if (/^https:\/\//.test(value)) {
    const problem = httpUrlProblem(value);
    if (problem) return problem;
    return /[\s"'`$\\]/.test(value) ? 'it has a character a workflow cannot quote safely' : undefined;
  }
  const match = REPOSITORY_SOURCE.exec(value);
  if (!match) return 'it is neither owner/repo:path/to/policy.yaml nor an https URL';
  const path = match[2]!;
  if (path.startsWith('/') || path.split('/').some((part) => part === '..' || part === '.' || part === ''))
    return 'its path must be relative inside the repository, without . or .. parts';
  if (match[1]!.split('/').some((part) => part === '.' || part === '..')) return 'its repository has a . or .. part';
  return undefined;
}
