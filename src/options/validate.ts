// Validators for every value a user can type (flags, wizard, .go-docker.yaml, policy). Each
// returns the value as its checked kind (src/values/kinds.ts) or throws a UsageError whose one
// line names the input, shows the value safely (secrets masked, controls escaped) and says how
// to fix it.
import { UsageError } from '../errors.js';
import {
  brandIf,
  buildTagProblem,
  goVersionProblem,
  imageArgProblem,
  modulePatternProblem,
  packagePathProblem,
  type BuildTag,
  type Checked,
  type GoProxyList,
  type ImageArg,
  type GoSumDb,
  type GoVersion,
  type HttpUrl,
  type ImageRef,
  type IpAddress,
  type ModulePattern,
  type PackagePath,
  type PinnedImage,
  type Platform,
  type PolicySource,
  type Problem,
  type RegistryPrefix,
} from '../values/kinds.js';
import {
  goProxyProblem,
  goSumDbProblem,
  httpUrlProblem,
  imageRefProblem,
  ipAddressProblem,
  pinKey,
  pinnedImageProblem,
  platformProblem,
  policySourceProblem,
  proxyUrlProblem,
  registryPrefixProblem,
} from '../values/network.js';
import { hasControlCharacter, hostAndPath, quoted, redactSecrets, shown } from '../values/text.js';

/** Why a value holding a credential is refused, instead of a problem that quotes a piece of it. */
// Worded without "user:password@", which the masking would turn into "***@".
const HOLDS_CREDENTIALS = 'it holds credentials (a user and password or a token before "@", or a ?query), which would be stored in clear';

/** The value as its kind, or a UsageError: `${input}: "value" is not ... (problem); fix`. */
function checked<T extends Checked<string>>(
  input: string,
  value: string,
  problem: (value: string) => Problem,
  what: string,
  fix: string,
): T {
  const result = brandIf<T>(value, problem);
  if ('value' in result) return result.value;
  // A problem may quote a piece of the value (a host label, a GOPROXY entry), and a piece of a
  // password cut at "." or "/" is no longer recognisable as one: then say only what it holds.
  const why = redactSecrets(value) === value ? result.problem : HOLDS_CREDENTIALS;
  throw new UsageError(`${input}: ${quoted(value)} is not ${what} (${why}); ${fix}.`);
}

/** `input` is how the user gave the value, e.g. "--goproxy" or "policy.yaml:3: goproxy". */
export function parseEnum<T extends string>(input: string, value: string, allowed: readonly T[]): T {
  if ((allowed as readonly string[]).includes(value)) return value as T;
  throw new UsageError(`${input}: ${quoted(value)} is not one of ${allowed.join(', ')}; pick one of those.`);
}

/**
 * GOPROXY: entries separated by "," (fall back on 404/410) or "|" (fall back on any error),
 * each an http(s) URL, "direct" or "off".
 */
export function parseGoProxy(input: string, value: string): GoProxyList {
  const list = value.trim();
  if (list === '') throw new UsageError(`${input}: empty GOPROXY; give a URL list such as https://proxy.golang.org,direct.`);
  for (const entry of list.split(/[,|]/)) {
    if (entry === 'direct' || entry === 'off' || hasControlCharacter(entry)) continue;
    if (/[;\s]/.test(entry)) {
      throw new UsageError(`${input}: ${quoted(entry)} is not one entry; separate GOPROXY entries with "," or "|", not ";" or spaces.`);
    }
    if (entry === '') {
      throw new UsageError(`${input}: ${quoted(list)} has an empty entry; separate entries with a single "," or "|".`);
    }
    if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(entry)) {
      // The suggestion is the host and path alone: credentials go in a .netrc secret, not here.
      throw new UsageError(
        `${input}: ${quoted(entry)} is not a URL, "direct" or "off"; write it as https://${shown(hostAndPath(entry.replace(/^\/+/, '')))}.`,
      );
    }
    if (!/^https?:\/\//i.test(entry)) {
      throw new UsageError(
        `${input}: ${quoted(entry)} is not an http:// or https:// URL; GOPROXY entries must be http(s) URLs, "direct" or "off".`,
      );
    }
    const problem = httpUrlProblem(entry);
    if (problem && /credentials|query|fragment/.test(problem)) {
      throw new UsageError(
        `${input}: ${quoted(entry)} has credentials, a query or a fragment; give the plain proxy URL (credentials go in a .netrc secret).`,
      );
    }
  }
  return checked(input, list, goProxyProblem, 'a GOPROXY list', 'give URLs joined by "," or "|", e.g. https://goproxy.cn,direct');
}

