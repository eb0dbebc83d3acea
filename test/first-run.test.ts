// The first five minutes (issue 13): next steps only when they apply, regenerate speaking like
// generate, a module found from a sub-directory, and the smaller items a new user trips on.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { outputTo } from '../src/cli/output.js';
import { NO_TERMINAL_NOTE } from '../src/cli/report.js';
import { generatedProject, makeProject, PRIVATE_SERVICE, runCli, SIMPLE_SERVICE, snapshotTree } from './helpers.js';

const read = (dir: string, path: string): string => readFileSync(join(dir, path), 'utf8');

const generated = generatedProject;

const linuxEngine = async () => ({ clientVersion: '27.3.1', serverVersion: '27.3.1', buildx: true, desktop: false });
const desktopEngine = async () => ({ clientVersion: '27.3.1', serverVersion: '27.3.1', buildx: true, desktop: true });

describe('next steps only when they apply', () => {
  it('global: daemon.json holds nothing the engine needs, so there is no restart step', async () => {
    const dir = makeProject(SIMPLE_SERVICE);
    const result = await runCli(['--yes'], { cwd: dir, probeDocker: linuxEngine });
    expect(result.code).toBe(0);
    expect(result.stdout).not.toContain('daemon.json into');
    expect(result.stdout).not.toContain('restart');
    // Everything regenerate --check compares, daemon.json included: the drift job needs it committed.
    expect(result.stdout).toContain('  - Commit Dockerfile, .dockerignore, docker/daemon.json and .go-docker.yaml;');
  });

  it('--force over a foreign Dockerfile: the backup is named, to be cleared and never committed', async () => {
    const dir = makeProject({ ...SIMPLE_SERVICE, Dockerfile: 'FROM golang\n' });
    const result = await runCli(['--yes', '--force'], { cwd: dir, probeDocker: linuxEngine });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain(
      '  - Dockerfile.orig holds what --force replaced: move what you still need into the custom blocks, then delete it ' +
        '(do not commit it).',
    );
    expect(result.stdout).toContain('  - Commit Dockerfile, .dockerignore, docker/daemon.json and .go-docker.yaml;');
  });

  it('mainland China on Linux: merge the mirrors and DNS, restart the daemon', async () => {
    const dir = makeProject(SIMPLE_SERVICE);
    const result = await runCli(['--yes', '--region', 'cn'], { cwd: dir, probeDocker: linuxEngine });
    expect(result.stdout).toContain(
      '  - Docker daemon: merge registry-mirrors and dns from docker/daemon.json into /etc/docker/daemon.json ' +
        '(create-go-docker never touches /etc), then restart Docker (sudo systemctl restart docker).',
    );
  });

  it('mainland China on Linux, this machine known: a command to paste, install or merge', async () => {
    const missing = await runCli(['--yes', '--region', 'cn'], {
      cwd: makeProject(SIMPLE_SERVICE),
      probeDocker: async () => ({ ...(await linuxEngine()), machineDaemonJson: 'missing' as const }),
    });
    expect(missing.stdout).toContain(
      '  - Docker daemon (no /etc/docker/daemon.json yet): sudo install -D -m 0644 docker/daemon.json /etc/docker/daemon.json ' +
        '&& sudo systemctl restart docker\n',
    );
    const dir = makeProject(SIMPLE_SERVICE);
    const present = await runCli(['--yes', '--region', 'cn'], {
      cwd: dir,
      probeDocker: async () => ({ ...(await linuxEngine()), machineDaemonJson: 'present' as const }),
    });
    const step = /^ {2}- Docker daemon \(merges registry-mirrors and dns into your \/etc\/docker\/daemon\.json; needs jq\): (.+)$/m.exec(
      present.stdout,
    );
    expect(step, present.stdout).not.toBeNull();
    // The merge itself, on a copy: the machine's keys stay, ours are added.
    const etc = makeProject({ 'daemon.json': '{"data-root": "/srv/docker", "dns": ["10.0.0.2"]}\n' });
    const command = step![1]!
      .replace(/^sudo sh -c '(.*)' && sudo systemctl restart docker$/, '$1')
      .replaceAll('/etc/docker/daemon.json', join(etc, 'daemon.json'))
      .replace(' docker/daemon.json ', ` ${join(dir, 'docker/daemon.json')} `);
    const merged = spawnSync('sh', ['-c', command], { encoding: 'utf8' });
    expect(merged.status, merged.stderr).toBe(0);
    expect(JSON.parse(read(etc, 'daemon.json'))).toMatchObject({
      'data-root': '/srv/docker',
      dns: ['223.5.5.5', '119.29.29.29'],
      'registry-mirrors': ['https://docker.m.daocloud.io'],
    });
  });

  it('mainland China on Docker Desktop: the Settings way, no systemctl', async () => {
    const dir = makeProject(SIMPLE_SERVICE);
    const result = await runCli(['--yes', '--region', 'cn'], { cwd: dir, probeDocker: desktopEngine });
    expect(result.stdout).toContain(
      '  - Docker Desktop: open Settings > Docker Engine, add registry-mirrors and dns from docker/daemon.json to the ' +
        'JSON there, then Apply & restart.',
    );
    expect(result.stdout).not.toContain('systemctl');
  });

  it('a company HTTP proxy is an engine setting too; --no-daemon-json has no step', async () => {
    const proxied = makeProject(SIMPLE_SERVICE);
    const withProxy = await runCli(
      ['--yes', '--region', 'custom', '--goproxy', 'https://athens.corp.example', '--proxy', 'http://proxy.corp.example:3128'],
      { cwd: proxied, probeDocker: linuxEngine },
    );
    // A drop-in every engine reads, not daemon.json's "proxies" (Engine 23+; dockerd 20.10 refuses it).
    expect(withProxy.stdout).toContain(
      '  - Docker daemon proxy (any engine version): sudo mkdir -p /etc/systemd/system/docker.service.d && sudo cp ' +
        'docker/http-proxy.conf /etc/systemd/system/docker.service.d/http-proxy.conf && sudo systemctl daemon-reload && ' +
        'sudo systemctl restart docker\n',
    );
    expect(withProxy.stdout).not.toContain('Docker daemon: merge');
    const onDesktop = await runCli(
      ['--yes', '--region', 'custom', '--goproxy', 'https://athens.corp.example', '--proxy', 'http://proxy.corp.example:3128'],
      { cwd: makeProject(SIMPLE_SERVICE), probeDocker: desktopEngine },
    );
    expect(onDesktop.stdout).toContain('  - Docker Desktop: open Settings > Resources > Proxies, set the web server and the bypass');
    expect(onDesktop.stdout).not.toContain('systemctl');
    const without = makeProject(SIMPLE_SERVICE);
    const result = await runCli(['--yes', '--region', 'cn', '--no-daemon-json'], { cwd: without, probeDocker: linuxEngine });
    expect(result.stdout).not.toContain('Docker daemon');
  });
});

