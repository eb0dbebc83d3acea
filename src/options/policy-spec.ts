// Where a policy comes from, as --policy, $CREATE_GO_DOCKER_POLICY and .go-docker.yaml name it:
// a file, an https URL, or an npm package (npm:NAME[@RANGE], or a bare @scope/name as ESLint
// shareable configs are named). Pure: parsing, display and the content hash; fetching is in
// policy-source.ts.
import { createHash } from 'node:crypto';
import { resolve } from 'node:path';
import { UsageError } from '../errors.js';
import { entryKind } from '../io/read.js';
import { commonProblem } from '../values/kinds.js';
import { quoted } from '../values/text.js';

export type PolicySpec =
  /** A file; absolute. */
  | { kind: 'path'; path: string }
  | { kind: 'url'; url: string }
  /** The package's go-docker-policy.yaml; range is a version, a range (^1, ~1.4, 1.x) or a dist-tag. */
  | { kind: 'npm'; name: string; range: string };

/** The file a policy package carries at its root. */
export const NPM_POLICY_FILE = 'go-docker-policy.yaml';

/**
 * What .go-docker.yaml records about the policy that made the files: where every checkout finds
 * it (absent when it was given from outside the repository) and what it was (sha256 of its
 * text, and the package version), so that a changed policy is a drift and a missing one an error.
 */
export interface PolicyRecord {
  spec?: PolicySpec;
  /** npm: the version the range resolved to. */
  version?: string;
  /** "sha256:<hex>" of the policy's text (policyHash). */
  sha256?: string;
}

/** npm's package name rules (lower case, URL-safe, at most 214 characters, an optional scope). */
const NPM_NAME = /^(?:@[a-z0-9][a-z0-9._~-]*\/)?[a-z0-9][a-z0-9._~-]*$/;
/**
 * A version, a caret/tilde/x range or a dist-tag. Deliberately narrower than semver ranges (no
 * spaces, "||", "<" or ">"): the range is passed to npm as an argument, and on Windows npm runs
 * through cmd.exe, where those characters mean something.
 */
const NPM_RANGE = /^(?:[~^]?\d+(?:\.(?:\d+|x|\*)){0,2}(?:-[0-9A-Za-z.-]+)?|\*|[a-z][a-z0-9._-]{0,63})$/;
/** A version npm resolved, as .go-docker.yaml records it. */
export const NPM_VERSION = /^\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?(?:\+[0-9A-Za-z.-]+)?$/;

/**
 * The source a value names. `input` is how the user gave it (--policy, a file and line), for the
 * message; a path is resolved against baseDir. A bare "@scope/name[@range]" is a package only
 * when nothing by that name exists on disk, as a path would be read first.
 */
export function parsePolicySpec(input: string, raw: string, baseDir: string): PolicySpec {
  const value = raw.trim();
  const fail = (problem: string, fix: string): never => {
    throw new UsageError(`${input} ${quoted(value)}: ${problem}; ${fix}.`);
  };
  const common = commonProblem(value);
  if (common) return fail(common, 'give a policy file, an https URL or npm:PACKAGE');
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(value)) return { kind: 'url', url: checkedUrl(value, fail) };
  if (value.startsWith('npm:')) return npmSpec(value.slice(4), fail);
  if (/^@[^/@\s]+\/[^/@\s]+(?:@[^/@\s]+)?$/.test(value) && entryKind(resolve(baseDir, value)) === 'missing') return npmSpec(value, fail);
  return { kind: 'path', path: resolve(baseDir, value) };
}

function checkedUrl(value: string, fail: (problem: string, fix: string) => never): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return fail('is not a valid URL', 'check it');
  }
  const loopback = /^(?:127\.\d{1,3}\.\d{1,3}\.\d{1,3}|\[::1\]|localhost)$/i.test(url.hostname);
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && loopback)) {
    return fail('is not an https URL (plain http only to this machine: 127.0.0.1, localhost)', 'serve the policy over https');
  }
  // The URL is recorded in .go-docker.yaml and committed: nothing in it may be a secret.
  if (url.username || url.password || url.search) {
    return fail(
      'holds credentials or a query string, which .go-docker.yaml would record and every clone would show',
      'give a URL without them; for a private policy use a CI secret (README: "Rolling out a policy change")',
    );
  }
  return value;
}

function npmSpec(value: string, fail: (problem: string, fix: string) => never): PolicySpec {
  // The range starts at the last "@" that is not a scope's.
  const at = value.lastIndexOf('@');
  const name = at > 0 ? value.slice(0, at) : value;
  const range = at > 0 ? value.slice(at + 1) : 'latest';
  if (!NPM_NAME.test(name) || name.length > 214)
    return fail('is not an npm package name', 'write npm:NAME or npm:@scope/name, optionally @RANGE (e.g. npm:@acme/go-docker-policy@^1)');
  if (!NPM_RANGE.test(range))
    return fail(
      `has a version range create-go-docker does not pass to npm (${quoted(range)})`,
      'use a version (1.4.2), a caret, tilde or x range (^1, ~1.4, 1.x) or a dist-tag (latest)',
    );
  return { kind: 'npm', name, range };
}

/**
 * How a message names a source. Never "name@range" in one word: the message filter masks a word
 * before "@" as a credential (user@host), so a package is shown as "npm package NAME (RANGE)".
 */
export function describePolicySpec(spec: PolicySpec, shownPath?: string): string {
  switch (spec.kind) {
    case 'path':
      return shownPath ?? spec.path;
    case 'url':
      return spec.url;
    case 'npm':
      return `npm package ${spec.name} (${spec.range})`;
  }
}

/** The spec npm is asked for. */
export function npmRequest(spec: { name: string; range: string }): string {
  return `${spec.name}@${spec.range}`;
}

export function sameSpec(a: PolicySpec | undefined, b: PolicySpec | undefined): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/**
 * The policy's identity: sha256 of its text with CRLF line ends as LF and exactly one final
 * newline, which for an ordinary file is what sha256sum prints. The normalising keeps a copy
 * that went through a CI secret (which may add or drop the last newline) the same policy.
 */
export function policyHash(text: string): string {
  const normal = `${text.replace(/\r\n/g, '\n').replace(/\s+$/, '')}\n`;
  return `sha256:${createHash('sha256').update(normal).digest('hex')}`;
}

/** A hash as messages show it: its first 12 hex digits, enough to tell two apart. */
export function shortHash(hash: string): string {
  return hash.slice(0, 'sha256:'.length + 12);
}
