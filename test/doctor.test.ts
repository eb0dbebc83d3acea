// create-go-docker doctor: one project broken on purpose per check, asserting the exact id,
// line and exit code; a generated project has no errors; network probes against servers on
// 127.0.0.1 that answer, refuse, or stall.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHECKS, type Finding } from '../src/doctor/findings.js';
import { proxySettingsFrom } from '../src/io/http.js';
import { checkNetwork, DEFAULT_NETWORK_OPTIONS } from '../src/doctor/network.js';
import { diagnose, formatReport } from '../src/doctor/doctor.js';
import { parseDockerfile } from '../src/doctor/dockerfile.js';
import { contextSize } from '../src/doctor/inputs.js';
import { BIN, makeProject, runCli, SIMPLE_SERVICE } from './helpers.js';

/** A Dockerfile with none of the problems doctor looks for (what create-go-docker would write, in short). */
const GOOD_DOCKERFILE = [
  'FROM golang:1.26-bookworm AS build', // 1
  'WORKDIR /src', // 2
  'ENV GOTOOLCHAIN=local', // 3
  'ARG GOPROXY=https://proxy.golang.org,direct', // 4
  'ARG GOSUMDB=sum.golang.org', // 5
  'ARG GOPRIVATE=', // 6
  'RUN --mount=type=cache,target=/go/pkg/mod --mount=type=bind,source=go.mod,target=go.mod ' +
    '--mount=type=bind,source=go.sum,target=go.sum go mod download', // 7
  'RUN --mount=type=cache,target=/go/pkg/mod --mount=type=cache,target=/root/.cache/go-build --mount=type=bind,target=. ' +
    'CGO_ENABLED=0 go build -o /out/svc .', // 8
  'FROM gcr.io/distroless/static-debian12:nonroot', // 9
  'COPY --from=build /out/svc /usr/local/bin/svc', // 10
  'USER 65532:65532', // 11
  'ENTRYPOINT ["/usr/local/bin/svc"]', // 12
];
const GOOD_IGNORE = '.git\n**/.env\n';

function project(overrides: Record<string, string | null>, dockerfileLines: Record<number, string | null> = {}): string {
  // A line or file given as null is left out.
  const lines = GOOD_DOCKERFILE.map((line, index) => dockerfileLines[index + 1] ?? (index + 1 in dockerfileLines ? null : line));
  const dockerfile = lines.filter((line): line is string => line !== null);
  const given: Record<string, string | null> = {
    ...SIMPLE_SERVICE,
    Dockerfile: `${dockerfile.join('\n')}\n`,
    '.dockerignore': GOOD_IGNORE,
    ...overrides,
  };
  return makeProject(Object.fromEntries(Object.entries(given).filter((entry): entry is [string, string] => entry[1] !== null)));
}

async function doctor(dir: string, extra: string[] = []): Promise<{ code: number; findings: Finding[]; stdout: string; stderr: string }> {
  const result = await runCli(['doctor', '--offline', '--json', ...extra], { cwd: dir });
  const findings = result.code === 2 ? [] : (JSON.parse(result.stdout) as { findings: Finding[] }).findings;
  return { ...result, findings };
}

const PRIVATE_GO_MOD =
  'module example.com/svc\n\ngo 1.26\n\nrequire (\n\tgithub.com/google/uuid v1.6.0\n\tgit.corp.example/team/auth v1.2.0\n)\n';

