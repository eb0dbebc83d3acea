// The kinds of value create-go-docker writes into files, each a branded string type with the
// one predicate that admits it. A plan field typed GoVersion can only hold a string that passed
// `goVersion`; nothing else type-checks. The predicates are pure and return why a value is not
// of the kind (undefined when it is), so callers can name the input in their own words.
import { isIP } from 'node:net';
import { isValidPattern } from './glob.js';
import { hasControlCharacter } from './text.js';

declare const brand: unique symbol;
/** A string proven to be of kind K. */
export type Checked<K extends string> = string & { readonly [brand]: K };

export type GoVersion = Checked<'GoVersion'>;
export type ModulePath = Checked<'ModulePath'>;
/** "." or "./cmd/api": a package directory inside the module, as go build takes it. */
export type PackagePath = Checked<'PackagePath'>;
export type GoIdentifier = Checked<'GoIdentifier'>;
export type GoProxyList = Checked<'GoProxyList'>;
export type GoSumDb = Checked<'GoSumDb'>;
export type ModulePattern = Checked<'ModulePattern'>;
export type HostName = Checked<'HostName'>;
export type IpAddress = Checked<'IpAddress'>;
export type ImageRef = Checked<'ImageRef'>;
export type RegistryPrefix = Checked<'RegistryPrefix'>;
export type HttpUrl = Checked<'HttpUrl'>;
export type Platform = Checked<'Platform'>;
/** A relative path inside the build context: safe in a Dockerfile, a mount option and .dockerignore. */
export type ContextPath = Checked<'ContextPath'>;
/** A .dockerignore pattern (a //go:embed pattern, a path): one line, no escapes. */
export type IgnorePattern = Checked<'IgnorePattern'>;
/** A name we derive (binary, stage, image tag, file): [a-z][a-z0-9._-]* or the binary's own name. */
export type SafeName = Checked<'SafeName'>;

export type Problem = string | undefined;

function commonProblem(value: string, max = 512): Problem {
  if (value === '') return 'it is empty';
  if (hasControlCharacter(value)) return 'it contains a control character or line break';
  if (value.length > max) return `it is longer than ${max} characters`;
  return undefined;
}

// ---- Go

/** A Go release or language version: 1.22, 1.22.3, 1.23rc1 (a "go" prefix is dropped by callers). */
export function goVersionProblem(value: string): Problem {
  const common = commonProblem(value, 32);
  if (common) return common;
  if (!/^1\.(0|[1-9]\d{0,2})(\.(0|[1-9]\d{0,3}))?((rc|beta)[1-9]\d{0,2})?$/.test(value)) return 'it is not a Go version';
  return undefined;
}

/** Characters Go allows in an import path element (module.CheckImportPath). */
const IMPORT_ELEMENT = /^[A-Za-z0-9._~+-]+$/;

function importElementProblem(element: string): Problem {
  if (element === '') return 'it has an empty path element';
  if (element === '.' || element === '..') return `it has a "${element}" element`;
  if (!IMPORT_ELEMENT.test(element)) return `"${element}" has a character Go does not allow in import paths (letters, digits and . _ ~ + - only)`;
  if (element.startsWith('.')) return `"${element}" starts with a dot`;
  if (element.endsWith('.')) return `"${element}" ends with a dot`;
  return undefined;
}

/** module.CheckImportPath's rules, which a main module's path must meet. */
export function modulePathProblem(value: string): Problem {
  const common = commonProblem(value, 400);
  if (common) return common;
  if (value.startsWith('/') || value.endsWith('/')) return 'it starts or ends with a slash';
  for (const element of value.split('/')) {
    const problem = importElementProblem(element);
    if (problem) return problem;
  }
  return undefined;
}

/** A relative package directory ("." or "./a/b") whose import path Go accepts. */
export function packagePathProblem(value: string): Problem {
  const common = commonProblem(value, 400);
  if (common) return common;
  if (value === '.') return undefined;
  if (!value.startsWith('./')) return 'it does not start with ./';
  for (const element of value.slice(2).split('/')) {
    const problem = importElementProblem(element);
    if (problem) return problem;
  }
  return undefined;
}

export function goIdentifierProblem(value: string): Problem {
  return /^[A-Za-z_][A-Za-z0-9_]{0,99}$/.test(value) ? undefined : 'it is not a Go identifier';
}

// ---- Networks