describe('regenerate prints what generate prints, for what changed', () => {
  it('a policy switching to mainland China: the files, the daemon step, the warnings, what to commit', async () => {
    const dir = await generated();
    const policy = join(makeProject({}), 'policy.yaml');
    writeFileSync(policy, 'schemaVersion: 2\nregion: cn\n');
    const result = await runCli(['regenerate'], { cwd: dir, env: { CREATE_GO_DOCKER_POLICY: policy }, probeDocker: linuxEngine });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/updated +docker\/daemon\.json/);
    expect(result.stdout).toContain('Next steps:\n  - Docker daemon: merge registry-mirrors and dns from docker/daemon.json');
    // .dockerignore too: it now leaves docker/buildkitd.toml out of the build context.
    expect(result.stdout).toContain('  - Commit Dockerfile, .dockerignore, docker/buildkitd.toml, docker/daemon.json and .go-docker.yaml.');
    expect(read(dir, 'docker/buildkitd.toml')).toContain('[registry."docker.io"]\n  mirrors = ["docker.m.daocloud.io"]');
    expect(result.stdout).toContain('Warnings:\n  ! golang:1.26-bookworm comes from Docker Hub, often unreachable from mainland China');
    // The runtime image followed the region (nothing pinned it): scratch, no gcr.io.
    expect(read(dir, 'Dockerfile')).toContain('FROM scratch AS svc');
  });

  it('nothing changed: no steps at all', async () => {
    const dir = await generated(['--region', 'cn']);
    const result = await runCli(['regenerate'], { cwd: dir, probeDocker: linuxEngine });
    expect(result.code).toBe(0);
    expect(result.stdout).not.toContain('Next steps');
    // Warnings still hold: the build is as exposed as before.
    expect(result.stdout).toContain('Warnings:');
  });
});