// [id, what is broken, project, the finding's file and line]
const BROKEN: Array<[string, string, () => string, string, number | undefined]> = [
  ['GCD001', 'no go.mod', () => project({ 'go.mod': null, 'go.sum': null }), 'go.mod', undefined],
  ['GCD002', 'go.sum missing', () => project({ 'go.sum': null }), 'go.sum', undefined],
  [
    'GCD003',
    'replace outside the context',
    () => project({ 'go.mod': `${SIMPLE_SERVICE['go.mod']}\nreplace example.com/lib => ../lib\n` }),
    'go.mod',
    7,
  ],
  ['GCD004', 'go.work not used', () => project({ 'go.work': 'go 1.26\n\nuse .\n' }), 'Dockerfile', undefined],
  [
    'GCD005',
    'vendor/ but downloads',
    () => project({ 'vendor/modules.txt': '# github.com/google/uuid v1.6.0\n## explicit\ngithub.com/google/uuid\n' }),
    'Dockerfile',
    7,
  ],
  ['GCD006', 'no Dockerfile', () => project({ Dockerfile: null }), 'Dockerfile', undefined],
  ['GCD007', 'go.mod unparsable', () => project({ 'go.mod': 'module example.com/svc\n\ngo 1.26\nrequire (\n' }), 'go.mod', 4],
  [
    'GCD010',
    'no GOPROXY with a China mirror in daemon.json',
    () => project({ 'docker/daemon.json': '{ "registry-mirrors": ["https://docker.m.daocloud.io"] }\n' }, { 4: null }),
    'Dockerfile',
    undefined,
  ],
  ['GCD011', 'GOPROXY with ;', () => project({}, { 4: 'ARG GOPROXY=https://goproxy.cn;direct' }), 'Dockerfile', 4],
  ['GCD012', 'GOSUMDB=off', () => project({}, { 5: 'ENV GOSUMDB=off' }), 'Dockerfile', 5],
  ['GCD013', 'private require not in GOPRIVATE', () => project({ 'go.mod': PRIVATE_GO_MOD }), 'go.mod', 7],
  ['GCD014', 'GOFLAGS=-insecure', () => project({}, { 3: 'ENV GOTOOLCHAIN=local GOFLAGS=-insecure' }), 'Dockerfile', 3],
  ['GCD015', 'a token in ARG', () => project({}, { 6: 'ARG GITLAB_TOKEN' }), 'Dockerfile', 6],
  [
    'GCD016',
    'GOPRIVATE set, but no secret or SSH mount to fetch with',
    () => project({ 'go.mod': PRIVATE_GO_MOD, 'go.sum': SIMPLE_SERVICE['go.sum']! }, { 6: 'ARG GOPRIVATE=git.corp.example/*' }),
    'Dockerfile',
    7,
  ],
  ['GCD020', 'COPY . . before go mod download', () => project({}, { 2: 'WORKDIR /src\nCOPY . .' }), 'Dockerfile', 3],
  [
    'GCD021',
    'go build without the build cache',
    () => project({}, { 8: 'RUN --mount=type=cache,target=/go/pkg/mod --mount=type=bind,target=. CGO_ENABLED=0 go build -o /out/svc .' }),
    'Dockerfile',
    8,
  ],
  ['GCD022', 'golang older than the go line', () => project({}, { 1: 'FROM golang:1.22 AS build' }), 'Dockerfile', 1],
  ['GCD023', 'golang:latest', () => project({}, { 1: 'FROM golang:latest AS build' }), 'Dockerfile', 1],
  [
    'GCD024',
    'toolchain newer than the image',
    () =>
      project(
        { 'go.mod': SIMPLE_SERVICE['go.mod']!.replace('go 1.26\n', 'go 1.26\n\ntoolchain go1.26.8\n') },
        { 1: 'FROM golang:1.26.2 AS build', 3: null },
      ),
    'Dockerfile',
    1,
  ],
  [
    'GCD025',
    'COPY of a missing file',
    () => project({}, { 10: 'COPY --from=build /out/svc /usr/local/bin/svc\nCOPY config.yaml /etc/svc/' }),
    'Dockerfile',
    11,
  ],
  [
    'GCD026',
    'scratch without CGO_ENABLED=0',
    () =>
      project(
        {},
        {
          8: GOOD_DOCKERFILE[7]!.replace('CGO_ENABLED=0 ', ''),
          9: 'FROM scratch',
          10: 'COPY --from=build /etc/ssl/certs/ca-certificates.crt /etc/ssl/certs/\nCOPY --from=build /out/svc /svc',
        },
      ),
    'Dockerfile',
    9,
  ],
  [
    'GCD027',
    'cgo code on distroless static',
    () => project({ 'sqlite.go': 'package main\n\n// #include <stdio.h>\nimport "C"\n' }),
    'Dockerfile',
    9,
  ],
  [
    'GCD036',
    'glibc builder (golang image, cgo on by default) feeding Alpine',
    () =>
      project(
        {},
        {
          8: GOOD_DOCKERFILE[7]!.replace('CGO_ENABLED=0 ', ''),
          9: 'FROM alpine:3.22',
        },
      ),
    'Dockerfile',
    9,
  ],
  [
    'GCD037',
    'CGO_ENABLED=0 with a cgo-only driver',
    () =>
      project(
        { 'db.go': 'package main\n\nimport _ "github.com/mattn/go-sqlite3"\n' },
        { 9: 'FROM gcr.io/distroless/base-debian12:nonroot' },
      ),
    'Dockerfile',
    8,
  ],
  ['GCD028', 'scratch without CA certificates', () => project({}, { 9: 'FROM scratch' }), 'Dockerfile', 9],
  ['GCD029', 'USER root', () => project({}, { 11: 'USER root' }), 'Dockerfile', 11],
  ['GCD030', 'shell-form ENTRYPOINT', () => project({}, { 12: 'ENTRYPOINT /usr/local/bin/svc' }), 'Dockerfile', 12],
  [
    'GCD031',
    'ADD of a local file',
    () => project({ 'config.yaml': 'a: 1\n' }, { 10: 'COPY --from=build /out/svc /usr/local/bin/svc\nADD config.yaml /etc/svc/' }),
    'Dockerfile',
    11,
  ],
  ['GCD032', 'no .dockerignore', () => project({ '.dockerignore': null }), '.dockerignore', undefined],
  [
    'GCD033',
    '.dockerignore keeps .git',
    () => project({ '.git/HEAD': 'ref: refs/heads/main\n', '.dockerignore': '**/.env\n' }),
    '.dockerignore',
    undefined,
  ],
  ['GCD034', '.dockerignore excludes go.sum', () => project({ '.dockerignore': '.git\n*.sum\n' }), '.dockerignore', 2],
  [
    'GCD035',
    'a program the distroless runtime cannot have',
    () => project({ 'git.go': 'package main\n\nimport "os/exec"\n\nfunc pull() {\n\texec.Command("git", "pull").Run()\n}\n' }),
    'Dockerfile',
    9,
  ],
  ['GCD050', 'daemon.json not JSON', () => project({ 'docker/daemon.json': '{\n  "dns": ["223.5.5.5"],\n}\n' }), 'docker/daemon.json', 3],
  [
    'GCD051',
    'daemon.json unknown key',
    () => project({ 'docker/daemon.json': '{\n  "log-driver": "json-file",\n  "registry-mirror": ["https://m.example.com"]\n}\n' }),
    'docker/daemon.json',
    3,
  ],
  [
    'GCD053',
    'daemon.json proxies (Engine 23+)',
    () => project({ 'docker/daemon.json': '{\n  "log-driver": "json-file",\n  "proxies": { "http-proxy": "http://p.example:3128" }\n}\n' }),
    'docker/daemon.json',
    3,
  ],
  [
    'GCD052',
    'daemon.json bad DNS address',
    () => project({ 'docker/daemon.json': '{\n  "dns": [\n    "223.5.5"\n  ]\n}\n' }),
    'docker/daemon.json',
    3,
  ],
];

