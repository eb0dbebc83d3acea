// Generated files over the option matrix: pinned by snapshots (snapshots/) and checked for
// the invariants every Dockerfile we emit must keep, read with a real Dockerfile parser.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Instruction } from 'dockerfile-ast';
import { describe, expect, it } from 'vitest';
import { AUTH_MODES, BASES, REGIONS } from '../src/options/model.js';
import { makeProject, parseDockerfile, runCli, SIMPLE_SERVICE } from './helpers.js';
import { TEST_CA } from './helpers.js';


interface Generated {
  dir: string;
  dockerfile: string;
  dockerignore: string;
  daemonJson?: string;
  config: string;
  stdout: string;
}

async function generate(files: Record<string, string>, flags: string[]): Promise<Generated> {
  const dir = makeProject(files);
  const result = await runCli(['--yes', ...flags], { cwd: dir });
  expect(result.stderr).toBe('');
  expect(result.code).toBe(0);
  const read = (path: string): string => readFileSync(join(dir, path), 'utf8');
  let daemonJson: string | undefined;
  try {
    daemonJson = read('docker/daemon.json');
  } catch {
    daemonJson = undefined;
  }
  return { dir, dockerfile: read('Dockerfile'), dockerignore: read('.dockerignore'), daemonJson, config: read('.go-docker.yaml'), stdout: result.stdout };
}

interface Expectations {
  auth: 'none' | 'ssh' | 'token';
  crossCompile: boolean;
  vendored?: boolean;
  stages: string[];
  ports?: Record<string, number>;
}

function mountsOf(instruction: Instruction): string[] {
  const run = instruction as Instruction & { getFlags(): { getName(): string; getValue(): string | null }[] };
  return run.getFlags().filter((flag) => flag.getName() === 'mount').map((flag) => flag.getValue() ?? '');
}