describe('run from a sub-directory of the module', () => {
  it('finds go.mod upward, says which module, and writes at its root', async () => {
    const dir = makeProject({ ...SIMPLE_SERVICE, 'internal/store/store.go': 'package store\n' });
    const result = await runCli(['--yes'], { cwd: join(dir, 'internal/store') });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain(
      '  - no go.mod in this directory: using the module example.com/svc at ../.., as the go command does; the files are written there.',
    );
    expect(result.stdout).toMatch(/created +\.\.\/\.\.\/Dockerfile/);
    expect(result.stdout).toContain('docker build -t svc ../..');
    expect(read(dir, 'Dockerfile')).toContain('FROM gcr.io/distroless/static-debian12:nonroot AS svc');
    expect(Object.keys(snapshotTree(join(dir, 'internal')))).toEqual(['store/', 'store/store.go']);

    const again = await runCli(['regenerate', '--check'], { cwd: join(dir, 'internal/store') });
    expect(again.stdout).toBe('ok: every managed file is up to date.\n');
    expect(again.code).toBe(0);
  });

  it("the command's notes are the plan's first: the module found above, then that nothing was asked", async () => {
    const dir = makeProject({ ...SIMPLE_SERVICE, 'internal/store/store.go': 'package store\n' });
    // No terminal and no --yes (--json would imply it): both notes, given to the plan before it adds its own.
    const result = await runCli(['--dry-run'], { cwd: join(dir, 'internal/store') });
    expect(result.code, result.stderr).toBe(0);
    const notes = result.stdout.split('\nNotes:\n')[1]!.split('\n');
    expect(notes.slice(0, 2)).toEqual([
      '  - no go.mod in this directory: using the module example.com/svc at ../.., as the go command does; the files are written there.',
      `  - ${NO_TERMINAL_NOTE}`,
    ]);
  });

  it('with no module anywhere above, says so and suggests go mod init', async () => {
    const dir = makeProject({ 'tools/main.go': 'package main\nfunc main() {}\n' });
    const result = await runCli(['--yes'], { cwd: join(dir, 'tools') });
    // Nothing to do here: exit 3, as README "Exit codes" says.
    expect(result.code).toBe(3);
    expect(result.stderr).toMatch(/no go\.mod found; run create-go-docker in a Go module \(go mod init <module-path> creates one\)/);
  });
});

describe('the smaller items', () => {
  it('--out: the summary lists the files where they are', async () => {
    const dir = makeProject(SIMPLE_SERVICE);
    const result = await runCli(['--yes', '--out', 'deploy/docker'], { cwd: dir });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/created +deploy\/docker\/Dockerfile\n/);
    expect(result.stdout).toMatch(/created +deploy\/docker\/Dockerfile\.dockerignore\n/);
    expect(result.stdout).toContain(
      'Commit deploy/docker/Dockerfile, deploy/docker/Dockerfile.dockerignore, deploy/docker/docker/daemon.json and ' +
        'deploy/docker/.go-docker.yaml;',
    );
  });

  it('regenerate --diff and a refused regenerate show the same diff, current to regenerated', async () => {
    const dir = await generated();
    writeFileSync(join(dir, 'Dockerfile'), read(dir, 'Dockerfile').replace('EXPOSE 8080', 'EXPOSE 9090'));
    const diff = await runCli(['regenerate', '--diff'], { cwd: dir });
    const refused = await runCli(['regenerate'], { cwd: dir });
    expect(diff.stdout).toContain('--- Dockerfile (current)\n+++ Dockerfile (regenerated)\n');
    expect(diff.stdout).toContain('-EXPOSE 9090\n+EXPOSE 8080\n');
    expect(refused.code).toBe(1);
    expect(refused.stdout.startsWith(diff.stdout)).toBe(true);
    expect(refused.stdout.slice(diff.stdout.length)).toBe(
      'create-go-docker 0.1.0 regenerate: .\n  refused     Dockerfile\nNothing was written: regenerate writes every file or none.\n',
    );
  });

  it('--check on a hand edit says regenerate would refuse, and what does work', async () => {
    const dir = await generated();
    writeFileSync(join(dir, 'Dockerfile'), `${read(dir, 'Dockerfile')}# mine\n`);
    const check = await runCli(['regenerate', '--check'], { cwd: dir });
    expect(check.code).toBe(1);
    const last = check.stdout.trimEnd().split('\n').pop();
    expect(last).toBe(
      'drift: Dockerfile edited by hand; regenerate refuses to overwrite it ' +
        '(see it with create-go-docker regenerate --diff, move the edits into a custom block, or replace it with --force).',
    );
  });

  it('--help names every exit code, 130 included', async () => {
    const help = await runCli(['--help'], { cwd: '/' });
    expect(help.stdout).toContain(
      'Exit codes: 0 done, 1 needs attention (the project or the file system stopped it), 2 bad usage,\n3 nothing to do ' +
        '(no Go module here), 130 cancelled.',
    );
  });

  it('warnings yellow, errors and headings marked, only when colours are on', () => {
    let coloured = '';
    outputTo((text) => (coloured += text), true).lines(['Warnings:', '  ! gcr.io is blocked', '  - a step']);
    expect(coloured).toBe('\u001b[33mWarnings:\u001b[0m\n\u001b[33m  ! gcr.io is blocked\u001b[0m\n  - a step\n');
    let plain = '';
    outputTo((text) => (plain += text), false).lines(['Warnings:', '  ! gcr.io is blocked']);
    expect(plain).toBe('Warnings:\n  ! gcr.io is blocked\n');
  });

  it('a forgotten --secret fails at the mount, by name', async () => {
    const dir = await generated(['--private', 'git.corp.example', '--auth', 'token'], PRIVATE_SERVICE);
    expect(read(dir, 'Dockerfile')).toContain('--mount=type=secret,id=netrc,target=/root/.netrc,required=true');
  });

  it('time-zone data in every runtime image: embedded where the image has none', async () => {
    for (const [base, embedded] of [
      ['scratch', true],
      ['alpine', true],
      ['distroless', false],
      ['debian', false],
    ] as const) {
      const dir = await generated(['--base', base]);
      expect(read(dir, 'Dockerfile').includes('-tags=timetzdata'), base).toBe(embedded);
    }
    const tagged = await generated(['--base', 'scratch', '--tags', 'netgo']);
    expect(read(tagged, 'Dockerfile')).toContain('-tags=netgo,timetzdata');
  });
});