describe('doctor: one broken project per check', () => {
  it('a project with none of the problems has no findings but the context size', async () => {
    const result = await doctor(project({}));
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.findings.map((item) => item.id)).toEqual(['GCD060']);
  });

  it.each(BROKEN)('%s: %s', async (id, _what, make, file, line) => {
    const result = await doctor(make());
    const found = result.findings.filter((item) => item.id === id);
    expect(found, JSON.stringify(result.findings, null, 2)).toHaveLength(1);
    expect(found[0]).toMatchObject({ file, severity: CHECKS[id as keyof typeof CHECKS].severity });
    expect(found[0]!.line).toBe(line);
    expect(found[0]!.fix.length).toBeGreaterThan(5);
    expect(result.code).toBe(result.findings.some((item) => item.severity === 'error') ? 1 : 0);
    // The fixture is broken in one way: no other error hides behind it (GCD001/GCD006 end the checks they imply).
    expect(result.findings.filter((item) => item.severity === 'error' && item.id !== id).map((item) => item.id)).toEqual([]);
  });

  it('a token rewrite supplies credentials: GCD015 (the leak) alone, never GCD016 ("no credentials") beside it', async () => {
    const rewrite =
      'ARG GOPRIVATE=git.corp.example\nARG GITLAB_TOKEN\n' +
      'RUN git config --global url."https://oauth2:${GITLAB_TOKEN}@git.corp.example/".insteadOf "https://git.corp.example/"';
    const result = await doctor(project({ 'go.mod': PRIVATE_GO_MOD }, { 6: rewrite }));
    const ids = result.findings.map((item) => item.id);
    expect(ids).toContain('GCD015');
    expect(ids).not.toContain('GCD016');
    // The ARG is in the build stage: not in the final image's history, and the report says so.
    const argFinding = result.findings.find((item) => item.id === 'GCD015' && item.problem.startsWith('ARG GITLAB_TOKEN'))!;
    expect(argFinding.problem).toContain("in a build stage: not in the final image's history, but in the build cache");
    // Without the rewrite, the same project has no credentials at all.
    const bare = await doctor(project({ 'go.mod': PRIVATE_GO_MOD }, { 6: 'ARG GOPRIVATE=git.corp.example' }));
    expect(bare.findings.map((item) => item.id)).toContain('GCD016');
  });

  // The field notes' failure modes (../shared/docs/field-notes.md), each in a Dockerfile that also
  // runs as root and copies the source before downloading, as the seeds' do: the cause of the
  // failing build must be the first finding, ahead of those.
  const NAIVE = { 11: 'USER root', 2: 'WORKDIR /src\nCOPY . .' };
  it.each([
    [
      '410 Gone / terminal prompts disabled: a private module sent to the public proxy',
      'GCD013',
      () => project({ 'go.mod': PRIVATE_GO_MOD }, NAIVE),
    ],
    ['go: updates to go.mod needed: go.sum missing', 'GCD002', () => project({ 'go.sum': null }, NAIVE)],
    [
      'replacement directory ../lib does not exist',
      'GCD003',
      () => project({ 'go.mod': `${SIMPLE_SERVICE['go.mod']!}\nreplace example.com/lib => ../lib\n` }, NAIVE),
    ],
    [
      'go: downloading go1.26 / go.mod requires go >= 1.26: an older builder',
      'GCD022',
      () => project({}, { ...NAIVE, 1: 'FROM golang:1.22 AS build' }),
    ],
    [
      'exec ./svc: no such file or directory: a glibc builder feeding Alpine',
      'GCD036',
      () => project({}, { ...NAIVE, 8: GOOD_DOCKERFILE[7]!.replace('CGO_ENABLED=0 ', ''), 9: 'FROM alpine:3.22' }),
    ],
  ])('%s: the first finding is %s', async (_symptom, id, make) => {
    const result = await doctor(make());
    expect(result.findings[0]?.id, JSON.stringify(result.findings.map((item) => item.id))).toBe(id);
    expect(result.findings.map((item) => item.id)).toEqual(expect.arrayContaining(['GCD029', 'GCD020']));
  });

  it("a way forward: the command that generates our setup with the old Dockerfile's settings carried over", async () => {
    const old = project(
      { 'go.mod': PRIVATE_GO_MOD },
      {
        4: 'ARG GOPROXY=https://goproxy.cn,direct',
        6: 'ARG GOPRIVATE=git.corp.example\nARG HTTPS_PROXY=http://proxy.corp.example:3128',
        9: 'FROM alpine:3.22',
        11: 'USER root',
      },
    );
    const result = await runCli(['doctor', '--offline'], { cwd: old });
    expect(result.stdout).toContain(
      'Most fixes are what create-go-docker generates (what your Dockerfile sets is carried over; it is kept as Dockerfile.orig):\n',
    );
    const command =
      'npx create-go-docker --region cn --private git.corp.example --proxy http://proxy.corp.example:3128 --base alpine --force';
    expect(result.stdout).toContain(`\n  ${command}\n`);
    const json = await doctor(old);
    expect((JSON.parse(json.stdout) as { next: string }).next).toBe(command);
    // Following it works: our Dockerfile, with those settings, and the old one kept.
    const followed = await runCli([...command.split(' ').slice(2), '--yes'], { cwd: old });
    expect(followed.code, followed.stderr).toBe(0);
    const dockerfile = readFileSync(join(old, 'Dockerfile'), 'utf8');
    expect(dockerfile).toContain('ARG GOPROXY=https://goproxy.cn,direct');
    expect(dockerfile).toContain('ARG GOPRIVATE=git.corp.example');
    expect(dockerfile).toMatch(/^FROM alpine:\S+ AS svc$/m);
    expect(readFileSync(join(old, 'Dockerfile.orig'), 'utf8')).toContain('USER root');
    // Our own Dockerfile: regenerate; a value that fails our parsers is left out, never printed.
    expect((JSON.parse((await doctor(old)).stdout) as { next: string }).next).toBe('npx create-go-docker regenerate');
    const hostile = project({}, { 4: 'ARG GOPROXY="https://x.example;rm -rf ~"', 11: 'USER root' });
    expect((JSON.parse((await doctor(hostile)).stdout) as { next: string }).next).toBe('npx create-go-docker --base distroless --force');
  });

  it('doctor --fix runs that command: ours written over the old Dockerfile (kept), then nothing left to fix', async () => {
    const old = project(
      { 'go.mod': PRIVATE_GO_MOD },
      {
        4: 'ARG GOPROXY=https://athens.corp.example,direct',
        6: 'ARG GOPRIVATE=git.corp.example',
        9: 'FROM debian:bookworm-slim',
        11: 'USER root',
      },
    );
    const oldText = readFileSync(join(old, 'Dockerfile'), 'utf8');
    const fixed = await runCli(['doctor', '--offline', '--fix'], { cwd: old });
    expect(fixed.code, fixed.stderr).toBe(0);
    const command =
      'npx create-go-docker --region custom --goproxy https://athens.corp.example,direct --private git.corp.example --base debian --force';
    expect(fixed.stdout).toContain(`\nRunning: ${command}\n`);
    expect(fixed.stdout).toContain('  created     Dockerfile.orig\n');
    expect(readFileSync(join(old, 'Dockerfile.orig'), 'utf8')).toBe(oldText);
    const dockerfile = readFileSync(join(old, 'Dockerfile'), 'utf8');
    expect(dockerfile).toContain('ARG GOPROXY=https://athens.corp.example,direct');
    expect(dockerfile).toMatch(/^FROM debian:bookworm-slim AS svc$/m);
    const again = await runCli(['doctor', '--offline', '--fix'], { cwd: old });
    expect(again.code, again.stdout).toBe(0);
    expect(again.stdout).toMatch(/\nNothing to fix\.\n$/);
  });

  it('doctor --fix with --json is a usage error that changes nothing', async () => {
    const dir = project({}, { 11: 'USER root' });
    const before = readFileSync(join(dir, 'Dockerfile'), 'utf8');
    const result = await runCli(['doctor', '--fix', '--json'], { cwd: dir });
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(
      'create-go-docker: doctor: --fix writes files and prints what it wrote, --json only reports; give one of them.\n',
    );
    expect(readFileSync(join(dir, 'Dockerfile'), 'utf8')).toBe(before);
  });

  it('exit codes: 1 with an error, 0 with warnings only', async () => {
    expect((await doctor(project({}, { 11: 'USER root' }))).code).toBe(1);
    expect((await doctor(project({}, { 12: 'ENTRYPOINT /usr/local/bin/svc' }))).code).toBe(0);
  });

  it('a project create-go-docker generated reports no errors and no warnings', async () => {
    // --yes detects the private host as the wizard does (issue 19), so no flag set needs --private.
    for (const flags of [
      ['--base', 'scratch'],
      ['--base', 'alpine', '--region', 'cn'],
      ['--private', 'git.corp.example/*', '--auth', 'token'],
    ]) {
      const dir = makeProject({ ...SIMPLE_SERVICE, 'go.mod': PRIVATE_GO_MOD });
      expect((await runCli(['--yes', ...flags], { cwd: dir })).code).toBe(0);
      const result = await doctor(dir);
      expect(
        result.findings.filter((item) => item.severity !== 'info'),
        flags.join(' '),
      ).toEqual([]);
    }
  });

  it('prints findings grouped by what they stop, with id, severity, file:line, problem and fix', async () => {
    const result = await runCli(['doctor', '--offline'], { cwd: project({}, { 11: 'USER root', 12: 'ENTRYPOINT /usr/local/bin/svc' }) });
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(
      /^create-go-docker \S+ doctor: \. \(go\.mod, Dockerfile, \.dockerignore\)\n\nSecurity\n {2}GCD029 error {4}Dockerfile:11 {2}USER root: the container runs as root\.\n {10}fix: add USER 65532:65532/,
    );
    expect(result.stdout).toMatch(
      /\nRebuild speed and hygiene\n {2}GCD030 warning {2}Dockerfile:12 {2}ENTRYPOINT \/usr\/local\/bin\/svc is shell form/,
    );
    expect(result.stdout).toMatch(
      /\n1 error, 1 warning, 1 info\.\nMost fixes are what create-go-docker generates \(what your Dockerfile sets is carried over; it is kept as Dockerfile\.orig\):\n {2}npx create-go-docker --base distroless --force\n$/,
    );
  });

  it.each([
    [
      ['doctor', '--dockerfile', 'nope/Dockerfile', '--offline'],
      2,
      /--dockerfile nope\/Dockerfile: no such file; give the path of your Dockerfile\./,
    ],
    [['doctor', '--dockerfile', '.', '--offline'], 2, /--dockerfile \.: is a directory; give the path of your Dockerfile\./],
    [
      ['doctor', '--daemon-json', 'nope.json', '--offline'],
      2,
      /--daemon-json nope\.json: no such file; give the path of the Docker daemon's daemon\.json\./,
    ],
    [['doctor', '--timeout', 'soon'], 2, /--timeout "soon": not a number of seconds/],
    [['doctor', '--ofline'], 2, /unknown option --ofline; did you mean --offline\?/],
    [['doctor', 'a', 'b'], 2, /doctor: too many arguments/],
    [['doctor', 'services/nope'], 2, /services\/nope: no such directory; give the directory of your Go module\./],
  ])('%j fails with one clear line', async (argv, code, message) => {
    const result = await runCli(argv, { cwd: project({}) });
    expect(result.code).toBe(code);
    expect(result.stderr).toMatch(message);
    expect(result.stderr.trimEnd().split('\n')).toHaveLength(1);
  });

  it('reads a Dockerfile elsewhere (--dockerfile) and its own ignore file beside it', async () => {
    const dir = project({ Dockerfile: null, '.dockerignore': null });
    mkdirSync(join(dir, 'build'));
    writeFileSync(join(dir, 'build/Dockerfile'), `${GOOD_DOCKERFILE.join('\n').replace('USER 65532:65532', 'USER 0')}\n`);
    writeFileSync(join(dir, 'build/Dockerfile.dockerignore'), GOOD_IGNORE);
    const result = await doctor(dir, ['--dockerfile', 'build/Dockerfile']);
    expect(result.findings.map((item) => `${item.id} ${item.file}:${item.line ?? ''}`)).toEqual([
      'GCD029 build/Dockerfile:11',
      'GCD060 build/Dockerfile.dockerignore:',
    ]);
  });

  it('every check id is documented in the README', async () => {
    const { readFileSync } = await import('node:fs');
    const readme = readFileSync(join(import.meta.dirname, '..', 'README.md'), 'utf8');
    for (const id of Object.keys(CHECKS)) expect(readme, id).toMatch(new RegExp(`\\| ${id} \\|`));
  });
});

