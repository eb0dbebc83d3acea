// Image pins: the kind, the option, --refresh-pins against a registry that speaks the token flow,
// and a Renovate digest bump (the edit Renovate makes, by the rules renovate.json gives it) that
// regenerate --check accepts.
import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parsePins } from '../src/options/validate.js';
import { pinnedImageProblem } from '../src/values/network.js';
import { makeProject, runCli, SIMPLE_SERVICE, snapshotTree } from './helpers.js';

const digestOf = (body: string) => `sha256:${createHash('sha256').update(body).digest('hex')}`;
const HEX = '0123456789abcdef'.repeat(4);

describe('an image pin', () => {
  it('is name:tag@sha256:<64 hex>, nothing else', () => {
    expect(pinnedImageProblem(`golang:1.26-bookworm@sha256:${HEX}`)).toBeUndefined();
    expect(pinnedImageProblem(`127.0.0.1:5000/hub/library/golang:1.26@sha256:${HEX}`)).toBeUndefined();
    expect(pinnedImageProblem('golang:1.26-bookworm')).toMatch(/no @sha256/);
    expect(pinnedImageProblem(`golang@sha256:${HEX}`)).toMatch(/no tag/);
    expect(pinnedImageProblem(`golang:1.26@sha256:${HEX.toUpperCase()}`)).toMatch(/64 lower-case hex/);
    expect(pinnedImageProblem(`golang:1.26@sha512:${HEX}${HEX}`)).toMatch(/sha256/);
    expect(pinnedImageProblem(`Golang:1.26@sha256:${HEX}`)).toBeDefined();
  });

  it('is given once per image: two digests for one name:tag are refused', () => {
    const other = HEX.replace(/0/g, 'f');
    expect(parsePins('pins', [`b:1@sha256:${HEX}`, `a:1@sha256:${HEX}`, `a:1@sha256:${HEX}`])).toEqual([
      `a:1@sha256:${HEX}`,
      `b:1@sha256:${HEX}`,
    ]);
    expect(() => parsePins('pins', [`a:1@sha256:${HEX}`, `a:1@sha256:${other}`])).toThrow(/"a:1" is pinned twice/);
  });
});

interface FakeImage {
  manifest: string;
  /** Sent as Docker-Content-Digest instead of the manifest's own. */
  claimedDigest?: string;
}

/**
 * A registry as Docker Hub answers: 401 with a Bearer challenge, a token from the realm, then the
 * manifest (an OCI index) for the token; a request log to see what was asked.
 */
async function startFakeRegistry(images: Map<string, FakeImage>): Promise<{ host: string; requests: string[]; server: Server }> {
  const requests: string[] = [];
  const server = createServer((request: IncomingMessage, response: ServerResponse) => {
    const url = new URL(request.url ?? '/', 'http://registry.test');
    requests.push(`${request.method} ${url.pathname}${url.search}`);
    if (url.pathname === '/token') {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ token: `t-${url.searchParams.get('scope')}` }));
      return;
    }
    const match = /^\/v2\/(.+)\/manifests\/([^/]+)$/.exec(url.pathname);
    const repository = match?.[1];
    if (request.headers.authorization !== `Bearer t-repository:${repository}:pull`) {
      response.writeHead(401, {
        'www-authenticate':
          `Bearer realm="http://${request.headers.host}/token",service="registry.test",` + `scope="repository:${repository}:pull"`,
      });
      response.end();
      return;
    }
    const image = images.get(`${match![1]}:${match![2]}`);
    if (!image) {
      response.writeHead(404, { 'content-type': 'application/json' });
      response.end('{"errors":[{"code":"MANIFEST_UNKNOWN"}]}');
      return;
    }
    response.writeHead(200, {
      'content-type': 'application/vnd.oci.image.index.v1+json',
      'docker-content-digest': image.claimedDigest ?? digestOf(image.manifest),
    });
    response.end(image.manifest);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  return { host: `127.0.0.1:${address.port}`, requests, server };
}

function index(name: string, generation: number): string {
  return JSON.stringify({ schemaVersion: 2, mediaType: 'application/vnd.oci.image.index.v1+json', annotations: { name, generation } });
}

/** Renovate's edit: in each file, the reference's digest replaced (what its managers' replaceString/newDigest do). */
function renovateBump(dir: string, files: readonly string[], reference: string, from: string, to: string): void {
  for (const file of files) {
    const path = join(dir, file);
    const text = readFileSync(path, 'utf8');
    expect(text, `${file} names ${reference}@${from}`).toContain(`${reference}@${from}`);
    writeFileSync(path, text.split(`${reference}@${from}`).join(`${reference}@${to}`));
  }
}

