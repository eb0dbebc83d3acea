// Which policy applies, getting its text, and what .go-docker.yaml records about it. The
// policy is `--policy`, else $CREATE_GO_DOCKER_POLICY, else the one .go-docker.yaml records; it
// is a file, an https URL (fetched with a time limit and a size cap, through the environment's
// proxy, revalidated against the user's cache) or an npm package (fetched by `npm pack`, its
// go-docker-policy.yaml read from the tarball). Whatever the source, the text is untrusted input:
// capped, parsed with the policy schema, each value by its option's parser. The record holds the
// text's sha256, so a changed policy is a drift and a policy that cannot be had is an error,
// never a silent return to the defaults.
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, isAbsolute, join, relative } from 'node:path';
import { UsageError } from '../errors.js';
import { cacheKey, readCacheEntry, userCacheDir, writeCacheEntry } from '../io/cache.js';
import { fetchCapped, FetchError, isLoopback } from '../io/http.js';
import { npmPack, NpmError } from '../io/npm.js';
import { InputFileError, MIB, readInputBytes, readInputFile } from '../io/read.js';
import { readTarGzEntry } from '../io/tar.js';
import { quoted } from '../values/text.js';
import { CONFIG_FILE_NAME, parsePolicy, recordedFile, type ConfigFile, type Policy } from './files.js';
import { describePolicySpec, NPM_POLICY_FILE, NPM_VERSION, npmRequest, parsePolicySpec, policyHash, sameSpec, shortHash, type PolicyRecord, type PolicySpec } from './policy-spec.js';

/** A policy, like .go-docker.yaml, is at most 1 MiB of YAML. */
const POLICY_MAX_BYTES = 1 * MIB;
/** A policy package's tarball, and what it may unpack to: a policy package holds a YAML file and a package.json. */
const TARBALL_MAX_BYTES = 16 * MIB;
const UNPACKED_MAX_BYTES = 64 * MIB;
/** How long a policy URL may take to answer (npm, which may resolve a range first, gets four times as long). */
export const POLICY_TIMEOUT_MS = 15_000;

export interface PolicyChoice {
  /** Where it was named. */
  from: 'flag' | 'variable' | 'recorded';
  spec: PolicySpec;
  /** How messages name it. */
  shown: string;
}

export interface SelectInput {
  /** --policy as given. */
  flag?: string;
  /** $CREATE_GO_DOCKER_POLICY. */
  variable?: string;
  cwd: string;
  configPath: string;
  config: ConfigFile | undefined;
  /** The repository every recorded path must stay in. */
  repository: string;
}

/**
 * The policy that applies, or undefined when none was given and none made the files. When
 * .go-docker.yaml says a policy made the files and it cannot be had (only its hash is recorded,
 * or the recorded file is gone), a usage error naming .go-docker.yaml's line and the fix.
 */
export function selectPolicy(input: SelectInput): PolicyChoice | undefined {
  if (input.flag !== undefined) return given('flag', '--policy', input.flag, input.cwd);
  if (input.variable !== undefined && input.variable.trim() !== '') return given('variable', '$CREATE_GO_DOCKER_POLICY', input.variable, input.cwd);
  const recorded = input.config?.policy;
  if (!recorded) return undefined;
  const where = `${quoted(input.configPath).slice(1, -1)}:${recorded.line}`;
  const { spec, sha256 } = recorded.record;
  if (!spec) {
    throw new UsageError(
      `${where}: the files were made with a policy given from outside the repository (${shortHash(sha256 ?? '')}), which ${CONFIG_FILE_NAME} does not record; give it with --policy or $CREATE_GO_DOCKER_POLICY (in CI: a secret or File variable, README "Rolling out a policy change"), record a source every checkout reads (a path in the repository, an https URL, npm:PACKAGE), or delete the policy key to go without one.`,
    );
  }
  if (spec.kind === 'path') {
    const written = recorded.written ?? relative(dirname(input.configPath), spec.path);
    const fix = `restore it (commit it with the repository), give the policy with --policy or $CREATE_GO_DOCKER_POLICY, or record another source (policy: https://... or npm:PACKAGE)`;
    recordedFile(input.configPath, 'policy', { value: written, line: recorded.line }, input.repository, fix);
    return { from: 'recorded', spec, shown: written };
  }
  return { from: 'recorded', spec, shown: describePolicySpec(spec) };
}