/** The invariants every generated Dockerfile keeps, whatever the options. */
function checkInvariants(text: string, expected: Expectations): void {
  expect(text).not.toMatch(/^#\s*syntax=/m);
  expect(text).not.toMatch(/<<-?\s*['"]?[A-Z]+/);
  const dockerfile = parseDockerfile(text);
  const froms = dockerfile.getFROMs();
  expect(froms[0]!.getBuildStage()).toBe('build');
  expect(froms[0]!.getImageName()).toMatch(/(^|\/)golang$/);
  expect(froms[0]!.getImageTag()).toMatch(/^1\.\d+(\.\d+)?-(bookworm|alpine3\.\d+)$/);
  expect(froms[0]!.getPlatformFlag()?.getValue()).toBe(expected.crossCompile ? '$BUILDPLATFORM' : undefined);
  expect(froms.slice(1).map((from) => from.getBuildStage())).toEqual(expected.stages);
  for (const from of froms.slice(1)) {
    if (from.getImageName() !== 'scratch') expect(from.getImageTag(), `${from.getImageName()} has a pinned tag`).toMatch(/^[\w.-]+$/);
    expect(from.getImageTag()).not.toBe('latest');
  }

  const instructions = dockerfile.getInstructions();
  const builder = instructions.filter((instruction) => instruction.getRange().start.line < froms[1]!.getRange().start.line);
  expect(builder.some((instruction) => instruction.getKeyword() === 'ENV' && instruction.getArgumentsContent() === 'GOTOOLCHAIN=local')).toBe(true);
  expect(builder.some((instruction) => instruction.getKeyword() === 'COPY' && /^\.\s/.test(instruction.getArgumentsContent() ?? ''))).toBe(false);

  // Every step that may fetch modules has the module cache and the same credentials mounts.
  const fetchMounts = expected.auth === 'token' ? ['type=secret,id=netrc,target=/root/.netrc'] : expected.auth === 'ssh' ? ['type=ssh'] : [];
  const goSteps = builder.filter((instruction) => instruction.getKeyword() === 'RUN' && /\bgo (mod download|build)\b/.test(instruction.getArgumentsContent() ?? ''));
  expect(goSteps.length).toBe(expected.vendored ? 1 : 2);
  for (const step of goSteps) {
    const mounts = mountsOf(step);
    expect(mounts).toContain('type=cache,target=/go/pkg/mod');
    if (!expected.vendored) for (const mount of fetchMounts) expect(mounts).toContain(mount);
    expect(mounts.filter((mount) => /type=(secret|ssh)/.test(mount)).length).toBe(expected.vendored ? 0 : fetchMounts.length);
  }
  const buildStep = goSteps[goSteps.length - 1]!;
  expect(mountsOf(buildStep)).toEqual(expect.arrayContaining(['type=cache,target=/root/.cache/go-build', 'type=bind,target=.']));
  expect(buildStep.getArgumentsContent()).toMatch(/-trimpath/);

  const args = Object.fromEntries(
    builder.filter((instruction) => instruction.getKeyword() === 'ARG').map((instruction) => {
      const [name, ...value] = (instruction.getArgumentsContent() ?? '').split('=');
      return [name!, value.join('=')];
    }),
  );
  if (!expected.vendored) {
    expect(Object.keys(args)).toEqual(expect.arrayContaining(['GOPROXY', 'GOSUMDB', 'GOPRIVATE', 'GONOSUMDB']));
    expect(args.GONOSUMDB).toBe('${GOPRIVATE}');
  }
  // No credential can hide in an ARG or ENV: names and values.
  for (const instruction of instructions.filter((item) => ['ARG', 'ENV'].includes(item.getKeyword()))) {
    expect(instruction.getArgumentsContent()).not.toMatch(/token|password|secret|passwd|_KEY\b|@[\w.-]+\.[a-z]{2,}/i);
  }

  // Each runtime stage: numeric non-root last USER, exec-form ENTRYPOINT, EXPOSE when known.
  froms.slice(1).forEach((from, index) => {
    const start = from.getRange().start.line;
    const end = froms[index + 2]?.getRange().start.line ?? Number.MAX_SAFE_INTEGER;
    const stage = instructions.filter((instruction) => instruction.getRange().start.line >= start && instruction.getRange().start.line < end);
    const users = stage.filter((instruction) => instruction.getKeyword() === 'USER');
    expect(users.at(-1)?.getArgumentsContent()).toBe('65532:65532');
    const entrypoint = stage.find((instruction) => instruction.getKeyword() === 'ENTRYPOINT')!;
    expect(entrypoint.getArgumentsContent()).toMatch(/^\["\/usr\/local\/bin\/[\w.-]+"\]$/);
    const expose = stage.find((instruction) => instruction.getKeyword() === 'EXPOSE');
    const port = expected.ports?.[from.getBuildStage()!];
    expect(expose?.getArgumentsContent()).toBe(port === undefined ? undefined : String(port));
  });
}

describe('region x auth x base matrix', () => {
  for (const region of REGIONS) {
    for (const auth of AUTH_MODES) {
      for (const base of BASES) {
        it(`${region} / ${auth} / ${base}`, async () => {
          const flags = ['--region', region, '--auth', auth, '--base', base];
          if (region === 'custom') flags.push('--goproxy', 'https://athens.corp.example|https://proxy.golang.org,direct');
          if (auth !== 'none') flags.push('--private', 'git.corp.example/*');
          const generated = await generate(SIMPLE_SERVICE, flags);
          checkInvariants(generated.dockerfile, { auth, crossCompile: true, stages: ['svc'], ports: { svc: 8080 } });
          expect(generated.dockerfile).toMatchSnapshot();
        });
      }
    }
  }
});

describe('project shapes', () => {
  it('vendor/: no download step, module proxy off', async () => {
    const generated = await generate(
      { ...SIMPLE_SERVICE, 'vendor/modules.txt': '# github.com/google/uuid v1.6.0\n## explicit\ngithub.com/google/uuid\n' },
      ['--private', 'git.corp.example/*', '--auth', 'token'],
    );
    checkInvariants(generated.dockerfile, { auth: 'token', crossCompile: true, vendored: true, stages: ['svc'], ports: { svc: 8080 } });
    expect(generated.dockerfile).toContain('ENV GOFLAGS=-mod=vendor\nARG GOPROXY=off');
    expect(generated.dockerfile).not.toContain('go mod download');
    expect(generated.dockerfile).toMatchSnapshot();
  });

  const sqlite = {
    'go.mod': 'module example.com/notes\n\ngo 1.26\n\nrequire github.com/mattn/go-sqlite3 v1.14.22\n',
    'go.sum': '',
    'main.go': 'package main\n\nimport (\n\t"database/sql"\n\n\t_ "github.com/mattn/go-sqlite3"\n)\n\nfunc main() { sql.Open("sqlite3", ":memory:") }\n',
  };
  it.each([
    ['distroless', 'gcr.io/distroless/base-debian12:nonroot', 'golang:1.26-bookworm'],
    ['debian', 'debian:bookworm-slim', 'golang:1.26-bookworm'],
    ['alpine', 'alpine:3.22', 'golang:1.26-alpine3.22'],
  ])('cgo on %s: libc runtime, native build', async (base, runtimeImage, builderImage) => {
    const generated = await generate(sqlite, ['--base', base, '--region', 'cn']);
    checkInvariants(generated.dockerfile, { auth: 'none', crossCompile: false, stages: ['notes'] });
    expect(generated.dockerfile).toContain(`FROM ${builderImage} AS build`);
    expect(generated.dockerfile).toContain(`FROM ${runtimeImage} AS notes`);
    expect(generated.dockerfile).toContain('CGO_ENABLED=1');
    expect(generated.dockerfile).toMatchSnapshot();
  });

  it('cgo refuses scratch with the reason', async () => {
    const dir = makeProject(sqlite);
    const result = await runCli(['--yes', '--base', 'scratch'], { cwd: dir });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/base scratch \(--base\) cannot run a cgo binary \(requires github\.com\/mattn\/go-sqlite3\)/);
  });

  it('several main packages: one stage each, the chosen default last', async () => {
    const files = {
      'go.mod': 'module example.com/shop\n\ngo 1.25.3\n',
      'cmd/api/main.go': 'package main\n\nvar version string\n\nfunc main() { _ = ":8080" }\n',
      'cmd/build/main.go': 'package main\n\nfunc main() {}\n',
      'cmd/worker/main.go': 'package main\n\nfunc main() { _ = ":9100" }\n',
    };
    const generated = await generate(files, ['--main', './cmd/worker']);
    checkInvariants(generated.dockerfile, { auth: 'none', crossCompile: true, stages: ['api', 'build-image', 'worker'], ports: { api: 8080, worker: 9100 } });
    // Each binary its own -o: go build -o dir/ would let two mains of one name overwrite each other.
    expect(generated.dockerfile).toContain('-o /out/api ./cmd/api \\\n && go build -trimpath -ldflags="-s -w -X main.version=${VERSION}" -o /out/build ./cmd/build \\\n && go build -trimpath -ldflags="-s -w -X main.version=${VERSION}" -o /out/worker ./cmd/worker\n');
    expect(generated.dockerfile).toContain('FROM --platform=$BUILDPLATFORM golang:1.25.3-bookworm AS build');
    expect(generated.stdout).toContain('docker build --target api -t api .');
    expect(generated.dockerfile).toMatchSnapshot();
  });

  it('corporate CA from outside the project: copied in, trusted in builder and runtime', async () => {
    const caDir = makeProject({ 'corp-root.pem': TEST_CA });
    const generated = await generate(SIMPLE_SERVICE, ['--ca-cert', join(caDir, 'corp-root.pem'), '--base', 'scratch']);
    checkInvariants(generated.dockerfile, { auth: 'none', crossCompile: true, stages: ['svc'], ports: { svc: 8080 } });
    expect(readFileSync(join(generated.dir, 'docker/ca-certificates/corp-root.crt'), 'utf8')).toBe(TEST_CA);
    expect(generated.dockerfile).toContain('COPY docker/ca-certificates/corp-root.crt /usr/local/share/ca-certificates/corp-root.crt\nRUN update-ca-certificates');
    expect(generated.dockerfile).toContain('COPY --from=build /etc/ssl/certs/ca-certificates.crt /etc/ssl/certs/ca-certificates.crt');
    expect(generated.config).toContain('ca-cert: ');
    expect(generated.dockerfile).toMatchSnapshot();
  });

  it('corporate CA inside the project that .dockerignore would drop gets an exception', async () => {
    const generated = await generate({ ...SIMPLE_SERVICE, 'certs/root.pem': TEST_CA }, ['--ca-cert', 'certs/root.pem']);
    expect(generated.dockerfile).toContain('COPY certs/root.pem /usr/local/share/ca-certificates/root.crt');
    expect(generated.dockerignore).toMatch(/\n!certs\/root\.pem\n$/);
  });

  it('registry prefix rewrites every FROM', async () => {
    const generated = await generate(SIMPLE_SERVICE, ['--registry', 'harbor.corp.example/proxy', '--region', 'cn']);
    const images = parseDockerfile(generated.dockerfile).getFROMs().map((from) => from.getImage());
    expect(images).toEqual(['harbor.corp.example/proxy/library/golang:1.26-bookworm', 'harbor.corp.example/proxy/gcr.io/distroless/static-debian12:nonroot']);
    expect(generated.stdout).not.toContain('Warnings:');
    expect(generated.dockerfile).toMatchSnapshot();
  });

  it('region cn without a registry warns about Docker Hub and gcr.io', async () => {
    const generated = await generate(SIMPLE_SERVICE, ['--region', 'cn']);
    expect(generated.stdout).toContain('golang:1.26-bookworm comes from Docker Hub, often unreachable from mainland China');
    expect(generated.stdout).toContain('gcr.io/distroless/static-debian12:nonroot comes from gcr.io, blocked in mainland China');
  });

  it('embedded files and local replaces stay in the build context', async () => {
    const generated = await generate(
      {
        'go.mod': 'module example.com/site\n\ngo 1.26\n\nrequire example.com/lib v0.0.0\n\nreplace example.com/lib => ./lib\n',
        'main.go': 'package main\n\nimport "embed"\n\n//go:embed dist/* keys/public.pem\nvar site embed.FS\n\nfunc main() {}\n',
        'lib/go.mod': 'module example.com/lib\n',
      },
      [],
    );
    expect(generated.dockerignore).toMatch(/# Needed by the build although a rule above matches them\n!dist\/\*\n!keys\/public\.pem\n$/);
    expect(generated.dockerfile).toContain('--mount=type=bind,source=lib/go.mod,target=lib/go.mod');
    expect(generated.dockerfile).not.toContain('source=go.sum');
  });
});

describe('daemon.json, .dockerignore and .go-docker.yaml', () => {
  it('daemon.json holds only keys dockerd accepts, formatted by prettier', async () => {
    const generated = await generate(SIMPLE_SERVICE, ['--region', 'cn', '--proxy', 'http://proxy.corp.example:3128', '--private', 'git.corp.example/*']);
    const settings = JSON.parse(generated.daemonJson!) as Record<string, unknown>;
    const accepted = ['registry-mirrors', 'insecure-registries', 'dns', 'dns-search', 'proxies', 'features', 'log-driver', 'log-opts', 'max-concurrent-downloads', 'builder'];
    for (const key of Object.keys(settings)) expect(accepted).toContain(key);
    expect(settings).toMatchObject({
      'registry-mirrors': ['https://docker.m.daocloud.io'],
      dns: ['223.5.5.5', '119.29.29.29'],
      proxies: { 'http-proxy': 'http://proxy.corp.example:3128', 'no-proxy': 'localhost,127.0.0.1,::1,git.corp.example' },
      features: { buildkit: true },
    });
    const prettier = await import('prettier');
    expect(await prettier.format(generated.daemonJson!, { parser: 'json' })).toBe(generated.daemonJson);
    expect(generated.stdout).toContain('--build-arg HTTPS_PROXY=http://proxy.corp.example:3128');
    expect(generated.daemonJson).toMatchSnapshot();
  });

  it('--no-daemon-json writes none; --dns sets it for any region', async () => {
    const none = await generate(SIMPLE_SERVICE, ['--no-daemon-json']);
    expect(none.daemonJson).toBeUndefined();
    const dns = await generate(SIMPLE_SERVICE, ['--dns', '10.1.1.1,10.1.1.2']);
    expect(JSON.parse(dns.daemonJson!).dns).toEqual(['10.1.1.1', '10.1.1.2']);
  });

  it('.dockerignore keeps secrets and .git out, Go inputs in', async () => {
    const generated = await generate(SIMPLE_SERVICE, []);
    for (const rule of ['.git', '**/.env', '**/*.pem', '**/.netrc', '**/id_rsa*']) expect(generated.dockerignore.split('\n')).toContain(rule);
    for (const line of generated.dockerignore.split('\n').filter((item) => item && !item.startsWith('#'))) {
      expect(line).not.toMatch(/^(go\.(mod|sum)|vendor|\*\*?\/?\*\.go|\*)$/);
    }
    expect(generated.dockerignore).toMatchSnapshot();
  });

  it('.go-docker.yaml records answers, never secrets, and a rerun reproduces every byte', async () => {
    const generated = await generate(SIMPLE_SERVICE, ['--region', 'custom', '--goproxy', 'https://athens.corp.example,direct', '--private', 'git.corp.example/*', '--auth', 'token', '--base', 'alpine']);
    expect(generated.config).toMatchSnapshot();
    const before = ['Dockerfile', '.dockerignore', 'docker/daemon.json', '.go-docker.yaml'].map((path) => readFileSync(join(generated.dir, path), 'utf8'));
    const rerun = await runCli(['--yes'], { cwd: generated.dir });
    expect(rerun.code).toBe(0);
    expect(rerun.stdout).toMatch(/unchanged\s+Dockerfile/);
    const after = ['Dockerfile', '.dockerignore', 'docker/daemon.json', '.go-docker.yaml'].map((path) => readFileSync(join(generated.dir, path), 'utf8'));
    expect(after).toEqual(before);
  });

  it('a changed answer in .go-docker.yaml is picked up by a rerun', async () => {
    const generated = await generate(SIMPLE_SERVICE, ['--base', 'alpine']);
    const configPath = join(generated.dir, '.go-docker.yaml');
    writeFileSync(configPath, readFileSync(configPath, 'utf8').replace('base: alpine', 'base: debian'));
    const rerun = await runCli(['--yes'], { cwd: generated.dir });
    expect(rerun.code).toBe(0);
    expect(readFileSync(join(generated.dir, 'Dockerfile'), 'utf8')).toContain('FROM debian:bookworm-slim AS svc');
  });
});