describe('a directory for the Docker files, made on the way', () => {
  it('--out creates missing directories and nothing else', async () => {
    const dir = makeProject(SIMPLE_SERVICE);
    mkdirSync(join(dir, 'deploy'));
    expect((await runCli(['--yes', '--out', 'deploy/a/b'], { cwd: dir })).code).toBe(0);
    expect(
      Object.keys(snapshotTree(join(dir, 'deploy')))
        .filter((path) => !path.endsWith('/'))
        .sort(),
    ).toEqual(['a/b/.go-docker.yaml', 'a/b/Dockerfile', 'a/b/Dockerfile.dockerignore', 'a/b/docker/daemon.json']);
  });
});

describe('a narrow terminal: prose wrapped at word boundaries, commands never broken', () => {
  const printed = (lines: string[], columns: number): string => {
    let text = '';
    outputTo((chunk) => (text += chunk), false, columns).lines(lines);
    return text;
  };

  it('a warning wraps under its text; no line is longer than the terminal but a command', () => {
    const warning =
      '  ! golang:1.26.8-bookworm comes from Docker Hub, often unreachable from mainland China: install docker/daemon.json ' +
      '(registry-mirrors) or pass --registry.';
    const text = printed(['Warnings:', warning], 60);
    const lines = text.trimEnd().split('\n');
    for (const line of lines) expect(line.length, line).toBeLessThanOrEqual(60);
    expect(lines[1]).toMatch(/^ {2}! golang/);
    expect(lines.slice(2).every((line) => line.startsWith('    ') && !line.startsWith('     '))).toBe(true);
    // Word boundaries: joining the lines gives the words back.
    expect(
      lines
        .slice(1)
        .map((line) => line.trim())
        .join(' '),
    ).toBe(warning.slice(2).replace(/^! /, '! '));
  });

  it('a build command stays one line; a step keeps its command whole on a line of its own', () => {
    const command = '  docker build --build-arg HTTP_PROXY=http://proxy.corp.example:3128 -t service .';
    const step =
      '  - Docker daemon proxy (any engine version): sudo mkdir -p /etc/systemd/system/docker.service.d && sudo cp ' +
      'docker/http-proxy.conf /etc/systemd/system/docker.service.d/http-proxy.conf';
    const lines = printed(['Build:', command, 'Next steps:', step], 60).trimEnd().split('\n');
    expect(lines[1]).toBe(command);
    expect(lines).toContain(`    ${step.slice(step.indexOf('sudo mkdir'))}`);
    expect(lines[3]).toBe('  - Docker daemon proxy (any engine version):');
  });

  it('a wide terminal, a pipe (no columns) or a very narrow one: lines as they are', () => {
    const long = `  ! ${'word '.repeat(30).trim()}`;
    expect(printed([long], 200)).toBe(`${long}\n`);
    let piped = '';
    outputTo((chunk) => (piped += chunk)).lines([long]);
    expect(piped).toBe(`${long}\n`);
    expect(printed([long], 20)).toBe(`${long}\n`);
  });
});

