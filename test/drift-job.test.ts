// The generated drift job on its first pipeline, for each kind of policy source (issue 19,
// item 2): a project is bootstrapped with the policy, committed, cloned into another directory,
// and the job's own commands, read from the rendered GitHub workflow and GitLab file, are run
// there the way the runner would (npx fetching create-go-docker from a registry: here a local one
// serving this build). Each must pass on the clone, and fail (exit 1) once the policy changed.
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runDriftJob, type Ci, type CiSettings } from './ci-jobs.js';
import { makeProject, REPO_ROOT, runCli, SIMPLE_SERVICE } from './helpers.js';
import { npmRegistry, policyServer, type NpmRegistry, type PolicyServer } from './policy-servers.js';

const ATHENS = 'schemaVersion: 2\nregion: custom\ngoproxy: https://athens.acme.example,direct\n';
const ARTIFACTORY = 'schemaVersion: 2\nregion: custom\ngoproxy: https://artifactory.acme.example/api/go/go-remote,direct\n';

const git = (cwd: string, ...args: string[]) =>
  execFileSync('git', ['-c', 'user.name=ci', '-c', 'user.email=ci@example.com', ...args], {
    cwd,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });

let server: PolicyServer;
let registry: NpmRegistry;
/** One npm cache for every job run: npx installs create-go-docker into it once. */
let npmCache = '';
beforeAll(async () => {
  server = await policyServer();
  registry = await npmRegistry();
  const packDir = makeProject({});
  const [packed] = JSON.parse(
    execFileSync('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', packDir], { cwd: REPO_ROOT, encoding: 'utf8' }),
  ) as [{ filename: string; version: string }];
  registry.publishTarball('create-go-docker', packed.version, join(packDir, packed.filename));
  registry.publish('@acme/go-docker-policy', '1.0.0', { 'go-docker-policy.yaml': ATHENS });
  npmCache = join(makeProject({}), 'npm-cache');
}, 120_000);
afterAll(async () => {
  await server.close();
  await registry.close();
});

/** The drift job of a checkout, run against the local registry. */
const runJob = (clone: string, ci: Ci, settings: CiSettings) => runDriftJob({ registryUrl: registry.url, npmCache }, clone, ci, settings);

/** A repository bootstrapped with the policy and the CI, committed, then cloned somewhere else. */
async function bootstrapAndClone(ci: Ci, policy: string, files: Record<string, string> = {}): Promise<{ origin: string; clone: string }> {
  const origin = makeProject({ ...SIMPLE_SERVICE, ...files });
  git(origin, 'init', '-q', '-b', 'main');
  const env = {
    XDG_CACHE_HOME: join(origin, '..', `${origin.split('/').pop()}-cache`),
    npm_config_registry: registry.url,
    npm_config_cache: npmCache,
  };
  const result = await runCli(['--yes', '--ci', ci, '--policy', policy], { cwd: origin, env });
  expect(result.code, result.stderr).toBe(0);
  git(origin, 'add', '-A');
  git(origin, 'commit', '-q', '-m', 'bootstrap');
  const clone = join(makeProject({}), 'work', 'checkouts', 'svc');
  mkdirSync(join(clone, '..'), { recursive: true });
  git(REPO_ROOT, 'clone', '-q', origin, clone);
  return { origin, clone };
}

describe.each(['github', 'gitlab'] as const)('the %s drift job on a fresh clone', (ci) => {
  it('a policy file in the repository: read from the checkout; an edit to it fails the job', async () => {
    const { clone } = await bootstrapAndClone(ci, '.ci/go-docker-policy.yaml', { '.ci/go-docker-policy.yaml': ATHENS });
    const passing = await runJob(clone, ci, {});
    expect(passing.code, passing.output).toBe(0);
    expect(passing.output).toContain('ok: every managed file is up to date.');
    writeFileSync(join(clone, '.ci/go-docker-policy.yaml'), ARTIFACTORY);
    const drift = await runJob(clone, ci, {});
    expect(drift.code, drift.output).toBe(1);
    expect(drift.output).toContain('+ARG GOPROXY=https://artifactory.acme.example/api/go/go-remote,direct');
  }, 180_000);

  it('an https URL (127.0.0.1 here): fetched by the job; a change at the URL fails it, naming the policy', async () => {
    const path = `/${ci}/policy.yaml`;
    server.serve(path, ATHENS);
    const { clone } = await bootstrapAndClone(ci, `${server.url}${path}`);
    const passing = await runJob(clone, ci, {});
    expect(passing.code, passing.output).toBe(0);
    server.serve(path, ARTIFACTORY);
    const drift = await runJob(clone, ci, {});
    expect(drift.code, drift.output).toBe(1);
    expect(drift.output).toMatch(
      new RegExp(
        `policy: the policy ${server.url}${path} is not the one that made the files \\(sha256:[0-9a-f]{12} -> sha256:[0-9a-f]{12}\\)\\.`,
      ),
    );
    server.serve(path, ATHENS);
  }, 180_000);

  it('an npm package: resolved by the job through the registry; a new version in the range fails it', async () => {
    const name = `@acme/${ci}-policy`;
    registry.publish(name, '1.0.0', { 'go-docker-policy.yaml': ATHENS });
    const { clone } = await bootstrapAndClone(ci, `npm:${name}@^1`);
    const passing = await runJob(clone, ci, {});
    expect(passing.code, passing.output).toBe(0);
    registry.publish(name, '1.1.0', { 'go-docker-policy.yaml': ARTIFACTORY });
    const drift = await runJob(clone, ci, {});
    expect(drift.code, drift.output).toBe(1);
    expect(drift.output).toContain('version 1.0.0 -> 1.1.0');
  }, 180_000);

  it(
    `a policy from outside the repository: refused (exit 2) without the ` +
      `${ci === 'github' ? 'secret' : 'File variable'}, passes with it, fails when it changes`,
    async () => {
      const outside = join(makeProject({ 'acme-policy.yaml': ATHENS }), 'acme-policy.yaml');
      const { clone } = await bootstrapAndClone(ci, outside);
      const settings = (text: string): CiSettings =>
        ci === 'github' ? { secrets: { GO_DOCKER_POLICY: text } } : { fileVariables: { CREATE_GO_DOCKER_POLICY: text } };
      const missing = await runJob(clone, ci, {});
      expect(missing.code, missing.output).toBe(2);
      expect(missing.output).toContain('the files were made with a policy given from outside the repository');
      // A secret pasted without its last newline is the same policy.
      const passing = await runJob(clone, ci, settings(ATHENS.trimEnd()));
      expect(passing.code, passing.output).toBe(0);
      const drift = await runJob(clone, ci, settings(ARTIFACTORY));
      expect(drift.code, drift.output).toBe(1);
      expect(drift.output).toContain('is not the one that made the files');
    },
    180_000,
  );
});
