// --ci github|gitlab: the workflow passes actionlint 1.7.12 (built with go install, as CI
// runners would), builds what docker build builds, keeps credentials out of build args, and
// is managed like every other file. The GitLab job's buildctl line and the bake file are run
// for real by the e2e suite (test/e2e/buildkit.e2e.test.ts).
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { generatedProject, makeProject, runCli, SIMPLE_SERVICE, snapshotTree, TEST_CA } from './helpers.js';

const ACTIONLINT = 'github.com/rhysd/actionlint/cmd/actionlint@v1.7.12';

/** actionlint 1.7.12, built once into a cache folder with this machine's Go. */
function actionlintBinary(): string {
  const bin = join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'create-go-docker-test', 'actionlint-v1.7.12');
  const binary = join(bin, 'actionlint');
  if (!existsSync(binary)) {
    mkdirSync(bin, { recursive: true });
    execFileSync('go', ['install', ACTIONLINT], {
      env: { ...process.env, GOBIN: bin, GOFLAGS: '-mod=mod' },
      stdio: ['ignore', 'ignore', 'inherit'],
    });
  }
  return binary;
}

const ZIZMOR_VERSION = '1.33.1';

/** zizmor (GitHub Actions security audits), installed once from PyPI into a cache folder. */
function zizmorBinary(): string {
  const target = join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'create-go-docker-test', `zizmor-${ZIZMOR_VERSION}`);
  const binary = join(target, 'bin', 'zizmor');
  if (!existsSync(binary)) {
    execFileSync(
      'python3',
      ['-m', 'pip', 'install', '--quiet', '--disable-pip-version-check', '--target', target, `zizmor==${ZIZMOR_VERSION}`],
      {
        stdio: ['ignore', 'ignore', 'inherit'],
      },
    );
  }
  return binary;
}

interface Step {
  name?: string;
  uses?: string;
  run?: string;
  if?: string;
  with?: Record<string, string | boolean>;
  env?: Record<string, string>;
}
interface Workflow {
  on: Record<string, unknown>;
  env: Record<string, string>;
  jobs: Record<string, { steps: Step[]; permissions?: Record<string, string>; if?: string }>;
}
interface WorkflowPermissions {
  permissions?: Record<string, string>;
}

const read = (dir: string, path: string) => readFileSync(join(dir, path), 'utf8');
const workflow = (dir: string, path = '.github/workflows/docker.yml') => parse(read(dir, path)) as Workflow;
const step = (flow: Workflow, uses: string) => flow.jobs.image!.steps.find((candidate) => candidate.uses?.startsWith(uses));

const SEVERAL = {
  'go.mod': 'module example.com/shop\n\ngo 1.26\n',
  'cmd/api/main.go': 'package main\nimport "net/http"\nfunc main() { http.ListenAndServe(":8080", nil) }\n',
  'cmd/worker/main.go': 'package main\nfunc main() {}\n',
};
const PRIVATE = {
  ...SIMPLE_SERVICE,
  'go.mod': 'module example.com/svc\n\ngo 1.26\n\nrequire git.corp.example/team/auth v1.2.0\n',
  'go.sum': 'git.corp.example/team/auth v1.2.0 h1:x=\ngit.corp.example/team/auth v1.2.0/go.mod h1:y=\n',
};

