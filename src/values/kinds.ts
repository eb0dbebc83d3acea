// The kinds of value create-go-docker writes into files, each a branded string type with the
// one predicate that admits it. A plan field typed GoVersion can only hold a string that passed
// `goVersion`; nothing else type-checks. The predicates are pure and return why a value is not
// of the kind (undefined when it is), so callers can name the input in their own words.
// Network and image kinds are in network.ts.
import { isValidPattern } from './glob.js';
import { hasControlCharacter, quoted } from './text.js';

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
/** An image pinned by digest: name:tag@sha256:<64 hex> (network.ts's pinnedImageProblem). */
export type PinnedImage = Checked<'PinnedImage'>;
export type RegistryPrefix = Checked<'RegistryPrefix'>;
export type HttpUrl = Checked<'HttpUrl'>;
export type Platform = Checked<'Platform'>;
/** A relative path inside the build context: safe in a Dockerfile, a mount option and .dockerignore. */
export type ContextPath = Checked<'ContextPath'>;
/** A relative path between two of our directories ("..", "deploy/Dockerfile"): what CI files and compose.yaml name. */
export type RelativePath = Checked<'RelativePath'>;
/** A .dockerignore pattern (a //go:embed pattern, a path): one line, no escapes. */
export type IgnorePattern = Checked<'IgnorePattern'>;
/** A name we derive (binary, stage, image tag, file): [a-z][a-z0-9._-]* or the binary's own name. */
export type SafeName = Checked<'SafeName'>;
/** A Go build tag (-tags). */
export type BuildTag = Checked<'BuildTag'>;
/** An environment variable's name (ENV NAME=...): letters, digits and _, not a digit first. */
export type EnvName = Checked<'EnvName'>;
/** One default argument of an image (CMD), written as a JSON string. */
export type ImageArg = Checked<'ImageArg'>;
/** Where a scheduled CI job fetches the organisation's policy: owner/repo:path/in/repo, or an https URL (network.ts). */
export type PolicySource = Checked<'PolicySource'>;
/** A Debian or Alpine package name, written into a runtime stage's install line: git, openssh-client, docker.io. */
export type PackageName = Checked<'PackageName'>;
/** An absolute path inside an image (/usr/local/bin/api): what ENTRYPOINT and a compose healthcheck run. */
export type ImagePath = Checked<'ImagePath'>;
/** One word of a command line written as-is into exec form (JSON, YAML): a subcommand (healthcheck) or a flag (--health). */
export type CommandWord = Checked<'CommandWord'>;
/** One line of a known_hosts file we write: "host keytype base64", the key checked (known-hosts.ts). */
export type KnownHostLine = Checked<'KnownHostLine'>;

export type Problem = string | undefined;