function given(from: 'flag' | 'variable', input: string, value: string, cwd: string): PolicyChoice {
  const spec = parsePolicySpec(input, value, cwd);
  return { from, spec, shown: describePolicySpec(spec, value.trim()) };
}

export interface FetchedPolicy {
  policy: Policy;
  sha256: string;
  /** npm: the version the range resolved to. */
  version?: string;
}

export interface FetchContext {
  env: Record<string, string | undefined>;
  /** npm runs here, so the project's .npmrc (a scope's registry, its token) applies. */
  projectDir: string;
  /** The cache must lie outside it. */
  repository: string;
  timeoutMs: number;
  /** One fetch per source in a run (regenerate --recursive asks for the same policy in every project). */
  memo: Map<string, Promise<FetchedPolicy>>;
}

/** The policy's text from its source, hashed and parsed; a usage error naming the source when it cannot be had. */
export function fetchPolicy(choice: PolicyChoice, context: FetchContext): Promise<FetchedPolicy> {
  const key = JSON.stringify(choice.spec);
  const known = context.memo.get(key);
  if (known) return known;
  const fetched = fetchOnce(choice, context);
  context.memo.set(key, fetched);
  return fetched;
}

async function fetchOnce(choice: PolicyChoice, context: FetchContext): Promise<FetchedPolicy> {
  const { spec, shown } = choice;
  switch (spec.kind) {
    case 'path': {
      const text = readPolicyFile(spec.path, shown, choice.from === 'recorded');
      return { policy: parsePolicy(text, shown, dirname(spec.path)), sha256: policyHash(text) };
    }
    case 'url': {
      const text = await fetchUrl(spec.url, context);
      return { policy: parsePolicy(text, shown, undefined), sha256: policyHash(text) };
    }
    case 'npm': {
      const { text, version } = await fetchPackage(spec, context);
      return { policy: parsePolicy(text, `${spec.name} ${version} (npm), ${NPM_POLICY_FILE}`, undefined), sha256: policyHash(text), version };
    }
  }
}

/**
 * A policy file. One recorded in .go-docker.yaml was checked to be inside the repository and is
 * read through no link; one the user names (--policy, the variable) may be anywhere, a link
 * included (/etc/acme/policy.yaml pointing at a versioned file), but must be a regular file.
 */
function readPolicyFile(path: string, shown: string, recorded: boolean): string {
  try {
    return readInputFile(path, { maxBytes: POLICY_MAX_BYTES, noFollow: recorded });
  } catch (error) {
    if (!(error instanceof InputFileError)) throw error;
    throw new UsageError(`${quoted(shown).slice(1, -1)}: cannot read the policy file (${error.code === 'ENOENT' ? 'ENOENT' : error.reason}); check the path.`);
  }
}

function cacheDirFor(context: FetchContext): string | undefined {
  const dir = userCacheDir(context.env, context.repository);
  return dir === undefined ? undefined : join(dir, 'policies');
}

/**
 * The text at an https URL. Every run asks the server (a changed policy must be seen); the
 * cache only saves the download when the server answers 304 to its ETag or Last-Modified. An
 * unreachable URL is an error, never the cached copy: that would pass a drift gate the policy
 * has moved past.
 */