describe('a first run over a Dockerfile we did not write: what it knew is carried over (issue 22)', () => {
  const OLD = [
    'FROM golang:1.22 AS build',
    'ARG GOPROXY=https://goproxy.cn,direct',
    'ENV GOPRIVATE=git.corp.example HTTPS_PROXY=http://proxy.corp.example:3128',
    'RUN go build -o /app .',
    'FROM alpine:3.19',
    'COPY --from=build /app /app',
    '',
  ].join('\n');

  it('--yes --force keeps its GOPROXY region, private paths, proxy and base as answers, and regenerate keeps them', async () => {
    const dir = makeProject({ ...PRIVATE_SERVICE, Dockerfile: OLD });
    const result = await runCli(['--yes', '--force'], { cwd: dir });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain(
      'Carried over from the existing Dockerfile: region cn, private git.corp.example, base alpine, proxy http://proxy.corp.example:3128 ' +
        '(recorded in .go-docker.yaml; a flag overrides each).',
    );
    const dockerfile = read(dir, 'Dockerfile');
    expect(dockerfile).toContain('ARG GOPROXY=https://goproxy.cn,direct');
    expect(dockerfile).toContain('ARG GOPRIVATE=git.corp.example');
    expect(dockerfile).toMatch(/^FROM alpine:\S+ AS svc$/m);
    expect(read(dir, 'Dockerfile.orig')).toBe(OLD);
    expect(read(dir, '.go-docker.yaml')).toMatch(
      /^region: cn\nprivate:\n {2}- git\.corp\.example\nbase: alpine\nproxy: http:\/\/proxy\.corp\.example:3128$/m,
    );
    // The old Dockerfile is gone; the answers hold what it knew, so nothing drifts back.
    const check = await runCli(['regenerate', '--check'], { cwd: dir });
    expect(check.code, check.stdout + check.stderr).toBe(0);
  });

  it('a flag wins over what is carried; without --force nothing is written', async () => {
    const dir = makeProject({ ...PRIVATE_SERVICE, Dockerfile: OLD });
    const before = snapshotTree(dir);
    const refused = await runCli(['--yes'], { cwd: dir });
    expect(refused.code).toBe(1);
    expect(snapshotTree(dir)).toEqual(before);
    const result = await runCli(['--yes', '--force', '--region', 'global', '--base', 'debian'], { cwd: dir });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain(
      'Carried over from the existing Dockerfile: private git.corp.example, proxy http://proxy.corp.example:3128 (',
    );
    expect(read(dir, 'Dockerfile')).toContain('ARG GOPROXY=https://proxy.golang.org,direct');
    expect(read(dir, '.go-docker.yaml')).toMatch(/^region: global$/m);
  });

  it('carries nothing a parser refuses, nothing from our own Dockerfile and nothing through a link', async () => {
    const hostile = makeProject({
      ...SIMPLE_SERVICE,
      Dockerfile:
        'FROM golang AS build\nARG GOPROXY="https://x.example;rm -rf ~"\nENV HTTPS_PROXY=http://user:pw@proxy.example:3128\nFROM scratch\n',
    });
    const result = await runCli(['--yes', '--force'], { cwd: hostile });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain('Carried over from the existing Dockerfile: base scratch (');
    expect(result.stdout).not.toContain('x.example');
    expect(result.stdout).not.toContain('pw@');
    // Ours (marked) is regenerated from its answers, never read as settings.
    const again = await runCli(['--yes', '--force', '--base', 'debian'], { cwd: hostile });
    expect(again.stdout).not.toContain('Carried over');
    // A Dockerfile that is a link to a file elsewhere is not read.
    const outside = makeProject({ Dockerfile: OLD });
    const linked = makeProject(SIMPLE_SERVICE);
    spawnSync('ln', ['-s', join(outside, 'Dockerfile'), join(linked, 'Dockerfile')]);
    const viaLink = await runCli(['--yes', '--force'], { cwd: linked });
    expect(viaLink.stdout + viaLink.stderr).not.toContain('Carried over');
  });
});
