// The README's CI job, run verbatim on a fresh clone: the policy drift gate must pass in a
// checkout that has never seen the machine the repository was bootstrapped on (the failure of
// issue 13: an absolute --policy path recorded in .go-docker.yaml, ENOENT in CI), and a policy
// that cannot be had must stop it with the reason, never pass or fail it as a drift (issue 19).
import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { makeProject, REPO_ROOT, runBin, SIMPLE_SERVICE } from './helpers.js';

interface Workflow {
  jobs: Record<string, { steps: { uses?: string; run?: string; env?: Record<string, string> }[] }>;
}

/** The README's yaml block that defines the docker-policy job. */
function readmeJob(): { run: string; env: Record<string, string> } {
  const readme = readFileSync(join(REPO_ROOT, 'README.md'), 'utf8');
  const blocks = [...readme.matchAll(/```yaml\n([\s\S]*?)```/g)].map((match) => match[1]!);
  const block = blocks.find((text) => text.includes('docker-policy:'));
  expect(block, 'README has the docker-policy job').toBeDefined();
  const step = (parse(block!) as Workflow).jobs['docker-policy']!.steps.find((candidate) => candidate.run !== undefined)!;
  return { run: step.run!, env: step.env ?? {} };
}

const git = (cwd: string, ...args: string[]) =>
  execFileSync('git', ['-c', 'user.name=ci', '-c', 'user.email=ci@example.com', ...args], {
    cwd,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });

describe("the README's policy job on a fresh clone", () => {
  // The published package, as `npx --yes create-go-docker` finds it: packed and installed into
  // a global prefix (npx uses a global install before asking the registry).
  let prefix = '';
  beforeAll(() => {
    prefix = makeProject({});
    const packed = JSON.parse(
      execFileSync('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', prefix], { cwd: REPO_ROOT, encoding: 'utf8' }),
    ) as [{ filename: string }];
    execFileSync('npm', ['install', '--global', '--no-audit', '--no-fund', '--prefix', prefix, join(prefix, packed[0].filename)], {
      stdio: 'ignore',
    });
  }, 120_000);

  /** The job's step as GitHub runs it: the secret (empty when unset), RUNNER_TEMP. */
  function runStep(cwd: string, secret: string): { code: number; output: string } {
    const { run, env } = readmeJob();
    expect(env).toEqual({ GO_DOCKER_POLICY: '${{ secrets.GO_DOCKER_POLICY }}' });
    const result = spawnSync('bash', ['-eo', 'pipefail', '-c', run], {
      cwd,
      encoding: 'utf8',
      env: {
        PATH: `${join(prefix, 'bin')}:${process.env.PATH}`,
        HOME: process.env.HOME ?? '/root',
        npm_config_prefix: prefix,
        npm_config_update_notifier: 'false',
        RUNNER_TEMP: makeProject({}),
        GO_DOCKER_POLICY: secret,
      },
      timeout: 60_000,
    });
    return { code: result.status ?? -1, output: `${result.stdout}${result.stderr}` };
  }

  it(
    'bootstrapped with an absolute --policy elsewhere: refused without the secret, passes in the clone with it, then ' +
      'catches a policy change',
    () => {
      const policy = 'schemaVersion: 2\nregion: custom\ngoproxy: https://athens.acme.example,direct\n';
      const platform = makeProject({ 'acme-policy.yaml': policy });
      const origin = makeProject(SIMPLE_SERVICE);
      git(origin, 'init', '-q', '-b', 'main');
      const bootstrap = runBin(['--yes', '--policy', join(platform, 'acme-policy.yaml')], origin);
      expect(bootstrap.code, bootstrap.stderr).toBe(0);
      expect(bootstrap.stdout).toContain('is outside the repository, so .go-docker.yaml records only its sha256');
      expect(readFileSync(join(origin, '.go-docker.yaml'), 'utf8')).toMatch(/^policy:\n {2}sha256: sha256:[0-9a-f]{64}$/m);
      git(origin, 'add', '-A');
      git(origin, 'commit', '-q', '-m', 'bootstrap');

      const clone = join(makeProject({}), 'checkout');
      git(REPO_ROOT, 'clone', '-q', origin, clone);
      // No secret: the job stops naming the policy it lacks, not with a false drift.
      const missing = runStep(clone, '');
      expect(missing.code).not.toBe(0);
      expect(missing.output).toContain('the files were made with a policy given from outside the repository');
      expect(missing.output).not.toContain('would-update');

      const passing = runStep(clone, policy);
      expect(passing.output).toContain('up-to-date   .');
      expect(passing.code, passing.output).toBe(0);

      // The policy changes: the same job now fails with the drift.
      const drift = runStep(clone, 'schemaVersion: 2\nregion: custom\ngoproxy: https://artifactory.acme.example/api/go/go-remote,direct\n');
      expect(drift.code).toBe(1);
      expect(drift.output).toContain('would-update .: Dockerfile, .go-docker.yaml');
    },
  );

  it('bootstrapped with --policy inside the repository, it is recorded and the clone finds it with no secret', () => {
    const origin = makeProject({ ...SIMPLE_SERVICE, '.github/go-docker-policy.yaml': 'schemaVersion: 2\nregion: cn\n' });
    git(origin, 'init', '-q', '-b', 'main');
    expect(runBin(['--yes', '--policy', '.github/go-docker-policy.yaml'], origin).code).toBe(0);
    expect(readFileSync(join(origin, '.go-docker.yaml'), 'utf8')).toMatch(/^policy: \.github\/go-docker-policy\.yaml$/m);
    git(origin, 'add', '-A');
    git(origin, 'commit', '-q', '-m', 'bootstrap');
    const clone = join(makeProject({}), 'checkout');
    git(REPO_ROOT, 'clone', '-q', origin, clone);
    const result = runStep(clone, '');
    expect(result.code, result.output).toBe(0);
  });
});