describe('--ci github: actionlint and zizmor find nothing', () => {
  let actionlint = '';
  let zizmor = '';
  beforeAll(() => {
    actionlint = actionlintBinary();
    zizmor = zizmorBinary();
  }, 180_000);

  const variants: [string, Record<string, string>, string[]][] = [
    ['one image, registry cache', SIMPLE_SERVICE, []],
    ['several images (bake), gha cache, two platforms', SEVERAL, ['--ci-cache', 'gha', '--platforms', 'linux/amd64,linux/arm64']],
    [
      'token auth, mainland China (buildkitd.toml), roll-out from a repository',
      PRIVATE,
      ['--private', 'git.corp.example', '--auth', 'token', '--region', 'cn', '--ci-rollout', 'acme/platform:policies/go-docker.yaml'],
    ],
    [
      'SSH auth, company proxy and CA, own registry, roll-out from a URL',
      { ...PRIVATE, 'ca.pem': TEST_CA },
      [
        '--private',
        'git.corp.example',
        '--auth',
        'ssh',
        '--region',
        'custom',
        '--goproxy',
        'https://athens.corp.example|https://proxy.golang.org,direct',
        '--proxy',
        'http://proxy.corp.example:3128',
        '--ca-cert',
        'ca.pem',
        '--ci-registry',
        'harbor.corp.example/team',
        '--ci-rollout',
        'https://policy.acme.example/go-docker.yaml',
      ],
    ],
  ];

  it.each(variants)('%s', async (_name, files, flags) => {
    const dir = await generatedProject(['--ci', 'github', ...flags], files);
    const lint = spawnSync(
      actionlint,
      [
        '-no-color',
        '.github/workflows/docker.yml',
        ...(existsSync(join(dir, '.github/workflows/docker-policy-rollout.yml')) ? ['.github/workflows/docker-policy-rollout.yml'] : []),
      ],
      { cwd: dir, encoding: 'utf8' },
    );
    expect(lint.stdout + lint.stderr).toBe('');
    expect(lint.status).toBe(0);
    // zizmor's default audits (offline: no GitHub API here), as users' own scanners run them.
    const audit = spawnSync(zizmor, ['--offline', '--no-progress', '--format', 'plain', '.github/workflows'], {
      cwd: dir,
      encoding: 'utf8',
    });
    expect(audit.stdout + audit.stderr).toContain('No findings to report.');
    expect(audit.status, audit.stdout + audit.stderr).toBe(0);
  });
});

