// The digest a registry serves for an image tag, by the registry API (distribution spec): GET
// /v2/<name>/manifests/<tag>, with an anonymous bearer token when the registry asks for one
// (Docker Hub, ghcr.io, gcr.io do, even for public images). The digest is the sha256 of the
// manifest bytes as served, computed here: a header claiming another one is refused. Docker Hub
// images are asked of the configured mirrors first (a machine in mainland China reaches no
// other), then of Docker Hub. Requests honour HTTPS_PROXY/NO_PROXY (http.ts).
import { createHash } from 'node:crypto';
import { parseImageName } from '../values/image-name.js';
import { IMAGE_DIGEST } from '../values/network.js';
import { FetchError, fetchCapped, isLoopback, type FetchResult } from './http.js';

/** What a tag may resolve to: a multi-platform index first (the digest `docker pull name:tag` resolves), else one manifest. */
const MANIFEST_TYPES = [
  'application/vnd.oci.image.index.v1+json',
  'application/vnd.docker.distribution.manifest.list.v2+json',
  'application/vnd.oci.image.manifest.v1+json',
  'application/vnd.docker.distribution.manifest.v2+json',
];

/** A manifest or an index is a few KiB; a token response less. */
const MAX_MANIFEST_BYTES = 4 * 1024 * 1024;
const MAX_TOKEN_BYTES = 64 * 1024;

export interface ResolveOptions {
  env: Record<string, string | undefined>;
  timeoutMs: number;
  /** Docker Hub mirrors (http(s)://host[:port]), asked in order before Docker Hub. */
  mirrors: readonly string[];
}

export class DigestError extends Error {}

/** The API root of a registry host: https, except plain http for this machine (as dockerd allows 127.0.0.0/8) or an http:// mirror. */
function apiRoots(registry: string, mirrors: readonly string[]): URL[] {
  if (registry === 'docker.io') return [...mirrors.map((mirror) => new URL(mirror)), new URL('https://registry-1.docker.io')];
  const https = new URL(`https://${registry}`);
  return isLoopback(https) ? [https, new URL(`http://${registry}`)] : [https];
}

/** The digest the registry serves for reference (name:tag), or a DigestError saying why not. */
export async function resolveDigest(reference: string, options: ResolveOptions): Promise<string> {
  const { registry, path, suffix } = parseImageName(reference);
  if (!suffix.startsWith(':') || suffix.includes('@')) throw new DigestError(`${reference}: only a name:tag can be resolved`);
  const tag = suffix.slice(1);
  const failures: string[] = [];
  for (const root of apiRoots(registry, options.mirrors)) {
    try {
      return await manifestDigest(new URL(`/v2/${path}/manifests/${tag}`, root), path, options);
    } catch (error) {
      if (!(error instanceof FetchError || error instanceof DigestError)) throw error;
      failures.push(`${root.host}: ${error.message}`);
    }
  }
  throw new DigestError(failures.join('; '));
}

async function manifestDigest(url: URL, repository: string, options: ResolveOptions): Promise<string> {
  const headers = { accept: MANIFEST_TYPES.join(', ') };
  let response = await fetchFrom(url, headers, options);
  if (response.status === 401) {
    const token = await bearerToken(response.headers['www-authenticate'] ?? '', repository, url, options);
    response = await fetchFrom(url, { ...headers, authorization: `Bearer ${token}` }, options);
  }
  if (response.status === 401 || response.status === 403) throw new DigestError(`HTTP ${response.status} (the image needs credentials)`);
  if (response.status === 404) throw new DigestError('HTTP 404 (no such image or tag)');
  if (response.status !== 200) throw new DigestError(`HTTP ${response.status}`);
  const type = (response.headers['content-type'] ?? '').split(';')[0]!.trim();
  if (!MANIFEST_TYPES.includes(type)) throw new DigestError(`the answer is ${type || 'untyped'}, not an image manifest`);
  const digest = `sha256:${createHash('sha256').update(response.body).digest('hex')}`;
  const claimed = response.headers['docker-content-digest'];
  if (typeof claimed === 'string' && IMAGE_DIGEST.test(claimed) && claimed !== digest)
    throw new DigestError(`the registry says ${claimed}, but the manifest it sent hashes to ${digest}`);
  return digest;
}

function fetchFrom(url: URL, headers: Record<string, string>, options: ResolveOptions): Promise<FetchResult> {
  return fetchCapped(url, {
    env: options.env,
    timeoutMs: options.timeoutMs,
    maxBytes: MAX_MANIFEST_BYTES,
    headers,
    // A redirect may go to a blob store; never from https to http.
    urlProblem: (target) => (target.protocol === 'https:' || target.protocol === url.protocol ? undefined : 'is not https'),
  });
}

/**
 * An anonymous pull token from the realm a 401's `WWW-Authenticate: Bearer realm=...,service=...`
 * names (the token flow of the distribution spec); the realm must be https (or this machine).
 */
async function bearerToken(challenge: string, repository: string, url: URL, options: ResolveOptions): Promise<string> {
  if (!/^bearer\s/i.test(challenge))
    throw new DigestError('HTTP 401 (the registry asks for a password, which create-go-docker does not send)');
  const params = new Map([...challenge.matchAll(/([a-z]+)="([^"]*)"/gi)].map((match) => [match[1]!.toLowerCase(), match[2]!]));
  let realm: URL;
  try {
    realm = new URL(params.get('realm') ?? '');
  } catch {
    throw new DigestError('HTTP 401 without a token realm');
  }
  if (realm.protocol !== 'https:' && !(realm.protocol === 'http:' && isLoopback(realm) && url.protocol === 'http:'))
    throw new DigestError(`the token realm ${realm.origin} is not https`);
  const service = params.get('service');
  if (service !== undefined) realm.searchParams.set('service', service);
  realm.searchParams.set('scope', params.get('scope') ?? `repository:${repository}:pull`);
  const response = await fetchCapped(realm, {
    env: options.env,
    timeoutMs: options.timeoutMs,
    maxBytes: MAX_TOKEN_BYTES,
    urlProblem: (target) => (target.protocol === realm.protocol ? undefined : `is not ${realm.protocol.slice(0, -1)}`),
  });
  if (response.status !== 200) throw new DigestError(`the token service answered HTTP ${response.status}`);
  let body: unknown;
  try {
    body = JSON.parse(response.body.toString('utf8'));
  } catch {
    throw new DigestError('the token service answered no JSON');
  }
  const fields = (body ?? {}) as { token?: unknown; access_token?: unknown };
  const token = typeof fields.token === 'string' ? fields.token : fields.access_token;
  if (typeof token !== 'string' || !/^[\x21-\x7e]{1,8192}$/.test(token)) throw new DigestError('the token service sent no token');
  return token;
}