async function fetchUrl(url: string, context: FetchContext): Promise<string> {
  const cacheDir = cacheDirFor(context);
  const name = cacheKey('url', url);
  const cached = cacheDir ? readCacheEntry(cacheDir, name, POLICY_MAX_BYTES) : undefined;
  const headers: Record<string, string> = { Accept: 'application/yaml, text/yaml, text/plain, */*' };
  if (cached?.meta.etag) headers['If-None-Match'] = cached.meta.etag;
  if (cached?.meta.lastModified) headers['If-Modified-Since'] = cached.meta.lastModified;
  const fail = (reason: string): never => {
    throw new UsageError(`policy ${url}: cannot fetch it (${reason}); check the URL and the network (HTTPS_PROXY, NO_PROXY; NODE_EXTRA_CA_CERTS for a company CA), or give the policy with --policy FILE.`);
  };
  let result;
  try {
    result = await fetchCapped(new URL(url), {
      env: context.env,
      timeoutMs: context.timeoutMs,
      maxBytes: POLICY_MAX_BYTES,
      headers,
      urlProblem: (target) => (target.protocol === 'https:' || (target.protocol === 'http:' && isLoopback(target)) ? undefined : 'is not https'),
    });
  } catch (error) {
    if (error instanceof FetchError) return fail(error.message);
    throw error;
  }
  if (result.status === 304 && cached) return cached.body.toString('utf8');
  if (result.status !== 200) return fail(`HTTP ${result.status}`);
  if (cacheDir) {
    const meta: Record<string, string> = { url };
    const etag = result.headers.etag;
    const lastModified = result.headers['last-modified'];
    if (typeof etag === 'string') meta.etag = etag;
    if (typeof lastModified === 'string') meta.lastModified = lastModified;
    writeCacheEntry(cacheDir, name, result.body, meta);
  }
  return result.body.toString('utf8');
}

/**
 * go-docker-policy.yaml of the package version the range resolves to. The registry is asked
 * every time (a newer version in the range is a changed policy), through `npm pack`, which knows
 * the user's registry, scopes and tokens; an exact version already in the cache is not fetched
 * again (a published version never changes).
 */