describe('--ci github: least privilege, pinned actions (issue 23)', () => {
  const flows = async (flags: string[], files: Record<string, string> = SIMPLE_SERVICE) => {
    const dir = await generatedProject(['--ci', 'github', '--ci-rollout', 'https://policy.acme.example/go-docker.yaml', ...flags], files);
    return {
      dir,
      docker: parse(read(dir, '.github/workflows/docker.yml')) as Workflow & WorkflowPermissions,
      rollout: parse(read(dir, '.github/workflows/docker-policy-rollout.yml')) as Workflow & WorkflowPermissions,
    };
  };

  it('every action by a full commit, its release beside it; read-only unless a job pushes; no token left in .git/config', async () => {
    const { dir, docker, rollout } = await flows([]);
    for (const path of ['.github/workflows/docker.yml', '.github/workflows/docker-policy-rollout.yml']) {
      const uses = [...read(dir, path).matchAll(/^ +(?:- )?uses: (.+)$/gm)].map((match) => match[1]!);
      expect(uses.length).toBeGreaterThan(1);
      for (const line of uses) expect(line, path).toMatch(/^[\w-]+\/[\w-]+@[0-9a-f]{40} # v\d+\.\d+\.\d+$/);
    }
    expect(docker.permissions).toEqual({ contents: 'read' });
    expect(docker.jobs.drift!.permissions).toBeUndefined();
    expect(docker.jobs.image!.permissions).toEqual({ contents: 'read', packages: 'write' });
    expect(rollout.permissions).toEqual({ contents: 'read' });
    expect(rollout.jobs.regenerate!.permissions).toEqual({ contents: 'write', 'pull-requests': 'write' });
    for (const flow of [docker, rollout])
      for (const job of Object.values(flow.jobs))
        for (const checkout of job.steps.filter((item) => item.uses?.startsWith('actions/checkout@')))
          expect(checkout.with).toEqual({ 'persist-credentials': false });
    // Without a public module needing a secret, fork pull requests build as any other.
    expect(docker.jobs.image!.if).toBeUndefined();
  });

  it('another registry: no packages permission at all; private modules: fork pull requests skip the build', async () => {
    const { docker } = await flows(
      ['--ci-registry', 'harbor.corp.example/team', '--private', 'git.corp.example', '--auth', 'ssh'],
      PRIVATE,
    );
    expect(docker.jobs.image!.permissions).toBeUndefined();
    expect(docker.jobs.image!.if).toBe(
      "github.event_name != 'pull_request' || github.event.pull_request.head.repo.full_name == github.repository",
    );
    // The deploy key reaches only the step that loads it.
    const withKey = docker.jobs.image!.steps.filter((item) => JSON.stringify(item).includes('GO_MODULES_SSH_KEY'));
    expect(withKey.map((item) => item.uses?.replace(/@.*/, ''))).toEqual(['webfactory/ssh-agent']);
  });
});

describe('--ci github: the workflow', () => {
  it('builds every pull request, pushes from the default branch and tags, with the registry cache', async () => {
    const dir = await generatedProject(['--ci', 'github']);
    const flow = workflow(dir);
    expect(Object.keys(flow.on)).toEqual(['push', 'pull_request', 'workflow_dispatch']);
    expect(flow.env.PUSH).toBe(
      "${{ github.event_name != 'pull_request' && (github.ref_type == 'tag' || github.ref_name == " +
        'github.event.repository.default_branch) }}',
    );
    expect(flow.jobs.image!.steps.map((item) => item.uses?.replace(/@.*/, '@') ?? item.name)).toEqual([
      'actions/checkout@',
      'docker/setup-buildx-action@',
      'docker/login-action@',
      'Commit time',
      'Image name',
      'docker/metadata-action@',
      'docker/build-push-action@',
    ]);
    const build = step(flow, 'docker/build-push-action')!.with!;
    expect(build.target).toBe('svc');
    expect(build['cache-from']).toBe('type=registry,ref=${{ env.IMAGE }}:buildcache');
    expect(build['cache-to']).toBe("${{ env.PUSH == 'true' && format('type=registry,ref={0}:buildcache,mode=max', env.IMAGE) || '' }}");
    expect(build.provenance).toBe("${{ env.PUSH == 'true' && 'mode=max' || 'false' }}");
    // Reproducible: the commit's time for dates and file times, never the build's.
    expect(build.outputs).toBe('type=image,push=${{ env.PUSH }},rewrite-timestamp=true');
    expect(step(flow, 'docker/metadata-action')!.with!.labels).toBe(
      "org.opencontainers.image.created={{commit_date 'YYYY-MM-DDTHH:mm:ss.SSS[Z]'}}\n",
    );
    expect(flow.jobs.image!.steps.find((item) => item.name === 'Commit time')!.run).toBe(
      'echo "SOURCE_DATE_EPOCH=$(git log -1 --pretty=%ct)" >> "$GITHUB_ENV"',
    );
    expect(build.sbom).toBe("${{ env.PUSH == 'true' }}");
    expect(build['build-args']).toBe("GOPROXY=${{ vars.GOPROXY || 'https://proxy.golang.org,direct' }}\n");
    // The drift gate runs this very version of create-go-docker, with a private policy from the
    // secret GO_DOCKER_POLICY when one is set (test/drift-job.test.ts runs it on a clone).
    const drift = flow.jobs.drift!.steps.at(-1)!;
    expect(drift.run!.trimEnd().split('\n').at(-1)).toBe('npx --yes create-go-docker@0.1.0 regenerate --check');
    expect(drift.env).toEqual({ GO_DOCKER_POLICY: '${{ secrets.GO_DOCKER_POLICY }}' });
  });

  it('private modules reach the build as a BuildKit secret file, never as a build arg', async () => {
    const dir = await generatedProject(['--ci', 'github', '--private', 'git.corp.example', '--auth', 'token'], PRIVATE);
    const flow = workflow(dir);
    const build = step(flow, 'docker/build-push-action')!.with!;
    expect(build['secret-files']).toBe('netrc=${{ runner.temp }}/netrc');
    expect(build['build-args']).not.toMatch(/secret|TOKEN|NETRC/i);
    const netrc = flow.jobs.image!.steps.find((item) => item.name === '.netrc for private modules')!;
    expect(netrc.env).toEqual({ GO_MODULES_NETRC: '${{ secrets.GO_MODULES_NETRC }}' });
  });

  it(
    'several images: docker-bake.hcl with a _common target and one target per image, built by bake-action from this ' + 'checkout',
    async () => {
      const dir = await generatedProject(['--ci', 'github'], SEVERAL);
      const bake = read(dir, 'docker-bake.hcl');
      expect(bake).toMatch(/^target "_common" \{$/m);
      expect(bake.match(/^target "(\w+)" \{$/gm)).toEqual(['target "_common" {', 'target "api" {', 'target "worker" {']);
      expect(bake).toContain('group "default" {\n  targets = ["api", "worker"]\n}');
      const bakeStep = step(workflow(dir), 'docker/bake-action')!;
      expect(bakeStep.with!.source).toBe('.');
      expect(bakeStep.env!.REGISTRY_IMAGE_PREFIX).toBe('${{ env.IMAGE }}');
      // Reproducible: the image output rewrites file times to SOURCE_DATE_EPOCH, which bake reads from the environment.
      expect(bakeStep.with!.set).toBe('*.output=type=image,push=${{ env.PUSH }},rewrite-timestamp=true\n');
    },
  );

  it('the next steps name every secret to create, and nothing when there is none', async () => {
    const plain = makeProject(SIMPLE_SERVICE);
    const result = await runCli(['--yes', '--ci', 'github'], { cwd: plain });
    expect(result.stdout).toContain(
      '  - GitHub Actions: .github/workflows/docker.yml builds every pull request and pushes from the default branch ' +
        "and tags to ghcr.io with the workflow's own token; nothing to set up.",
    );
    const secret = makeProject(PRIVATE);
    const withSecrets = await runCli(
      ['--yes', '--ci', 'github', '--private', 'git.corp.example', '--auth', 'token', '--ci-registry', 'harbor.corp.example/team'],
      { cwd: secret },
    );
    expect(withSecrets.stdout).toContain(
      'create the repository secrets REGISTRY_USERNAME and REGISTRY_PASSWORD (a push login for harbor.corp.example) and ' +
        'GO_MODULES_NETRC (.netrc lines for CI: "machine git.corp.example login USER password TOKEN") (Settings > Secrets and ' +
        'variables > Actions).',
    );
  });

  it('the policy roll-out: weekly, fetches the policy, regenerates, opens a pull request', async () => {
    const dir = await generatedProject(['--ci', 'github', '--ci-rollout', 'acme/platform:policies/go-docker.yaml']);
    const flow = parse(read(dir, '.github/workflows/docker-policy-rollout.yml')) as Workflow & { on: { schedule: { cron: string }[] } };
    expect(flow.on.schedule).toEqual([{ cron: '17 6 * * 1' }]);
    const steps = flow.jobs.regenerate!.steps;
    expect(steps[1]!.run).toBe(
      "gh api repos/acme/platform/contents/policies/go-docker.yaml -H 'Accept: application/vnd.github.raw' > " +
        '"$RUNNER_TEMP/go-docker-policy.yaml"\n',
    );
    expect(steps.find((item) => item.run?.includes('regenerate'))!.env).toEqual({
      CREATE_GO_DOCKER_POLICY: '${{ runner.temp }}/go-docker-policy.yaml',
    });
    expect(steps.at(-1)!.uses).toMatch(/^peter-evans\/create-pull-request@[0-9a-f]{40}$/);
  });
});

describe('the drift job says where it gets the policy, for each source .go-docker.yaml records', () => {
  const outside = () => join(makeProject({ 'p.yaml': 'schemaVersion: 2\nregion: cn\n' }), 'p.yaml');
  const cases: [string, () => string[], Record<string, string>, RegExp, RegExp][] = [
    [
      'a path in the repository',
      () => ['--policy', 'org-policy.yaml'],
      { 'org-policy.yaml': 'schemaVersion: 2\nregion: cn\n' },
      /# The policy: the file \.go-docker\.yaml names, from this checkout\./,
      /# The policy: the file \.go-docker\.yaml names, from this checkout\./,
    ],
    [
      'outside the repository',
      () => ['--policy', outside()],
      {},
      /# Put its YAML in the repository secret GO_DOCKER_POLICY, or this job fails \(exit 2\) naming it\./,
      /# Put its YAML in a CI\/CD variable of type File named CREATE_GO_DOCKER_POLICY, or this job fails \(exit 2\) naming it\./,
    ],
  ];
  it.each(cases)('%s', async (_name, flags, files, github, gitlab) => {
    const githubDir = await generatedProject(['--ci', 'github', ...flags()], { ...SIMPLE_SERVICE, ...files });
    expect(read(githubDir, '.github/workflows/docker.yml')).toMatch(github);
    const gitlabDir = await generatedProject(['--ci', 'gitlab', ...flags()], { ...SIMPLE_SERVICE, ...files });
    expect(read(gitlabDir, '.gitlab-ci.yml')).toMatch(gitlab);
  });
});

describe('--ci gitlab', () => {
  it('a rootless BuildKit job with the registry cache in $CI_REGISTRY_IMAGE, the job token as a secret, and the drift gate', async () => {
    const dir = await generatedProject(['--ci', 'gitlab', '--private', 'git.corp.example', '--auth', 'token'], PRIVATE);
    const pipeline = parse(read(dir, '.gitlab-ci.yml')) as Record<
      string,
      { stage: string; image: string | { name: string }; script: string[]; variables?: Record<string, string> }
    >;
    expect(Object.keys(pipeline)).toEqual(['docker-files-drift', 'docker-image']);
    expect(pipeline['docker-image']!.image).toEqual({ name: 'moby/buildkit:v0.18.2-rootless', entrypoint: [''] });
    const script = pipeline['docker-image']!.script.join('\n');
    expect(script).toContain(
      'printf \'machine %s login gitlab-ci-token password %s\\n\' "git.corp.example" "$CI_JOB_TOKEN" >> "$NETRC_FILE"',
    );
    expect(script).toMatch(
      /buildctl-daemonless\.sh build .* --secret id=netrc,src="\$NETRC_FILE" --import-cache type=registry,ref="\$IMAGE_REF:buildcache" \$CACHE_EXPORT /,
    );
    expect(script).not.toMatch(/build-arg:[A-Z_]*(TOKEN|NETRC)/);
    expect(pipeline['docker-files-drift']!.script).toEqual(['npx --yes create-go-docker@0.1.0 regenerate --check']);
  });

  it('beside a .gitlab-ci.yml of the project: its own file, and the next step says how to include it', async () => {
    const dir = makeProject({ ...SIMPLE_SERVICE, '.gitlab-ci.yml': 'test:\n  script: [go test ./...]\n' });
    const result = await runCli(['--yes', '--ci', 'gitlab'], { cwd: dir });
    expect(result.code, result.stderr).toBe(0);
    expect(read(dir, '.gitlab-ci.yml')).toBe('test:\n  script: [go test ./...]\n');
    expect(read(dir, '.gitlab/create-go-docker.gitlab-ci.yml')).toContain('#     - local: .gitlab/create-go-docker.gitlab-ci.yml');
    expect(result.stdout).toContain('add "include: [{ local: .gitlab/create-go-docker.gitlab-ci.yml }]" to your .gitlab-ci.yml');
  });

  it('several images: one parallel matrix entry per image', async () => {
    const dir = await generatedProject(['--ci', 'gitlab'], SEVERAL);
    const job = (parse(read(dir, '.gitlab-ci.yml')) as Record<string, { parallel: { matrix: Record<string, string>[] } }>)['docker-image']!;
    expect(job.parallel.matrix).toEqual([
      { IMAGE: 'api', TARGET: 'api' },
      { IMAGE: 'worker', TARGET: 'worker' },
    ]);
  });
});

describe('CI files are managed like the others', () => {
  it('recorded in .go-docker.yaml; custom block steps survive regenerate; the policy can fix ci', async () => {
    const dir = await generatedProject(['--ci', 'github']);
    expect(read(dir, '.go-docker.yaml')).toMatch(/^ci: github$/m);
    const withStep = read(dir, '.github/workflows/docker.yml').replace(
      '# custom:end steps',
      '      - run: go test ./...\n# custom:end steps',
    );
    writeFileSync(join(dir, '.github/workflows/docker.yml'), withStep);
    const policy = join(makeProject({}), 'policy.yaml');
    writeFileSync(policy, 'schemaVersion: 2\nregion: cn\nci: github\n');
    const result = await runCli(['regenerate'], { cwd: dir, env: { CREATE_GO_DOCKER_POLICY: policy } });
    expect(result.code, result.stderr).toBe(0);
    const flow = workflow(dir);
    expect(flow.jobs.image!.steps.at(-1)!.run).toBe('go test ./...');
    // cn: the builder gets the mirrors through buildkitd.toml.
    expect(step(flow, 'docker/setup-buildx-action')!.with!['buildkitd-config']).toBe('docker/buildkitd.toml');
  });

  it('bad combinations are usage errors naming the fix', async () => {
    const dir = makeProject(SIMPLE_SERVICE);
    const gha = await runCli(['--yes', '--ci', 'gitlab', '--ci-cache', 'gha'], { cwd: dir });
    expect(gha.code).toBe(2);
    expect(gha.stderr).toBe(
      "create-go-docker: ci-cache gha (--ci-cache) is GitHub's cache service; it needs --ci github (GitLab and others: " +
        '--ci-cache registry).\n',
    );
    const registry = await runCli(['--yes', '--ci-registry', 'harbor.corp.example/team'], { cwd: dir });
    expect(registry.code).toBe(2);
    expect(registry.stderr).toBe('create-go-docker: --ci-registry needs a CI to write for; add --ci github or --ci gitlab.\n');
    const rollout = await runCli(['--yes', '--ci', 'github', '--ci-rollout', 'acme/platform:../policy.yaml'], { cwd: dir });
    expect(rollout.code).toBe(2);
    expect(rollout.stderr).toMatch(
      /--ci-rollout: "acme\/platform:\.\.\/policy\.yaml" is not a policy source \(its path must be relative inside the repository/,
    );
  });

  it('with --out, the build context is a checked path: a directory name a shell or a GitHub expression would read is refused', async () => {
    const hostile = 'svc $(touch pwned) ${{ secrets.X }}';
    const root = makeProject(Object.fromEntries(Object.entries(SIMPLE_SERVICE).map(([path, text]) => [`${hostile}/${path}`, text])));
    const before = snapshotTree(root);
    for (const ci of ['gitlab', 'github']) {
      const result = await runCli([hostile, '--yes', '--out', 'deploy', '--ci', ci], { cwd: root });
      expect(result.code).toBe(1);
      expect(result.stderr).toBe(
        `create-go-docker: the project directory seen from the output directory, "../${hostile}", cannot be written ` +
          `into the CI files safely ("${hostile}" has characters other than letters, digits and . _ + ~ @ -); rename the ` +
          `directory, or write the files into the project (no --out).\n`,
      );
      expect(snapshotTree(root)).toEqual(before);
    }
    // A .go-docker.yaml that points at such a directory is refused by regenerate too.
    writeFileSync(join(root, '.go-docker.yaml'), `schemaVersion: 2\nci: gitlab\nproject: ${JSON.stringify(hostile)}\n`);
    const regenerated = await runCli(['regenerate'], { cwd: root });
    expect(regenerated.code).toBe(1);
    expect(regenerated.stderr).toContain('cannot be written into the CI files safely');
    expect(existsSync(join(root, '.gitlab-ci.yml'))).toBe(false);
  });

  it('with --out, GitLab names the build context as a shell word', async () => {
    const root = makeProject(Object.fromEntries(Object.entries(SIMPLE_SERVICE).map(([path, text]) => [`~svc/${path}`, text])));
    const result = await runCli(['~svc', '--yes', '--out', 'deploy', '--ci', 'gitlab'], { cwd: root });
    expect(result.code, result.stderr).toBe(0);
    expect(read(root, 'deploy/.gitlab-ci.yml')).toContain(" --local context='../~svc' --local dockerfile=. ");
  });
});