// doctor's fixes cite the generator's facts from plan/ (doctor/messages.ts), not copies of them:
// what generate writes and what doctor advises change together.
describe('doctor advises what generate writes', () => {
  const CGO = { 'sqlite.go': 'package main\n\n// #include <stdio.h>\nimport "C"\n' };
  const generatedDockerfile = async (files: Record<string, string>, flags: string[]): Promise<string> => {
    const dir = makeProject(files);
    const result = await runCli(['--yes', ...flags], { cwd: dir });
    expect(result.code, result.stderr).toBe(0);
    return readFileSync(join(dir, 'Dockerfile'), 'utf8');
  };
  const fixOf = async (id: string, dir: string): Promise<string> => {
    const found = (await doctor(dir)).findings.filter((item) => item.id === id);
    expect(found).toHaveLength(1);
    return found[0]!.fix;
  };

  it("the runtime images --cgo auto picks (each region's) are the ones GCD027 names", async () => {
    const fix = await fixOf('GCD027', project(CGO));
    for (const region of ['global', 'cn']) {
      const runtime = [...(await generatedDockerfile({ ...SIMPLE_SERVICE, ...CGO }, ['--region', region])).matchAll(/^FROM (\S+)/gm)].at(
        -1,
      )![1]!;
      expect(fix, region).toContain(`${runtime} `);
    }
  });

  it('the golang image (GCD022) and the runtime user (GCD029)', async () => {
    const dockerfile = await generatedDockerfile(SIMPLE_SERVICE, []);
    const golang = /^FROM (?:--platform=\S+ )?(golang:\S+) AS build$/m.exec(dockerfile)![1]!;
    const user = /^USER (\S+)$/m.exec(dockerfile)![1]!;
    expect(await fixOf('GCD022', project({}, { 1: 'FROM golang:1.22 AS build' }))).toContain(`use ${golang} or newer`);
    expect(await fixOf('GCD029', project({}, { 11: 'USER root' }))).toContain(`add USER ${user} `);
  });
});