describe('regenerate --refresh-pins, then a Renovate digest bump', () => {
  const images = new Map<string, FakeImage>();
  let registry: Awaited<ReturnType<typeof startFakeRegistry>>;
  beforeAll(async () => {
    for (const [name, tag] of [
      ['hub/library/golang', '1.26-bookworm'],
      ['hub/gcr.io/distroless/static-debian12', 'nonroot'],
      ['hub/moby/buildkit', 'v0.18.2-rootless'],
      ['hub/library/node', '24-bookworm-slim'],
    ] as const)
      images.set(`${name}:${tag}`, { manifest: index(name, 1) });
    registry = await startFakeRegistry(images);
  });
  afterAll(() => new Promise<void>((resolve) => registry.server.close(() => resolve())));

  const project = () => makeProject(SIMPLE_SERVICE);

  it('pins every image the files name, through the registry prefix, by the token flow; the drift check passes', async () => {
    const dir = project();
    const prefix = `${registry.host}/hub`;
    const generated = await runCli(['--yes', '--go', '1.26', '--registry', prefix, '--ci', 'gitlab', '--renovate'], { cwd: dir });
    expect(generated.code, generated.stderr).toBe(0);
    const refreshed = await runCli(['regenerate', '--refresh-pins'], { cwd: dir });
    expect(refreshed.code, refreshed.stderr).toBe(0);
    const answers = readFileSync(join(dir, '.go-docker.yaml'), 'utf8');
    const expected = [...images].map(([name, image]) => `${registry.host}/${name}@${digestOf(image.manifest)}`).sort();
    expect(answers).toContain(`pins:\n${expected.map((pin) => `  - ${pin}\n`).join('')}`);
    const dockerfile = readFileSync(join(dir, 'Dockerfile'), 'utf8');
    expect(dockerfile).toContain(`FROM --platform=$BUILDPLATFORM ${expected.find((pin) => pin.includes('/golang:'))} AS build`);
    expect(dockerfile).toContain(`FROM ${expected.find((pin) => pin.includes('/distroless/'))} AS svc`);
    const gitlab = readFileSync(join(dir, '.gitlab-ci.yml'), 'utf8');
    for (const name of ['moby/buildkit', 'library/node']) expect(gitlab).toContain(expected.find((pin) => pin.includes(`/${name}:`)));
    // The token flow: a 401, a token for the repository's pull scope, the manifest with it.
    expect(registry.requests).toContain('GET /token?service=registry.test&scope=repository%3Ahub%2Flibrary%2Fgolang%3Apull');
    expect((await runCli(['regenerate', '--check'], { cwd: dir })).code).toBe(0);
    // Nothing unpinned is left to note.
    expect(refreshed.stdout).not.toMatch(/Not pinned/);
  });

  it('a new digest, edited as Renovate edits it in .go-docker.yaml and the files, passes the drift check; in one alone not', async () => {
    const dir = project();
    const prefix = `${registry.host}/hub`;
    expect((await runCli(['--yes', '--go', '1.26', '--registry', prefix, '--ci', 'gitlab', '--renovate'], { cwd: dir })).code).toBe(0);
    expect((await runCli(['regenerate', '--refresh-pins'], { cwd: dir })).code).toBe(0);
    const golang = `${registry.host}/hub/library/golang:1.26-bookworm`;
    const old = digestOf(images.get('hub/library/golang:1.26-bookworm')!.manifest);
    const bumped = digestOf(index('golang', 2));
    const renovate = JSON.parse(readFileSync(join(dir, 'renovate.json'), 'utf8')) as {
      customManagers: { matchStrings: string[] }[];
      packageRules: { matchFileNames: string[]; matchUpdateTypes?: string[]; groupName?: string }[];
    };
    // The regex manager's pattern (JavaScript syntax, as Renovate compiles it) reads every pin in .go-docker.yaml.
    const pattern = new RegExp(renovate.customManagers[0]!.matchStrings[0]!, 'g');
    const found = [...readFileSync(join(dir, '.go-docker.yaml'), 'utf8').matchAll(pattern)].map((match) => match.groups!);
    expect(found).toContainEqual({ depName: `${registry.host}/hub/library/golang`, currentValue: '1.26-bookworm', currentDigest: old });
    expect(found).toHaveLength(4);
    // Digest updates of these files are one group: one pull request edits all of them.
    const group = renovate.packageRules.find((rule) => rule.groupName !== undefined)!;
    expect(group.matchUpdateTypes).toEqual(['digest']);
    expect(group.matchFileNames).toEqual(['.go-docker.yaml', 'Dockerfile', '.gitlab-ci.yml']);

    const before = snapshotTree(dir);
    renovateBump(dir, ['Dockerfile'], golang, old, bumped);
    const alone = await runCli(['regenerate', '--check'], { cwd: dir });
    expect(alone.code, 'the Dockerfile alone bumped').toBe(1);
    expect(alone.stdout).toContain(`-FROM --platform=$BUILDPLATFORM ${golang}@${bumped} AS build`);
    renovateBump(dir, ['.go-docker.yaml'], golang, old, bumped);
    const together = await runCli(['regenerate', '--check'], { cwd: dir });
    expect(together.code, together.stdout + together.stderr).toBe(0);
    // regenerate then writes nothing: the bumped files are what it renders.
    const after = snapshotTree(dir);
    expect((await runCli(['regenerate'], { cwd: dir })).code).toBe(0);
    expect(snapshotTree(dir)).toEqual(after);
    expect(after).not.toEqual(before);
  });

  it('an image the registry does not have: exit 1, one line naming it, no file changed', async () => {
    const dir = project();
    expect((await runCli(['--yes', '--go', '1.26', '--registry', `${registry.host}/hub`, '--base', 'alpine'], { cwd: dir })).code).toBe(0);
    const before = snapshotTree(dir);
    const result = await runCli(['regenerate', '--refresh-pins'], { cwd: dir });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(new RegExp(`--refresh-pins: no digest for ${registry.host}/hub/library/alpine:3\\.23 \\(.*HTTP 404`));
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(snapshotTree(dir)).toEqual(before);
  });

  it('a registry whose Docker-Content-Digest is not the hash of the manifest it sent is refused', async () => {
    images.set('hub/library/debian:bookworm-slim', { manifest: index('debian', 1), claimedDigest: `sha256:${HEX}` });
    const dir = project();
    expect((await runCli(['--yes', '--go', '1.26', '--registry', `${registry.host}/hub`, '--base', 'debian'], { cwd: dir })).code).toBe(0);
    const result = await runCli(['regenerate', '--refresh-pins'], { cwd: dir });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`the registry says sha256:${HEX}, but the manifest it sent hashes to ${digestOf(index('debian', 1))}`);
  });

  it('Docker Hub images are asked of the region mirror first', async () => {
    images.set('library/golang:1.26-bookworm', { manifest: index('golang', 7) });
    images.set('gcr.io/distroless/static-debian12:nonroot', { manifest: index('distroless', 7) });
    const dir = project();
    const generated = await runCli(['--yes', '--go', '1.26', '--registry-mirror', `http://${registry.host}`], { cwd: dir });
    expect(generated.code, generated.stderr).toBe(0);
    registry.requests.length = 0;
    const result = await runCli(['regenerate', '--refresh-pins'], { cwd: dir, env: { HTTPS_PROXY: 'http://127.0.0.1:9' } });
    // golang through the mirror; gcr.io is no Docker Hub image, so it goes to gcr.io (here: a dead proxy).
    expect(registry.requests).toContain('GET /v2/library/golang/manifests/1.26-bookworm');
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/no digest for gcr\.io\/distroless\/static-debian12:nonroot \(gcr\.io: /);
    expect(result.stderr).not.toContain('golang');
  });
});

describe('--renovate where Renovate would not read renovate.json', () => {
  it('another Renovate configuration: exit 2, one line naming it, no file written', async () => {
    const dir = makeProject({ ...SIMPLE_SERVICE, '.github/renovate.json5': '{}\n' });
    const before = snapshotTree(dir);
    const result = await runCli(['--yes', '--renovate'], { cwd: dir });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/renovate: \.github\/renovate\.json5 already configures Renovate, which reads one configuration only; /);
    expect(snapshotTree(dir)).toEqual(before);
  });

  it('files below the repository root: exit 2, no file written', async () => {
    const root = makeProject({ 'README.md': 'x\n' });
    execFileSync('git', ['init', '-q'], { cwd: root });
    const dir = join(root, 'svc');
    mkdirSync(dir);
    for (const [name, text] of Object.entries(SIMPLE_SERVICE)) writeFileSync(join(dir, name), text);
    const before = snapshotTree(root);
    const result = await runCli(['--yes', '--renovate'], { cwd: dir });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/renovate: Renovate reads its configuration at the repository root/);
    expect(snapshotTree(root)).toEqual(before);
  });
});