/** GOSUMDB: "off", a database name, optionally "+key", optionally followed by a URL. */
export function parseGoSumDb(input: string, value: string): GoSumDb {
  return checked(
    input,
    value.trim().replace(/\s+/g, ' '),
    goSumDbProblem,
    'a checksum database',
    'use a name such as sum.golang.org, optionally followed by a URL',
  );
}

/** GOPRIVATE: comma-separated module path globs (Go's path.Match syntax), never URLs. */
export function parsePrivatePatterns(input: string, value: string | string[]): ModulePattern[] {
  const items = (Array.isArray(value) ? value : value.split(',')).map((item) => item.trim());
  const patterns: ModulePattern[] = [];
  for (const pattern of items) {
    if (pattern === '') {
      if (Array.isArray(value)) throw new UsageError(`${input}: empty pattern; remove it.`);
      continue;
    }
    if (/^[a-z]+:\/\//i.test(pattern) || pattern.startsWith('git@')) {
      const path = hostAndPath(pattern)
        .replace(':', '/')
        .replace(/\.git$/, '');
      throw new UsageError(`${input}: ${quoted(pattern)} is a URL; GOPRIVATE takes module path patterns such as ${shown(path)}.`);
    }
    const checkedPattern = checked<ModulePattern>(
      input,
      pattern,
      modulePatternProblem,
      'a module path pattern',
      'use forms such as git.company.com/team or *.corp.example.com',
    );
    if (!patterns.includes(checkedPattern)) patterns.push(checkedPattern);
  }
  if (patterns.length === 0 && !Array.isArray(value)) {
    throw new UsageError(`${input}: no patterns given; pass comma-separated module paths such as git.company.com/*.`);
  }
  return patterns;
}

/** A Go release: 1.22, 1.22.3, go1.22.3, 1.23rc1. Returns it without the "go" prefix. */
export function parseGoVersion(input: string, value: string): GoVersion {
  return checked(input, value.trim().replace(/^go/, ''), goVersionProblem, 'a Go version', 'use a release such as 1.26 or 1.26.8');
}

export function parsePort(input: string, value: string | number): number {
  const port = typeof value === 'number' ? value : /^\d{1,5}$/.test(value.trim()) ? Number(value) : NaN;
  if (Number.isInteger(port) && port >= 1 && port <= 65535) return port;
  throw new UsageError(`${input}: ${quoted(String(value))} is not a TCP port; use a number from 1 to 65535.`);
}

/** A package path inside the module, written the way `go build` takes it: "." or "./cmd/api". */
export function parseMainPackage(input: string, value: string): PackagePath {
  const trimmed = value.trim().replace(/\/+$/, '');
  const normalised = trimmed === '' || trimmed === '.' ? '.' : trimmed.startsWith('./') ? trimmed : `./${trimmed}`;
  const result = brandIf<PackagePath>(normalised, packagePathProblem);
  if ('value' in result) return result.value;
  throw new UsageError(
    `${input}: ${quoted(value)} is not a package directory inside the module (${result.problem}); use a path such as ./cmd/api.`,
  );
}

export function parseImageRef(input: string, value: string): ImageRef {
  return checked(input, value.trim(), imageRefProblem, 'an image reference', 'use a form such as registry.example.com/team/runtime:1.2');
}