describe('doctor: network probes (servers on 127.0.0.1 only)', () => {
  let fast: Server;
  let stalling: Server;
  let fastUrl = '';
  let stallingUrl = '';
  let refusedUrl = '';

  const listen = (server: Server): Promise<string> =>
    new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`)));

  beforeAll(async () => {
    fast = createServer((_request, response) => response.end('ok'));
    // Accepts connections and never answers: the probe must give up at its timeout.
    stalling = createServer(() => {});
    fastUrl = await listen(fast);
    stallingUrl = await listen(stalling);
    const closed = createServer();
    refusedUrl = await listen(closed);
    await new Promise((resolve) => closed.close(resolve));
  });
  afterAll(() => {
    fast.closeAllConnections();
    stalling.closeAllConnections();
    fast.close();
    stalling.close();
  });

  const model = (goProxy: string, goSumDb: string) =>
    parseDockerfile(`FROM golang:1.26\nARG GOPROXY=${goProxy}\nARG GOSUMDB="${goSumDb}"\nRUN go build .\n`);

  it('reports reachable, refused and stalled entries with the time taken, within the timeout', async () => {
    const started = performance.now();
    const findings = await checkNetwork(
      model(`${fastUrl}|${refusedUrl}|${stallingUrl},direct`, `sum.golang.org ${fastUrl}`),
      'Dockerfile',
      { ...DEFAULT_NETWORK_OPTIONS, timeoutMs: 800, slowMs: 400 },
    );
    // Not a speed target: a server that never answers must not hold doctor past its timeout.
    expect(performance.now() - started).toBeLessThan(5000);
    const byUrl = (url: string) => findings.filter((item) => item.problem.includes(` ${url} `));
    expect(byUrl(fastUrl).map((item) => `${item.id} line ${item.line}`)).toEqual(['GCD041 line 2', 'GCD041 line 3']);
    expect(byUrl(fastUrl)[0]!.problem).toMatch(/is reachable \(HTTP 200, \d+\.\d\d s\)/);
    expect(byUrl(refusedUrl)).toEqual([
      expect.objectContaining({ id: 'GCD040', line: 2, problem: expect.stringMatching(/unreachable from here \(connection refused/) }),
    ]);
    expect(byUrl(stallingUrl)).toEqual([
      expect.objectContaining({
        id: 'GCD040',
        problem: expect.stringMatching(/unreachable from here \(no answer within 0\.8 s, \d+\.\d s\)/),
      }),
    ]);
    expect(findings.some((item) => item.id === 'GCD042')).toBe(false);
  });

  it('hints at mainland China when the public proxy fails and goproxy.cn answers', async () => {
    const findings = await checkNetwork(model(`${refusedUrl},direct`, 'off'), 'Dockerfile', {
      timeoutMs: 800,
      slowMs: 400,
      publicProxyUrl: refusedUrl,
      chinaProbeUrl: fastUrl,
    });
    expect(findings.map((item) => item.id)).toEqual(['GCD040', 'GCD042']);
    expect(findings[1]!.fix).toMatch(/--region cn/);
  });

  it('the cause first: a mainland network (download) ranks above an error that only weakens the image (root)', async () => {
    const dir = project({}, { 4: `ARG GOPROXY=${refusedUrl},direct`, 11: 'USER root' });
    const report = await diagnose(
      { cwd: dir, offline: false },
      { ...DEFAULT_NETWORK_OPTIONS, timeoutMs: 800, slowMs: 400, publicProxyUrl: refusedUrl, chinaProbeUrl: fastUrl },
    );
    const ids = report.findings.map((item) => item.id);
    expect(ids[0]).toBe('GCD040');
    expect(report.findings.filter((item) => item.impact === 'download').map((item) => item.id)).toContain('GCD042');
    expect(ids).toContain('GCD029');
    expect(ids.indexOf('GCD029')).toBeGreaterThan(ids.indexOf('GCD042'));
    // Printed the same way: the download's heading before Security.
    const printed = formatReport(report, 'test', '.');
    expect(printed.indexOf('Stops or slows go mod download\n  GCD040 warning')).toBeGreaterThan(0);
    expect(printed.indexOf('Stops or slows go mod download')).toBeLessThan(printed.indexOf('\nSecurity\n  GCD029 error'));
  });

  it('goproxy.cn unreachable: never advised again; other mirrors joined by | and the company proxy instead', async () => {
    // Through a proxy that refuses: goproxy.cn is unreachable whatever this machine's network.
    const findings = await checkNetwork(model('https://goproxy.cn,direct', 'off'), 'Dockerfile', {
      ...DEFAULT_NETWORK_OPTIONS,
      timeoutMs: 800,
      slowMs: 400,
      proxies: proxySettingsFrom({ HTTPS_PROXY: refusedUrl }),
    });
    expect(findings).toEqual([
      expect.objectContaining({ id: 'GCD040', problem: expect.stringContaining('https://goproxy.cn is unreachable') }),
    ]);
    expect(findings[0]!.fix).toContain('https://goproxy.cn|https://mirrors.aliyun.com/goproxy/|https://goproxy.io,direct');
    expect(findings[0]!.fix).not.toMatch(/^use a reachable proxy \(https:\/\/goproxy\.cn/);
  });

  it('verifying module: dial tcp sum.golang.org: the unreachable checksum database is the first finding', async () => {
    const dir = project(
      {},
      { 2: 'WORKDIR /src\nCOPY . .', 4: `ARG GOPROXY=${fastUrl},direct`, 5: `ARG GOSUMDB="sum.golang.org ${refusedUrl}"`, 11: 'USER root' },
    );
    const report = await diagnose({ cwd: dir, offline: false, env: {} }, { ...DEFAULT_NETWORK_OPTIONS, timeoutMs: 800, slowMs: 400 });
    expect(report.findings[0]).toMatchObject({ id: 'GCD040', problem: expect.stringContaining(`checksum database ${refusedUrl}`) });
    expect(report.findings[0]!.fix).toMatch(/GOSUMDB=sum\.golang\.google\.cn/);
  });

  it('probes through the proxy the Dockerfile sets (ARG HTTP_PROXY), not around it', async () => {
    const options = { ...DEFAULT_NETWORK_OPTIONS, timeoutMs: 800, slowMs: 400, publicProxyUrl: refusedUrl, chinaProbeUrl: refusedUrl };
    const direct = await diagnose(
      { cwd: project({}, { 4: `ARG GOPROXY=${fastUrl},direct`, 5: 'ARG GOSUMDB=off' }), offline: false, env: {} },
      options,
    );
    expect(direct.findings.filter((item) => item.problem.includes(fastUrl)).map((item) => item.id)).toEqual(['GCD041']);
    const proxied = project({}, { 4: `ARG GOPROXY=${fastUrl},direct`, 5: 'ARG GOSUMDB=off', 6: `ARG HTTP_PROXY=${refusedUrl}` });
    const report = await diagnose({ cwd: proxied, offline: false, env: {} }, options);
    expect(report.findings.filter((item) => item.problem.includes(fastUrl)).map((item) => item.id)).toEqual(['GCD040']);
  });

  it('reports a slow answer as slow', async () => {
    const slow = createServer((_request, response) => setTimeout(() => response.end('ok'), 300));
    const slowUrl = await listen(slow);
    try {
      const findings = await checkNetwork(model(`${slowUrl},direct`, 'off'), 'Dockerfile', {
        ...DEFAULT_NETWORK_OPTIONS,
        timeoutMs: 2000,
        slowMs: 100,
      });
      expect(findings).toEqual([expect.objectContaining({ id: 'GCD041', problem: expect.stringMatching(/answers, but slowly/) })]);
    } finally {
      slow.close();
    }
  });
});

describe('doctor: probes go through HTTPS_PROXY / HTTP_PROXY unless NO_PROXY says otherwise (a proxy on 127.0.0.1)', () => {
  let target: Server;
  let proxy: Server;
  let targetUrl = '';
  let proxyUrl = '';
  const seen: string[] = [];

  beforeAll(async () => {
    target = createServer((_request, response) => response.end('ok'));
    // A forward proxy: plain requests by absolute URL are passed to the target (only the local
    // one); CONNECT tunnels are refused with 502, so nothing leaves this machine.
    proxy = createServer((request, response) => {
      seen.push(`${request.method} ${request.url}`);
      if (!request.url?.startsWith(targetUrl)) {
        response.statusCode = 403;
        response.end();
        return;
      }
      void fetch(request.url).then(async (answer) => response.writeHead(answer.status).end(await answer.text()));
    });
    proxy.on('connect', (request, socket) => {
      seen.push(`CONNECT ${request.url}`);
      socket.end('HTTP/1.1 502 Bad Gateway\r\n\r\n');
    });
    const listen = (server: Server): Promise<string> =>
      new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`)));
    targetUrl = await listen(target);
    proxyUrl = await listen(proxy);
  });
  afterAll(() => {
    target.close();
    proxy.closeAllConnections();
    proxy.close();
  });

  const model = (goProxy: string) => parseDockerfile(`FROM golang:1.26\nARG GOPROXY=${goProxy}\nARG GOSUMDB=off\nRUN go build .\n`);
  const options = (env: Record<string, string>) => ({
    ...DEFAULT_NETWORK_OPTIONS,
    timeoutMs: 2000,
    slowMs: 1000,
    proxies: proxySettingsFrom(env),
  });

  it('an http entry is fetched through HTTP_PROXY, and NO_PROXY bypasses it', async () => {
    seen.length = 0;
    const through = await checkNetwork(model(`${targetUrl},direct`), 'Dockerfile', options({ HTTP_PROXY: proxyUrl }));
    expect(through[0]!.problem).toMatch(new RegExp(`is reachable \\(HTTP 200 via proxy ${proxyUrl.replace(/[.:/]/g, '\\$&')}`));
    expect(seen).toEqual([`GET ${targetUrl}/`]);
    seen.length = 0;
    const bypassed = await checkNetwork(
      model(`${targetUrl},direct`),
      'Dockerfile',
      options({ HTTP_PROXY: proxyUrl, NO_PROXY: 'localhost,127.0.0.1' }),
    );
    expect(bypassed[0]!.problem).toMatch(/is reachable \(HTTP 200, /);
    expect(seen).toEqual([]);
  });

  it('an https entry is tunnelled with CONNECT through HTTPS_PROXY (and the local DNS is not asked)', async () => {
    seen.length = 0;
    const findings = await checkNetwork(model('https://goproxy.example.invalid,direct'), 'Dockerfile', options({ https_proxy: proxyUrl }));
    expect(seen).toEqual(['CONNECT goproxy.example.invalid:443']);
    expect(findings[0]).toMatchObject({
      id: 'GCD040',
      problem: expect.stringMatching(/the proxy answered CONNECT with HTTP 502 via proxy http:\/\/127\.0\.0\.1:\d+/),
    });
  });

  it('a proxy with credentials is never shown with them', async () => {
    const withUser = proxyUrl.replace('http://', 'http://me:hunter2@');
    const findings = await checkNetwork(model('https://goproxy.example.invalid,direct'), 'Dockerfile', options({ HTTPS_PROXY: withUser }));
    expect(JSON.stringify(findings)).not.toContain('hunter2');
  });
});

