// Validators for every value a user can type. Each returns the normalised value or throws a
// UsageError whose one line names the input and says how to fix it.
import { UsageError } from '../errors.js';

/** `input` is how the user gave the value, e.g. "--goproxy" or "policy.yaml: goproxy". */
export function parseEnum<T extends string>(input: string, value: string, allowed: readonly T[]): T {
  if ((allowed as readonly string[]).includes(value)) return value as T;
  throw new UsageError(`${input}: "${value}" is not one of ${allowed.join(', ')}; pick one of those.`);
}

/**
 * GOPROXY: entries separated by "," (fall back on 404/410) or "|" (fall back on any error),
 * each an http(s) URL, "direct" or "off".
 */
export function parseGoProxy(input: string, value: string): string {
  const list = value.trim();
  if (list === '') throw new UsageError(`${input}: empty GOPROXY; give a URL list such as https://proxy.golang.org,direct.`);
  for (const entry of list.split(/[,|]/)) {
    if (entry === 'direct' || entry === 'off') continue;
    if (/[;\s]/.test(entry)) {
      throw new UsageError(`${input}: "${entry}" is not one entry; separate GOPROXY entries with "," or "|", not ";" or spaces.`);
    }
    if (entry === '') {
      throw new UsageError(`${input}: "${list}" has an empty entry; separate entries with a single "," or "|".`);
    }
    let url: URL;
    try {
      url = new URL(entry);
    } catch {
      throw new UsageError(`${input}: "${entry}" is not a URL, "direct" or "off"; write it as https://${entry.replace(/^\/+/, '')}.`);
    }
    if (url.protocol !== 'https:' && url.protocol !== 'http:') {
      throw new UsageError(`${input}: "${entry}" uses ${url.protocol}; GOPROXY entries must be http:// or https:// URLs, "direct" or "off".`);
    }
    if (url.search || url.hash || url.username || url.password) {
      throw new UsageError(`${input}: "${entry}" has credentials, a query or a fragment; give the plain proxy URL (credentials go in a .netrc secret).`);
    }
  }
  return list;
}

/** GOSUMDB: "off", a database name, optionally "+key", optionally followed by a URL. */
export function parseGoSumDb(input: string, value: string): string {
  const sumdb = value.trim();
  const match = /^([A-Za-z0-9.-]+(\+[^\s]+)?)(\s+(https?:\/\/\S+))?$/.exec(sumdb);
  if (sumdb === 'off' || match) return sumdb;
  throw new UsageError(`${input}: "${value}" is not a checksum database; use a name such as sum.golang.org, optionally followed by a URL.`);
}