export function commonProblem(value: string, max = 512): Problem {
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
  if (!IMPORT_ELEMENT.test(element))
    return `${quoted(element)} has a character Go does not allow in import paths (letters, digits and . _ ~ + - only)`;
  if (element.startsWith('.')) return `${quoted(element)} starts with a dot`;
  if (element.endsWith('.')) return `${quoted(element)} ends with a dot`;
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

/** A GOPRIVATE glob: import-path characters and path.Match syntax. */
export function modulePatternProblem(value: string): Problem {
  const common = commonProblem(value, 400);
  if (common) return common;
  if (!/^[A-Za-z0-9._~+/*?[\]^-]+$/.test(value)) return 'it has characters other than module path characters and * ? [ ] ^';
  if (value.startsWith('/') || value.endsWith('/')) return 'it starts or ends with a slash';
  if (value.split('/').some((element) => element === '' || element === '.' || element === '..'))
    return 'it has an empty, "." or ".." path element';
  if (!isValidPattern(value)) return 'it is not a valid glob (unbalanced [ ] or a bad range)';
  return undefined;
}

export function buildTagProblem(value: string): Problem {
  return /^[A-Za-z0-9_.]{1,100}$/.test(value) ? undefined : 'it is not a build tag (letters, digits, _ and . only)';
}

/** Any text on one line: JSON escapes the rest when it is written into CMD [...]. */
export function imageArgProblem(value: string): Problem {
  if (hasControlCharacter(value)) return 'it contains a control character or line break';
  return value.length > 1000 ? 'it is longer than 1000 characters' : undefined;
}

export function packageNameProblem(value: string): Problem {
  return /^[a-z0-9][a-z0-9+.-]{0,63}$/.test(value) ? undefined : 'it is not a package name (a-z, 0-9 and + . -)';
}

export function envNameProblem(value: string): Problem {
  return /^[A-Za-z_][A-Za-z0-9_]{0,99}$/.test(value) ? undefined : 'it is not an environment variable name (letters, digits and _)';
}

/** A subcommand or a long flag: letters, digits, - and _, maybe after two dashes; nothing a shell, Compose or YAML reads specially. */
export function commandWordProblem(value: string): Problem {
  return /^(?:--)?[A-Za-z][\w-]{0,62}$/.test(value) ? undefined : 'it is not a subcommand or a --flag (letters, digits, - and _)';
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
    if (!SAFE_PATH_ELEMENT.test(element)) return `${quoted(element)} has characters other than letters, digits and . _ + ~ @ -`;
  }
  return undefined;
}

/** An absolute path in an image: "/" and safe path elements, none "." or "..". */
export function imagePathProblem(value: string): Problem {
  const common = commonProblem(value, 400);
  if (common) return common;
  if (!value.startsWith('/')) return 'it is not absolute';
  return contextPathProblem(value.slice(1));
}

/**
 * A path from one of our directories to another (the build context seen from --out, the
 * Dockerfile seen from the context): ".", or elements that are ".." or safe path elements, so a
 * shell script, YAML with GitHub expressions or Compose interpolation, and HCL take it literally.
 */
export function relativePathProblem(value: string): Problem {
  const common = commonProblem(value, 400);
  if (common) return common;
  if (value === '.') return undefined;
  if (value.startsWith('/')) return 'it is absolute';
  for (const element of value.split('/')) {
    if (element === '..') continue;
    if (element === '' || element === '.') return 'it has an empty or "." element';
    if (!SAFE_PATH_ELEMENT.test(element)) return `${quoted(element)} has characters other than letters, digits and . _ + ~ @ -`;
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

/** A rule of ours: a pattern, or one anchored with a leading "/", which Docker strips (/bin and bin match the same). */
export function ignoreRuleProblem(value: string): Problem {
  return ignorePatternProblem(value.startsWith('/') ? value.slice(1) : value);
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
 * Turns any text into a SafeName: lower case, other characters become "-", a letter first, at
 * most 50 characters. `fallback` names the thing when nothing usable is left. Deriving a derived
 * name gives it back: regenerate derives the CA copy's name again from the copy.
 */
export function deriveSafeName(value: string, fallback: string): SafeName {
  const tidy = (text: string) =>
    text
      .toLowerCase()
      .replace(/[^a-z0-9._-]+/g, '-')
      .replace(/^[^a-z0-9]+/, '')
      .slice(0, 50)
      .replace(/[^a-z0-9]+$/, '');
  let name = tidy(value);
  if (name === '') name = fallback;
  if (!/^[a-z]/.test(name)) name = tidy(`${fallback}-${name}`);
  return name as SafeName;
}

/** Brands a value after its predicate said yes; the one place a Checked type is made. */
export function brandIf<T extends Checked<string>>(value: string, problem: (value: string) => Problem): { value: T } | { problem: string } {
  const found = problem(value);
  return found === undefined ? { value: value as T } : { problem: found };
}

/** The value as its kind, or what `refuse` does with the problem (it throws: an error naming the input). */
export function brandOr<T extends Checked<string>>(
  value: string,
  problem: (value: string) => Problem,
  refuse: (problem: string) => never,
): T {
  const result = brandIf<T>(value, problem);
  return 'value' in result ? result.value : refuse(result.problem);
}

/**
 * A value the code spells itself (a constant, or one built from checked parts) as its kind. It is
 * checked all the same: a wrong constant fails the first test that reaches it, not a user's build.
 */
export function brandKnown<T extends Checked<string>>(value: string, problem: (value: string) => Problem): T {
  return brandOr<T>(value, problem, (found) => {
    throw new Error(`internal: ${quoted(value)} is not of its kind (${found})`);
  });
}

/** The values the predicate admits, as their kind; the others left out. */
export function brandValid<T extends Checked<string>>(values: Iterable<string>, problem: (value: string) => Problem): T[] {
  const admitted: T[] = [];
  for (const value of values) {
    const result = brandIf<T>(value, problem);
    if ('value' in result) admitted.push(result.value);
  }
  return admitted;
}