/** A registry or mirror prefix: host[:port][/path], no scheme, no tag. */
export function parseRegistryPrefix(input: string, value: string): RegistryPrefix {
  const prefix = value.trim().replace(/\/+$/, '');
  if (/^[a-z]+:\/\//i.test(prefix)) {
    throw new UsageError(`${input}: ${quoted(value)} has a scheme; give the prefix without it, e.g. ${shown(hostAndPath(prefix))}.`);
  }
  return checked(input, prefix, registryPrefixProblem, 'a registry prefix', 'use a form such as harbor.example.com/dockerhub-proxy');
}

export function parsePlatforms(input: string, value: string | string[]): Platform[] {
  const items = (Array.isArray(value) ? value : value.split(',')).map((item) => item.trim()).filter(Boolean);
  const platforms = items.map((platform) =>
    checked<Platform>(input, platform, platformProblem, 'a platform', 'use os/arch such as linux/amd64,linux/arm64'),
  );
  return [...new Set(platforms)];
}

export function parseDnsServers(input: string, value: string | string[]): IpAddress[] {
  const items = (Array.isArray(value) ? value : value.split(',')).map((item) => item.trim()).filter(Boolean);
  const addresses = items.map((address) =>
    checked<IpAddress>(input, address, ipAddressProblem, 'an IP address', `dockerd's "dns" takes addresses such as 223.5.5.5`),
  );
  return [...new Set(addresses)];
}

/** Docker Hub mirrors as dockerd's "registry-mirrors" takes them: http(s) URLs without a path. */
export function parseRegistryMirrors(input: string, value: string | string[]): HttpUrl[] {
  const items = (Array.isArray(value) ? value : value.split(',')).map((item) => item.trim()).filter(Boolean);
  const mirrors = items.map((mirror) =>
    checked<HttpUrl>(
      input,
      mirror.replace(/\/+$/, ''),
      (url) => httpUrlProblem(url) ?? (/^https?:\/\/[^/]+$/.test(url) ? undefined : 'a mirror URL has no path'),
      'a registry mirror URL',
      'dockerd takes mirrors such as https://docker.m.daocloud.io',
    ),
  );
  return [...new Set(mirrors)];
}

function bareProxyUrl(url: string): string | undefined {
  try {
    const parsed = new URL(url);
    const bare = `${parsed.protocol}//${parsed.host}`;
    return /^https?:\/\/[a-z0-9.-]+(:\d+)?$/i.test(bare) ? bare : undefined;
  } catch {
    return undefined;
  }
}

export function parseProxyUrl(input: string, value: string): HttpUrl {
  const url = value.trim();
  const problem = httpUrlProblem(url);
  if (problem && /credentials|query/.test(problem)) {
    // How to pass them: the URL without them here, the credentials only in the build command
    // (Docker keeps the predefined proxy build args out of docker history). The bare URL is
    // named only when it parses to a plain http(s) host: a value that does not must not leak
    // a piece of its secret into the message.
    const bare = bareProxyUrl(url);
    throw new UsageError(
      `${input}: ${quoted(url)} has credentials or a query string, which would be written in clear to the generated ` +
        `files; give --proxy ${bare ?? 'the proxy URL with scheme, host and port only'}, and pass the credentials only ` +
        `when building, in the full URL: docker build --build-arg HTTPS_PROXY=<that URL> ... (Docker keeps proxy build ` +
        `args out of docker history).`,
    );
  }
  return checked(input, url, proxyUrlProblem, 'a proxy URL', 'use a form such as http://proxy.example.com:3128');
}

export function parsePolicySource(input: string, value: string): PolicySource {
  return checked(input, value.trim(), policySourceProblem, 'a policy source', 'use owner/repo:path/to/policy.yaml or an https URL');
}