const GLOB_CHARS = /^[A-Za-z0-9._~\-/*?[\]^!]+$/;

/** GOPRIVATE: comma-separated module path globs (Go's path.Match syntax), never URLs. */
export function parsePrivatePatterns(input: string, value: string | string[]): string[] {
  const items = (Array.isArray(value) ? value : value.split(',')).map((item) => item.trim());
  const patterns: string[] = [];
  for (const pattern of items) {
    if (pattern === '') {
      if (Array.isArray(value)) throw new UsageError(`${input}: empty pattern; remove it.`);
      continue;
    }
    if (/^[a-z]+:\/\//i.test(pattern) || pattern.startsWith('git@')) {
      const path = pattern.replace(/^[a-z]+:\/\//i, '').replace(/^git@/, '').replace(':', '/').replace(/\.git$/, '');
      throw new UsageError(`${input}: "${pattern}" is a URL; GOPRIVATE takes module path patterns such as ${path}.`);
    }
    if (!GLOB_CHARS.test(pattern) || !bracketsBalanced(pattern) || pattern.startsWith('/') || pattern.endsWith('/')) {
      throw new UsageError(`${input}: "${pattern}" is not a module path pattern; use forms such as git.company.com/team or *.corp.example.com.`);
    }
    if (!patterns.includes(pattern)) patterns.push(pattern);
  }
  if (patterns.length === 0 && !Array.isArray(value)) {
    throw new UsageError(`${input}: no patterns given; pass comma-separated module paths such as git.company.com/*.`);
  }
  return patterns;
}

function bracketsBalanced(pattern: string): boolean {
  let open = false;
  for (const char of pattern) {
    if (char === '[') {
      if (open) return false;
      open = true;
    } else if (char === ']') {
      if (!open) return false;
      open = false;
    }
  }
  return !open;
}

/** A Go release: 1.22, 1.22.3, go1.22.3, 1.23rc1. Returns it without the "go" prefix. */
export function parseGoVersion(input: string, value: string): string {
  const version = value.trim().replace(/^go/, '');
  if (/^1\.\d+(\.\d+)?((rc|beta)\d+)?$/.test(version)) return version;
  throw new UsageError(`${input}: "${value}" is not a Go version; use a release such as 1.26 or 1.26.8.`);
}

export function parsePort(input: string, value: string | number): number {
  const port = typeof value === 'number' ? value : /^\d+$/.test(value.trim()) ? Number(value) : NaN;
  if (Number.isInteger(port) && port >= 1 && port <= 65535) return port;
  throw new UsageError(`${input}: "${value}" is not a TCP port; use a number from 1 to 65535.`);
}

/** A package path inside the module, written the way `go build` takes it: "." or "./cmd/api". */
export function parseMainPackage(input: string, value: string): string {
  const trimmed = value.trim().replace(/\/+$/, '');
  const normalised = trimmed === '' || trimmed === '.' ? '.' : trimmed.startsWith('./') ? trimmed : `./${trimmed}`;
  if (/^\.(\/[A-Za-z0-9._-]+)*$/.test(normalised) && !normalised.split('/').includes('..')) return normalised;
  throw new UsageError(`${input}: "${value}" is not a package directory inside the module; use a path such as ./cmd/api.`);
}

// Docker image reference: [host[:port]/]path[:tag][@digest], lower-case path components.
const IMAGE_REF = /^(?:[a-zA-Z0-9.-]+(?::\d+)?\/)?[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:\/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*(?::[\w][\w.-]{0,127})?(?:@sha256:[a-f0-9]{64})?$/;

export function parseImageRef(input: string, value: string): string {
  const ref = value.trim();
  if (IMAGE_REF.test(ref)) return ref;
  throw new UsageError(`${input}: "${value}" is not an image reference; use a form such as registry.example.com/team/runtime:1.2.`);
}

/** A registry or mirror prefix: host[:port][/path], no scheme, no tag. */
export function parseRegistryPrefix(input: string, value: string): string {
  const prefix = value.trim().replace(/\/+$/, '');
  if (/^[a-z]+:\/\//i.test(prefix)) {
    throw new UsageError(`${input}: "${value}" has a scheme; give the prefix without it, e.g. ${prefix.replace(/^[a-z]+:\/\//i, '')}.`);
  }
  if (/^[a-zA-Z0-9.-]+(:\d+)?(\/[a-z0-9]+([._-][a-z0-9]+)*)*$/.test(prefix) && prefix.includes('.')) return prefix;
  throw new UsageError(`${input}: "${value}" is not a registry prefix; use a form such as harbor.example.com/dockerhub-proxy.`);
}

const PLATFORM = /^[a-z0-9]+\/[a-z0-9]+(\/v\d+)?$/;

export function parsePlatforms(input: string, value: string | string[]): string[] {
  const items = (Array.isArray(value) ? value : value.split(',')).map((item) => item.trim()).filter(Boolean);
  for (const platform of items) {
    if (!PLATFORM.test(platform)) {
      throw new UsageError(`${input}: "${platform}" is not a platform; use os/arch such as linux/amd64,linux/arm64.`);
    }
  }
  return [...new Set(items)];
}

export function parseDnsServers(input: string, value: string | string[]): string[] {
  const items = (Array.isArray(value) ? value : value.split(',')).map((item) => item.trim()).filter(Boolean);
  for (const address of items) {
    if (!isIpAddress(address)) {
      throw new UsageError(`${input}: "${address}" is not an IP address; dockerd's "dns" takes addresses such as 223.5.5.5.`);
    }
  }
  return [...new Set(items)];
}

function isIpAddress(address: string): boolean {
  const octets = address.split('.');
  if (octets.length === 4) return octets.every((octet) => /^\d{1,3}$/.test(octet) && Number(octet) <= 255);
  return /^[0-9a-fA-F:]+$/.test(address) && address.includes(':');
}

export function parseProxyUrl(input: string, value: string): string {
  try {
    const url = new URL(value.trim());
    if ((url.protocol === 'http:' || url.protocol === 'https:') && url.hostname !== '' && !url.username && !url.password) {
      return value.trim();
    }
    if (url.username || url.password) {
      throw new UsageError(`${input}: "${url.host}" has credentials in the URL; they would be written to daemon.json and the build command: use a proxy that does not need them, or pass them at build time.`);
    }
  } catch (error) {
    if (error instanceof UsageError) throw error;
  }
  throw new UsageError(`${input}: "${value}" is not a proxy URL; use a form such as http://proxy.example.com:3128.`);
}

export function parseBoolean(input: string, value: unknown): boolean {
  if (typeof value === 'boolean') return value;
  throw new UsageError(`${input}: "${String(value)}" is not true or false; write true or false.`);
}