/** A DNS name or an IP literal, with an optional port: what a URL, a registry or a git host names. */
export function hostProblem(value: string): Problem {
  const common = commonProblem(value, 260);
  if (common) return common;
  const bracketed = /^\[([0-9A-Fa-f:.]+)\](?::(\d{1,5}))?$/.exec(value);
  if (bracketed) {
    if (isIP(bracketed[1]!) !== 6) return 'it is not an IPv6 address';
    return portProblem(bracketed[2]);
  }
  const match = /^([^:]+)(?::(\d{1,5}))?$/.exec(value);
  if (!match) return 'it is not a host name';
  const name = match[1]!;
  if (/^[\d.]+$/.test(name)) {
    if (isIP(name) !== 4) return 'it is not an IPv4 address (four numbers 0-255, no leading zeros)';
    return portProblem(match[2]);
  }
  if (name.length > 253) return 'the host name is longer than 253 characters';
  for (const label of name.split('.')) {
    if (!/^[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?$/.test(label)) return `"${label}" is not a valid host name label`;
  }
  return portProblem(match[2]);
}

function portProblem(port: string | undefined): Problem {
  if (port === undefined) return undefined;
  const number = Number(port);
  return number >= 1 && number <= 65535 && !port.startsWith('0') ? undefined : `port ${port} is not 1-65535`;
}

export function ipAddressProblem(value: string): Problem {
  const common = commonProblem(value, 64);
  if (common) return common;
  return isIP(value) === 0 ? 'it is not an IP address' : undefined;
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
  if (authority!.includes('@')) return 'it has credentials (user:password@); they would be stored in clear';
  if (query !== undefined) return 'it has a query string (?...), which may hold a token and would be stored in clear';
  if (fragment !== undefined) return 'it has a fragment (#...)';
  const host = hostProblem(authority!);
  if (host) return host;
  if (!/^[A-Za-z0-9._~%/+=:@-]*$/.test(path!)) return 'its path has characters other than letters, digits and . _ ~ % / + = : @ -';
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
    if (problem) return `entry "${entry}": ${problem}`;
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

/** A GOPRIVATE glob: import-path characters and path.Match syntax. */
export function modulePatternProblem(value: string): Problem {
  const common = commonProblem(value, 400);
  if (common) return common;
  if (!/^[A-Za-z0-9._~+/*?[\]^-]+$/.test(value)) return 'it has characters other than module path characters and * ? [ ] ^';
  if (value.startsWith('/') || value.endsWith('/')) return 'it starts or ends with a slash';
  if (value.split('/').some((element) => element === '' || element === '.' || element === '..')) return 'it has an empty, "." or ".." path element';
  if (!isValidPattern(value)) return 'it is not a valid glob (unbalanced [ ] or a bad range)';
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

export function registryPrefixProblem(value: string): Problem {
  const common = commonProblem(value, 300);
  if (common) return common;
  const match = REGISTRY_PREFIX.exec(value);
  if (!match) return 'it is not host[:port][/path] with a lower-case path';
  const host = hostProblem(match[1]!);
  if (host) return host;
  if (!/[.:]/.test(match[1]!) && match[1] !== 'localhost') return 'its host has no dot or port (write the registry host, e.g. harbor.example.com)';
  return undefined;
}

export function platformProblem(value: string): Problem {
  return /^[a-z0-9]+\/[a-z0-9]+(\/v\d+)?$/.test(value) ? undefined : 'it is not os/arch[/variant]';
}

// ---- Paths and names

const SAFE_PATH_ELEMENT = /^[A-Za-z0-9._+~@-]+$/;

/** A relative path with forward slashes that every output format takes literally. */
export function contextPathProblem(value: string): Problem {
  const common = commonProblem(value, 400);
  if (common) return common;
  if (value.startsWith('/')) return 'it is absolute';
  for (const element of value.split('/')) {
    if (element === '' || element === '.' || element === '..') return 'it has an empty, "." or ".." element';
    if (!SAFE_PATH_ELEMENT.test(element)) return `"${element}" has characters other than letters, digits and . _ + ~ @ -`;
  }
  return undefined;
}

/**
 * A .dockerignore line: Docker trims it, reads "#" as a comment and "\" as an escape, so none
 * of those may reach it; glob characters are kept (a //go:embed pattern is a glob too).
 */
export function ignorePatternProblem(value: string): Problem {
  const common = commonProblem(value, 400);
  if (common) return common;
  if (value !== value.trim()) return 'it starts or ends with white space';
  if (value.includes('\\')) return 'it contains a backslash';
  if (value.startsWith('#') || value.startsWith('!')) return 'it starts with # or !';
  if (value.startsWith('/')) return 'it is absolute';
  if (value.split('/').some((element) => element === '' || element === '..')) return 'it has an empty or ".." element';
  return undefined;
}

/** Names we derive for stages, tags and files. */
export function safeNameProblem(value: string): Problem {
  return /^[a-z][a-z0-9._-]{0,62}$/.test(value) ? undefined : 'it is not [a-z][a-z0-9._-]*';
}

/** A binary's file name: what go build names it (an import path element). */
export function binaryNameProblem(value: string): Problem {
  return importElementProblem(value);
}

/**
 * Turns any text into a SafeName: lower case, other characters become "-", a letter first.
 * `fallback` names the thing when nothing usable is left.
 */
export function deriveSafeName(value: string, fallback: string): SafeName {
  let name = value
    .toLowerCase()
    .replace(/[^a-z0-9._-]+/g, '-')
    .replace(/^[^a-z0-9]+/, '')
    .replace(/[^a-z0-9]+$/, '')
    .slice(0, 50);
  if (name === '') name = fallback;
  if (!/^[a-z]/.test(name)) name = `${fallback}-${name}`;
  return name as SafeName;
}

/** Brands a value after its predicate said yes; the one place a Checked type is made. */
export function brandIf<T extends Checked<string>>(value: string, problem: (value: string) => Problem): { value: T } | { problem: string } {
  const found = problem(value);
  return found === undefined ? { value: value as T } : { problem: found };
}