export function parseBoolean(input: string, value: unknown): boolean {
  if (typeof value === 'boolean') return value;
  if (value === 'true') return true;
  if (value === 'false') return false;
  throw new UsageError(`${input}: ${quoted(String(value))} is not true or false; write true or false.`);
}

/** A file path the user gave (--ca-cert, --out, --policy): any path, but one line. */
export function parsePath(input: string, value: string): string {
  if (value.trim() === '') throw new UsageError(`${input}: empty path; give a path.`);
  if (hasControlCharacter(value))
    throw new UsageError(`${input}: ${quoted(value)} has a control character or line break; rename it or give another path.`);
  return value;
}

export function parseTags(input: string, value: string | string[]): BuildTag[] {
  const items = (Array.isArray(value) ? value : value.split(/[\s,]+/)).map((item) => item.trim()).filter(Boolean);
  const tags = items.map((tag) =>
    checked<BuildTag>(input, tag, buildTagProblem, 'a build tag', 'use letters, digits, _ and ., e.g. --tags netgo,osusergo'),
  );
  return [...new Set(tags)];
}

/**
 * Image pins, name:tag@sha256:..., one per image: a second pin for the same name:tag is refused
 * (which digest would the files get?).
 */
export function parsePins(input: string, value: string | string[]): PinnedImage[] {
  const items = (Array.isArray(value) ? value : value.split(',')).map((item) => item.trim()).filter(Boolean);
  const pins = items.map((pin) =>
    checked<PinnedImage>(
      input,
      pin,
      pinnedImageProblem,
      'an image pin',
      'write the image and its tag, then @sha256: and 64 hex digits, or run regenerate --refresh-pins',
    ),
  );
  const seen = new Map<string, string>();
  for (const pin of pins) {
    const name = pinKey(pin);
    const earlier = seen.get(name);
    if (earlier !== undefined && earlier !== pin)
      throw new UsageError(`${input}: ${quoted(name)} is pinned twice, to two digests; keep one (or run regenerate --refresh-pins).`);
    seen.set(name, pin);
  }
  return [...new Set(pins)].sort();
}

/**
 * The image's default arguments: a list, or one string split as a shell splits words (quotes
 * group, a backslash escapes), e.g. --args 'serve --http=0.0.0.0:8090'.
 */
export function parseImageArgs(input: string, value: string | string[]): ImageArg[] {
  const words = Array.isArray(value) ? value : splitWords(input, value);
  for (const word of words) {
    if (redactSecrets(word) !== word) {
      throw new UsageError(
        `${input}: ${quoted(word)} holds credentials or a query string, which would be stored in the image config for ` +
          `anyone to read; pass secrets at run time (docker run -e or a mounted file).`,
      );
    }
  }
  return words.map((word) =>
    checked<ImageArg>(input, word, imageArgProblem, 'an argument', 'give plain words, e.g. --args "serve --http=0.0.0.0:8090"'),
  );
}

function splitWords(input: string, text: string): string[] {
  const words: string[] = [];
  let current: string | undefined;
  let quote: string | undefined;
  for (let index = 0; index < text.length; index++) {
    const char = text[index]!;
    if (quote) {
      if (char === quote) quote = undefined;
      else if (char === '\\' && quote === '"' && index + 1 < text.length) current = `${current ?? ''}${text[++index]}`;
      else current = `${current ?? ''}${char}`;
    } else if (char === '"' || char === "'") {
      quote = char;
      current ??= '';
    } else if (char === '\\' && index + 1 < text.length) current = (current ?? '') + text.charAt(++index);
    // Spaces and tabs separate words, as in a shell; any other control character or line
    // break stays in its word, where the argument check refuses it.
    else if (char === ' ' || char === '\t') {
      if (current !== undefined) words.push(current);
      current = undefined;
    } else current = (current ?? '') + char;
  }
  if (quote) throw new UsageError(`${input}: ${quoted(text)} has an unclosed ${quote} quote; close it.`);
  if (current !== undefined) words.push(current);
  return words;
}