async function fetchPackage(spec: { name: string; range: string }, context: FetchContext): Promise<{ text: string; version: string }> {
  const shown = `npm package ${spec.name} (${spec.range})`;
  const cacheDir = cacheDirFor(context);
  if (cacheDir && NPM_VERSION.test(spec.range)) {
    const cached = readCacheEntry(cacheDir, cacheKey('npm', npmRequest(spec)), POLICY_MAX_BYTES);
    if (cached) return { text: cached.body.toString('utf8'), version: spec.range };
  }
  const fail = (reason: string, fix: string): never => {
    throw new UsageError(`policy ${shown}: ${reason}; ${fix}.`);
  };
  const unreachable = 'check the name and the npm registry (.npmrc, npm_config_registry, a token for a private one), or give the policy with --policy FILE';
  let scratch: string | undefined;
  try {
    if (cacheDir) mkdirSync(cacheDir, { recursive: true, mode: 0o700 });
    scratch = mkdtempSync(join(cacheDir ?? tmpdir(), 'pack-'));
  } catch {
    scratch = mkdtempSync(join(tmpdir(), 'cgd-pack-'));
  }
  try {
    let packed;
    try {
      packed = await npmPack(npmRequest(spec), { cwd: context.projectDir, destination: scratch, env: context.env, timeoutMs: context.timeoutMs * 4 });
    } catch (error) {
      if (error instanceof NpmError) return fail(`npm cannot fetch it (${error.message})`, unreachable);
      throw error;
    }
    if (packed.name !== spec.name || !NPM_VERSION.test(packed.version)) return fail(`npm answered with ${quoted(packed.name)} ${quoted(packed.version)}`, unreachable);
    const version = packed.version;
    let archive: Buffer;
    try {
      archive = readInputBytes(packed.file, { maxBytes: TARBALL_MAX_BYTES, noFollow: true });
    } catch (error) {
      if (error instanceof InputFileError) return fail(`its tarball ${error.reason}`, 'publish the policy in a small package');
      throw error;
    }
    // npm checked the download against the registry's integrity; the file read back must be it.
    if (packed.integrity?.startsWith('sha512-') && `sha512-${createHash('sha512').update(archive).digest('base64')}` !== packed.integrity) {
      return fail(`version ${version}: the tarball does not match the registry's integrity`, 'clear the npm cache (npm cache clean --force) and retry');
    }
    const entry = readTarGzEntry(archive, NPM_POLICY_FILE, { unpackedBytes: UNPACKED_MAX_BYTES, fileBytes: POLICY_MAX_BYTES });
    if (entry === undefined) return fail(`version ${version} has no ${NPM_POLICY_FILE} at its root`, `publish the policy as ${NPM_POLICY_FILE} beside the package's package.json`);
    if ('problem' in entry) return fail(`version ${version}: ${entry.problem}`, `publish the policy as a regular file ${NPM_POLICY_FILE} of at most 1 MiB`);
    if (cacheDir) writeCacheEntry(cacheDir, cacheKey('npm', `${spec.name}@${version}`), entry.found, { name: spec.name, version });
    return { text: entry.found.toString('utf8'), version };
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

export interface PolicyOutcome {
  /** What .go-docker.yaml records now. */
  record?: PolicyRecord;
  /** Lines for the summary's Policy section. */
  notes: string[];
  /** The policy is not the one that made the files (its sha256 changed): one line, for --check too. */
  change?: string;
}

/**
 * What to record about the policy that applied. A source every checkout reads is recorded when
 * --policy named it (a path inside the repository, a URL, a package) or when it was recorded
 * already; $CREATE_GO_DOCKER_POLICY is this machine's setting and never recorded, nor a path
 * outside the repository. The sha256 of the text is recorded unless the source is a path in the
 * repository, whose text every checkout has: when no source is recorded, the hash is what makes
 * regenerate refuse instead of quietly regenerating without the policy.
 */
export function policyOutcome(choice: PolicyChoice | undefined, fetched: FetchedPolicy | undefined, config: ConfigFile | undefined, repository: string): PolicyOutcome {
  if (!choice || !fetched) return { notes: [] };
  const previous = config?.policy?.record;
  const notes: string[] = [];
  let spec: PolicySpec | undefined;
  if (choice.from === 'flag') {
    const portable = choice.spec.kind !== 'path' || isWithin(repository, choice.spec.path);
    if (portable) spec = choice.spec;
    else {
      notes.push(
        `the policy ${choice.shown} is outside the repository, so ${CONFIG_FILE_NAME} records only its sha256: where you regenerate (a clone, CI), give it again with --policy or $CREATE_GO_DOCKER_POLICY (in CI a secret or File variable), or record a source every checkout reads: a path in the repository, an https URL or npm:PACKAGE (README "Rolling out a policy change").`,
      );
    }
  } else if (choice.from === 'variable') {
    spec = previous?.spec;
    if (!spec) notes.push(`the policy from $CREATE_GO_DOCKER_POLICY (${choice.shown}) is not recorded, only its sha256: where you regenerate, set the variable again or pass --policy.`);
  } else {
    spec = choice.spec;
  }
  const record: PolicyRecord = spec ? { spec } : {};
  const fromRecordedSource = spec !== undefined && sameSpec(spec, choice.spec);
  // A path records no hash: every checkout has the file itself (and a mapping has no path key).
  if (spec?.kind !== 'path') record.sha256 = fetched.sha256;
  if (spec?.kind === 'npm' && fromRecordedSource && fetched.version) record.version = fetched.version;
  // The variable gives this machine's copy of the recorded package: the same text is the same
  // version, so the record stays as it was (a changed record would be a false drift).
  else if (spec?.kind === 'npm' && choice.from === 'variable' && previous?.version && previous.sha256 === fetched.sha256) record.version = previous.version;
  let change: string | undefined;
  if (previous?.sha256 && record.sha256 && previous.sha256 !== record.sha256) {
    const versions = previous.version && record.version && previous.version !== record.version ? `, version ${previous.version} -> ${record.version}` : '';
    change = `the policy ${choice.shown} is not the one that made the files (${shortHash(previous.sha256)} -> ${shortHash(record.sha256)}${versions}).`;
    notes.push(change);
  }
  return { ...(spec || record.sha256 ? { record } : {}), notes, ...(change ? { change } : {}) };
}

function isWithin(root: string, path: string): boolean {
  const inside = relative(root, path);
  return inside !== '' && !inside.startsWith('..') && !isAbsolute(inside);
}