// Issue 18: a repository can commit links; doctor must not read (and print) what they point at.
describe('doctor reads no project file through a link', () => {
  const OUTSIDE_TEXT = 'outside-secret-value';
  /** A directory outside the project with files whose content must never be printed. */
  function outside(): string {
    return makeProject({
      Dockerfile: `FROM golang:1.22\nENTRYPOINT cat /${OUTSIDE_TEXT}\n`,
      'daemon.json': `{ "${OUTSIDE_TEXT}": 1 }\n`,
      'go.mod': `module example.com/${OUTSIDE_TEXT}\n\ngo 1.26\n`,
      dockerignore: `${OUTSIDE_TEXT}\ngo.mod\n`,
      'cgo.go': 'package main\n\n// #include <stdio.h>\nimport "C"\n',
    });
  }
  const cases: Array<[string, (dir: string, elsewhere: string) => void, RegExp]> = [
    [
      'Dockerfile is a link to a file outside',
      (dir, elsewhere) => linkOver(dir, 'Dockerfile', join(elsewhere, 'Dockerfile')),
      /^create-go-docker: Dockerfile: is a symbolic link; .*replace it with a regular file/,
    ],
    [
      'docker/daemon.json is a link to a file outside',
      (dir, elsewhere) => linkOver(dir, 'docker/daemon.json', join(elsewhere, 'daemon.json')),
      /^create-go-docker: docker\/daemon\.json: is a symbolic link; .*replace it with a regular file/,
    ],
    [
      'docker/ is a link to a directory outside',
      (dir, elsewhere) => {
        rmSync(join(dir, 'docker'), { recursive: true });
        symlinkSync(elsewhere, join(dir, 'docker'));
      },
      /^create-go-docker: docker\/daemon\.json: docker is a symbolic link; .*replace docker with a regular directory/,
    ],
    [
      'docker/daemon.json is a dangling link',
      (dir) => linkOver(dir, 'docker/daemon.json', '/nonexistent/daemon.json'),
      /^create-go-docker: docker\/daemon\.json: is a symbolic link; /,
    ],
    [
      '.dockerignore is a link to a file outside',
      (dir, elsewhere) => linkOver(dir, '.dockerignore', join(elsewhere, 'dockerignore')),
      /^create-go-docker: \.dockerignore: is a symbolic link; /,
    ],
    [
      'go.mod is a link to a file outside',
      (dir, elsewhere) => linkOver(dir, 'go.mod', join(elsewhere, 'go.mod')),
      /^create-go-docker: go\.mod: is a symbolic link; /,
    ],
  ];
  it.each(cases)('%s: one line naming it and the fix, nothing of the target printed', async (_name, link, message) => {
    const dir = project({ 'docker/daemon.json': '{}\n' });
    link(dir, outside());
    for (const extra of [[], ['--json']]) {
      const result = await runCli(['doctor', '--offline', ...extra], { cwd: dir });
      expect(result.code, result.stdout).toBe(1);
      // --json: the failure as JSON on stdout too (issue 19), with the same line as stderr.
      if (extra.length === 0) expect(result.stdout).toBe('');
      else
        expect(JSON.parse(result.stdout)).toMatchObject({
          command: 'doctor',
          ok: false,
          exitCode: 1,
          error: { code: 'failed', message: result.stderr.replace(/^create-go-docker: /, '').trimEnd() },
        });
      expect(result.stderr).toMatch(message);
      expect(result.stderr.trimEnd().split('\n')).toHaveLength(1);
      expect(`${result.stdout}${result.stderr}`).not.toContain(OUTSIDE_TEXT);
    }
  });

  it('a .go file linked from outside is not read (its cgo import is not reported)', async () => {
    const dir = project({});
    symlinkSync(join(outside(), 'cgo.go'), join(dir, 'cgo.go'));
    const result = await doctor(dir);
    expect(result.findings.map((item) => item.id)).toEqual(['GCD060']);
  });

  it('a Dockerfile the user names with --dockerfile may be anywhere, but must be a regular file', async () => {
    const dir = project({ Dockerfile: null });
    const elsewhere = outside();
    const result = await doctor(dir, ['--dockerfile', join(elsewhere, 'Dockerfile')]);
    expect(result.findings.map((item) => item.id)).toContain('GCD030');
    spawnSync('mkfifo', [join(elsewhere, 'pipe')]);
    const pipe = await runCli(['doctor', '--offline', '--dockerfile', join(elsewhere, 'pipe')], { cwd: dir });
    expect(pipe.code).toBe(1);
    expect(pipe.stderr).toMatch(/pipe: is a named pipe, not a regular file/);
  });
});

