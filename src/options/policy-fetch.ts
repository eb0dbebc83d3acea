// Getting a policy's text from where policy-source.ts found it: a file, an https URL (fetched with
// a time limit and a size cap, through the environment's proxy, revalidated against the user's
// cache) or an npm package (fetched by `npm pack`, its go-docker-policy.yaml read from the
// tarball); hashed and parsed with the policy schema. Loaded only when a policy applies.
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { UsageError } from '../errors.js';
import { cacheKey, readCacheEntry, userCacheDir, writeCacheEntry } from '../io/cache.js';
import { fetchCapped, FetchError, isLoopback } from '../io/http.js';
import { npmPack, NpmError } from '../io/npm.js';
import { InputFileError, MIB, readInputBytes, readInputFile } from '../io/read.js';
import { readTarGzEntry } from '../io/tar.js';
import { quoted, shown } from '../values/text.js';
import { parsePolicy } from './option-files.js';
import { NPM_POLICY_FILE, NPM_VERSION, npmRequest, policyHash } from './policy-spec.js';
import type { FetchContext, FetchedPolicy, PolicyChoice } from './policy-source.js';

/** A policy, like .go-docker.yaml, is at most 1 MiB of YAML. */
const POLICY_MAX_BYTES = 1 * MIB;
/** A policy package's tarball, and what it may unpack to: a policy package holds a YAML file and a package.json. */
const TARBALL_MAX_BYTES = 16 * MIB;
const UNPACKED_MAX_BYTES = 64 * MIB;

export async function fetchOnce(choice: PolicyChoice, context: FetchContext): Promise<FetchedPolicy> {
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
      return {
        policy: parsePolicy(text, `${spec.name} ${version} (npm), ${NPM_POLICY_FILE}`, undefined),
        sha256: policyHash(text),
        version,
      };
    }
  }
}

/**
 * A policy file. One recorded in .go-docker.yaml was checked to be inside the repository and is
 * read through no link; one the user names (--policy, the variable) may be anywhere, a link
 * included (/etc/acme/policy.yaml pointing at a versioned file), but must be a regular file.
 */
function readPolicyFile(path: string, display: string, recorded: boolean): string {
  try {
    return readInputFile(path, { maxBytes: POLICY_MAX_BYTES, noFollow: recorded });
  } catch (error) {
    if (!(error instanceof InputFileError)) throw error;
    throw new UsageError(
      `${shown(display)}: cannot read the policy file (${error.code === 'ENOENT' ? 'ENOENT' : error.reason}); check the path.`,
    );
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
    throw new UsageError(
      `policy ${url}: cannot fetch it (${reason}); check the URL and the network (HTTPS_PROXY, NO_PROXY; ` +
        `NODE_EXTRA_CA_CERTS for a company CA), or give the policy with --policy FILE.`,
    );
  };
  let result;
  try {
    result = await fetchCapped(new URL(url), {
      env: context.env,
      timeoutMs: context.timeoutMs,
      maxBytes: POLICY_MAX_BYTES,
      headers,
      urlProblem: (target) =>
        target.protocol === 'https:' || (target.protocol === 'http:' && isLoopback(target)) ? undefined : 'is not https',
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
  const unreachable =
    'check the name and the npm registry (.npmrc, npm_config_registry, a token for a private one), or give the policy with --policy FILE';
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
      packed = await npmPack(npmRequest(spec), {
        cwd: context.projectDir,
        destination: scratch,
        env: context.env,
        timeoutMs: context.timeoutMs * 4,
      });
    } catch (error) {
      if (error instanceof NpmError) return fail(`npm cannot fetch it (${error.message})`, unreachable);
      throw error;
    }
    if (packed.name !== spec.name || !NPM_VERSION.test(packed.version))
      return fail(`npm answered with ${quoted(packed.name)} ${quoted(packed.version)}`, unreachable);
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
      return fail(
        `version ${version}: the tarball does not match the registry's integrity`,
        'clear the npm cache (npm cache clean --force) and retry',
      );
    }
    const entry = readTarGzEntry(archive, NPM_POLICY_FILE, { unpackedBytes: UNPACKED_MAX_BYTES, fileBytes: POLICY_MAX_BYTES });
    if (entry === undefined)
      return fail(
        `version ${version} has no ${NPM_POLICY_FILE} at its root`,
        `publish the policy as ${NPM_POLICY_FILE} beside the package's package.json`,
      );
    if ('problem' in entry)
      return fail(`version ${version}: ${entry.problem}`, `publish the policy as a regular file ${NPM_POLICY_FILE} of at most 1 MiB`);
    if (cacheDir) writeCacheEntry(cacheDir, cacheKey('npm', `${spec.name}@${version}`), entry.found, { name: spec.name, version });
    return { text: entry.found.toString('utf8'), version };
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}