/** Replaces dir/path by a symbolic link to target. */
function linkOver(dir: string, path: string, target: string): void {
  rmSync(join(dir, path), { force: true });
  mkdirSync(dirname(join(dir, path)), { recursive: true });
  symlinkSync(target, join(dir, path));
}

describe('doctor stays fast and stoppable on a large tree', () => {
  /** A module with `files` small files in node_modules (detection skips it; docker sends it) and the usual .dockerignore. */
  function largeProject(files: number, dockerfile: string): string {
    const dir = project({
      Dockerfile: dockerfile,
      '.dockerignore': readFileSync(join(import.meta.dirname, '..', 'templates', 'dockerignore.hbs'), 'utf8').replace(/\{\{[^}]*\}\}/g, ''),
    });
    for (let index = 0; index < files; index++) {
      if (index % 100 === 0) mkdirSync(join(dir, 'node_modules', `p${index / 100}`), { recursive: true });
      writeFileSync(join(dir, 'node_modules', `p${Math.floor(index / 100)}`, `f${index % 100}.js`), 'x');
    }
    return dir;
  }

  it('stops counting the build context at the cap and says so in one finding', async () => {
    const dir = project({});
    for (let index = 0; index < 30; index++) writeFileSync(join(dir, `f${index}.txt`), 'x');
    const findings = await contextSize(dir, GOOD_IGNORE, '.dockerignore', { maxEntries: 10 });
    expect(findings.map((item) => item.id)).toEqual(['GCD060']);
    expect(findings[0]!.problem).toMatch(
      /^the build context is at least \d+ files, \d+ B; largest so far: .*; doctor stops counting after 10 files and directories, so there may be more\.$/,
    );
  });

  it('SIGTERM stops doctor within a second or two, with exit 143', async () => {
    // The probe goes to a server that never answers, so the run cannot end on its own before the signal.
    const stalling = createServer(() => {});
    await new Promise<void>((resolve) => stalling.listen(0, '127.0.0.1', resolve));
    try {
      const port = (stalling.address() as AddressInfo).port;
      const dir = largeProject(
        50_000,
        `FROM golang:1.26\nARG GOPROXY=http://127.0.0.1:${port},direct\nARG GOSUMDB=off\nRUN go mod download\n`,
      );
      const child = spawn(process.execPath, [BIN, 'doctor', '--timeout', '60'], { cwd: dir, stdio: 'ignore' });
      const closed = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
      // Past start-up (the handlers are installed), inside the walk or the probe.
      await new Promise((resolve) => setTimeout(resolve, 800));
      const sent = performance.now();
      child.kill('SIGTERM');
      const code = await closed;
      expect(code).toBe(143);
      expect(performance.now() - sent).toBeLessThan(1500);
    } finally {
      stalling.closeAllConnections();
      stalling.close();
    }
  }, 60_000);
});
