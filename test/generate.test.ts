// Generated files over the option matrix: pinned by snapshots (snapshots/) and checked for
// the invariants every Dockerfile we emit must keep, read with a real Dockerfile parser.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Instruction } from 'dockerfile-ast';
import { describe, expect, it } from 'vitest';
import { AUTH_MODES, BASES, REGIONS } from '../src/options/model.js';
import { makeProject, parseDockerfile, PRIVATE_SERVICE, runCli, SIMPLE_SERVICE, snapshotTree, sshHome } from './helpers.js';
import { TEST_CA } from './helpers.js';
import { dockerignoreRules, isIgnored } from '../src/values/dockerignore.js';

interface Generated {
  dir: string;
  dockerfile: string;
  dockerignore: string;
  daemonJson?: string;
  answers: string;
  stdout: string;
}

async function generate(files: Record<string, string>, flags: string[]): Promise<Generated> {
  const dir = makeProject(files);
  // HOME: a ~/.ssh/known_hosts with the private host's key, which --auth ssh records.
  const result = await runCli(['--yes', ...flags], { cwd: dir, env: { HOME: sshHome() } });
  expect(result.stderr).toBe('');
  expect(result.code).toBe(0);
  const read = (path: string): string => readFileSync(join(dir, path), 'utf8');
  let daemonJson: string | undefined;
  try {
    daemonJson = read('docker/daemon.json');
  } catch {
    daemonJson = undefined;
  }
  return {
    dir,
    dockerfile: read('Dockerfile'),
    dockerignore: read('.dockerignore'),
    daemonJson,
    answers: read('.go-docker.yaml'),
    stdout: result.stdout,
  };
}

interface Expectations {
  auth: 'none' | 'ssh' | 'token';
  crossCompile: boolean;
  vendored?: boolean;
  stages: string[];
  ports?: Record<string, number>;
  /** Binaries the default image's stage compiles (several with --bundle). */
  bundled?: number;
  /** false: no download step and no deps stage (go.mod requires nothing from outside the context, no vendor/). */
  deps?: boolean;
}

function mountsOf(instruction: Instruction): string[] {
  const run = instruction as Instruction & { getFlags(): { getName(): string; getValue(): string | null }[] };
  return run
    .getFlags()
    .filter((flag) => flag.getName() === 'mount')
    .map((flag) => flag.getValue() ?? '');
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
  // deps-list (the third-party packages the mains import), the deps stage (FROM build AS deps),
  // compile stages (FROM build AS build-<image>), then one runtime stage per image.
  const depsList = froms.find((from) => from.getBuildStage() === 'deps-list');
  const deps = froms.find((from) => from.getBuildStage() === 'deps');
  expect(deps?.getImageName()).toBe(expected.deps === false ? undefined : 'build');
  expect(depsList?.getImageName()).toBe(deps?.getImageName());
  const compiles = froms.filter((from) => from.getImageName() === 'build' && from !== deps && from !== depsList);
  const runtimes = froms.slice(1 + compiles.length + (deps ? 2 : 0));
  expect(compiles.map((from) => from.getBuildStage())).toEqual(expected.stages.map((stage) => `build-${stage}`));
  expect(runtimes.map((from) => from.getBuildStage())).toEqual(expected.stages);
  for (const from of runtimes) {
    if (from.getImageName() !== 'scratch') expect(from.getImageTag(), `${from.getImageName()} has a pinned tag`).toMatch(/^[\w.-]+$/);
    expect(from.getImageTag()).not.toBe('latest');
  }

  const instructions = dockerfile.getInstructions();
  const lineOf = (instruction: Instruction) => instruction.getRange().start.line;
  const builder = instructions.filter((instruction) => lineOf(instruction) < runtimes[0]!.getRange().start.line);
  expect(
    builder.some((instruction) => instruction.getKeyword() === 'ENV' && instruction.getArgumentsContent() === 'GOTOOLCHAIN=local'),
  ).toBe(true);
  expect(builder.some((instruction) => instruction.getKeyword() === 'COPY' && /^\.\s/.test(instruction.getArgumentsContent() ?? ''))).toBe(
    false,
  );
  // Over SSH the build trusts the host keys decided at generation time, never a build-time scan.
  const copiesKnownHosts = builder.some(
    (instruction) =>
      instruction.getKeyword() === 'COPY' && instruction.getArgumentsContent() === 'docker/known_hosts /root/.ssh/known_hosts',
  );
  expect(copiesKnownHosts).toBe(expected.auth === 'ssh');
  expect(text).not.toMatch(/ssh-keyscan/);

  // Every step that may fetch modules has the same credentials mounts; the deps step, which
  // only compiles what the modules layer holds, has none and runs with GOPROXY=off.
  const fetchMounts =
    expected.auth === 'token' ? ['type=secret,id=netrc,target=/root/.netrc,required=true'] : expected.auth === 'ssh' ? ['type=ssh'] : [];
  const depsLine = deps?.getRange().start.line ?? -1;
  const firstCompileLine = compiles[0]!.getRange().start.line;
  const inDeps = (instruction: Instruction) =>
    deps !== undefined && lineOf(instruction) > depsLine && lineOf(instruction) < firstCompileLine;
  const goSteps = builder.filter(
    (instruction) =>
      instruction.getKeyword() === 'RUN' &&
      !inDeps(instruction) &&
      /\bgo (mod download|build)\b/.test(instruction.getArgumentsContent() ?? ''),
  );
  const buildSteps = goSteps.filter((step) => /\bgo build\b/.test(step.getArgumentsContent() ?? ''));
  expect(goSteps.length - buildSteps.length).toBe(expected.vendored || expected.deps === false ? 0 : 1);
  // One compile step per image, in its own stage: an image compiles its own binary only.
  expect(buildSteps.length).toBe(compiles.length);
  compiles.forEach((from, index) => {
    const next = froms[froms.indexOf(from) + 1]!;
    const step = buildSteps[index]!;
    expect(lineOf(step) > from.getRange().start.line && lineOf(step) < next.getRange().start.line).toBe(true);
    const binaries = index === compiles.length - 1 ? (expected.bundled ?? 1) : 1;
    expect((step.getArgumentsContent() ?? '').match(/\bgo build\b/g)).toHaveLength(binaries);
  });
  // Modules live in the download step's layer (registry caches carry layers, never cache
  // mounts): no step may mount a cache over /go/pkg/mod and hide them.
  const runs = builder.filter((instruction) => instruction.getKeyword() === 'RUN');
  for (const step of runs) expect(mountsOf(step).filter((mount) => /target=\/go\/pkg\/mod(,|$)/.test(mount))).toEqual([]);
  for (const step of goSteps) {
    const mounts = mountsOf(step);
    if (!expected.vendored) for (const mount of fetchMounts) expect(mounts).toContain(mount);
    expect(mounts.filter((mount) => /type=(secret|ssh)/.test(mount)).length).toBe(expected.vendored ? 0 : fetchMounts.length);
  }
  const goFlags = (step: Instruction) => /go build (-trimpath(?: -tags=\S+)?)/.exec(step.getArgumentsContent() ?? '')?.[1];
  for (const step of buildSteps) {
    expect(mountsOf(step)).toEqual(
      expect.arrayContaining([
        deps ? 'type=cache,target=/root/.cache/go-build,from=deps,source=/gocache' : 'type=cache,target=/root/.cache/go-build',
        'type=bind,target=.',
      ]),
    );
    expect(goFlags(step)).toBeDefined();
  }
  if (deps) {
    const depsSteps = runs.filter(inDeps);
    expect(depsSteps).toHaveLength(1);
    const depsStep = depsSteps[0]!;
    expect(mountsOf(depsStep)).toContain('type=cache,id=gocache-deps-$TARGETOS-$TARGETARCH,target=/root/.cache/go-build');
    expect(mountsOf(depsStep).filter((mount) => /type=(secret|ssh)|target=\.(,|$)/.test(mount))).toEqual([]);
    expect(depsStep.getArgumentsContent()).toMatch(/GOPROXY=off/);
    // The compiler cache reuses a package only for the same flags: deps and compile agree.
    for (const step of buildSteps) expect(goFlags(depsStep)).toBe(goFlags(step));
    expect(/CGO_ENABLED=(\d)/.exec(depsStep.getArgumentsContent() ?? '')?.[1]).toBe(
      /CGO_ENABLED=(\d)/.exec(buildSteps[0]!.getArgumentsContent() ?? '')?.[1],
    );
    // deps-list: one offline `go list -deps` of every compile step's main, with the same tags and
    // cgo setting, on the source alone (no credentials: it fetches nothing); deps mounts its list.
    const listSteps = runs.filter((step) => lineOf(step) > depsList!.getRange().start.line && lineOf(step) < depsLine);
    expect(listSteps).toHaveLength(1);
    const list = listSteps[0]!.getArgumentsContent() ?? '';
    expect(mountsOf(listSteps[0]!)).toEqual(['type=bind,target=.']);
    expect(list).toMatch(/GOPROXY=off/);
    // One `go list` per tag and cgo set, each with the mains compiled with exactly those settings.
    const listed = [...list.matchAll(/CGO_ENABLED=(\d) go list -deps(?: -tags=(\S+))? -f [\s\S]*?\}\}'((?: \S+)+) >> \/tmp\/imports/g)];
    expect(listed.length).toBeGreaterThan(0);
    const compiled = new Map<string, string>();
    for (const step of buildSteps) {
      const text = step.getArgumentsContent() ?? '';
      const settings = `${/CGO_ENABLED=(\d)/.exec(text)?.[1]} ${/go build -trimpath(?: -tags=(\S+))?/.exec(text)?.[1] ?? ''}`;
      for (const match of text.matchAll(/ -o \S+ (\S+)/g)) compiled.set(match[1]!, settings);
    }
    const listedMains = listed.flatMap((match) =>
      match[3]!
        .trim()
        .split(' ')
        .map((main) => [main, `${match[1]} ${match[2] ?? ''}`] as const),
    );
    expect(new Map(listedMains)).toEqual(compiled);
    expect(listedMains).toHaveLength(compiled.size);
    // deps compiles the list with the default image's settings (the last compile step's).
    const lastStep = buildSteps[buildSteps.length - 1]!.getArgumentsContent() ?? '';
    expect(/CGO_ENABLED=(\d)/.exec(depsStep.getArgumentsContent() ?? '')?.[1]).toBe(/CGO_ENABLED=(\d)/.exec(lastStep)?.[1]);
    expect(/go build -trimpath( -tags=\S+)?/.exec(depsStep.getArgumentsContent() ?? '')?.[1]).toBe(
      /go build -trimpath( -tags=\S+)?/.exec(lastStep)?.[1],
    );
    expect(mountsOf(depsStep)).toContain('type=bind,from=deps-list,source=/deps-packages,target=/tmp/deps-packages');
  }

  const args = Object.fromEntries(
    builder
      .filter((instruction) => instruction.getKeyword() === 'ARG')
      .map((instruction) => {
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
  runtimes.forEach((from, index) => {
    const start = from.getRange().start.line;
    const end = runtimes[index + 1]?.getRange().start.line ?? Number.MAX_SAFE_INTEGER;
    const stage = instructions.filter((instruction) => lineOf(instruction) >= start && lineOf(instruction) < end);
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
          // A private requirement: credentials are mounted only where a module needs them.
          const generated = await generate(auth === 'none' ? SIMPLE_SERVICE : PRIVATE_SERVICE, flags);
          checkInvariants(generated.dockerfile, { auth, crossCompile: true, stages: ['svc'], ports: { svc: 8080 } });
          expect(generated.dockerfile).toMatchSnapshot();
        });
      }
    }
  }
});

describe("deps-list: what the deps stage compiles (its RUN command, run by the machine's Go)", () => {
  // vendor/ makes it offline: a module the main imports (third), one of its packages importing a
  // module replaced by a directory (source, so left out with what imports it), the module's own.
  const project = {
    'go.mod':
      'module example.com/app\n\ngo 1.26\n\nrequire (\n\texample.com/lib v0.0.0\n\texample.com/third v1.0.0\n)\n\n' +
      'replace example.com/lib => ./lib\n',
    'main.go':
      'package main\n\nimport (\n\t"example.com/app/internal/x"\n\t"example.com/third"\n\t"example.com/third/clean"\n)\n\n' +
      'func main() { x.X(); third.T(); clean.C() }\n',
    'internal/x/x.go': 'package x\n\nfunc X() {}\n',
    'lib/go.mod': 'module example.com/lib\n\ngo 1.26\n',
    'lib/lib.go': 'package lib\n\nfunc L() {}\n',
    'vendor/example.com/lib/lib.go': 'package lib\n\nfunc L() {}\n',
    'vendor/example.com/third/third.go': 'package third\n\nimport "example.com/lib"\n\nfunc T() { lib.L() }\n',
    'vendor/example.com/third/clean/clean.go': 'package clean\n\nfunc C() {}\n',
    'vendor/modules.txt':
      '# example.com/lib v0.0.0 => ./lib\n## explicit; go 1.26\nexample.com/lib\n# example.com/third v1.0.0\n## explicit; go 1.26\n' +
      'example.com/third\nexample.com/third/clean\n# example.com/lib => ./lib\n',
  };

  /** The deps-list step's shell command, its absolute paths moved into out. */
  function listCommand(dockerfile: string, out: string): string {
    const froms = parseDockerfile(dockerfile).getFROMs();
    const stage = froms.find((from) => from.getBuildStage() === 'deps-list')!;
    const next = froms[froms.indexOf(stage) + 1]!;
    const run = parseDockerfile(dockerfile)
      .getInstructions()
      .find((item) => item.getKeyword() === 'RUN' && item.getRange().start.line > stage.getRange().start.line)!;
    expect(run.getRange().start.line).toBeLessThan(next.getRange().start.line);
    const lines = dockerfile.split('\n').slice(run.getRange().start.line, run.getRange().end.line + 1);
    return lines
      .join('\n')
      .replace(/\\\n/g, '')
      .replace(/^RUN (--mount=\S+ +)+/, '')
      .replace(/GOOS=\$TARGETOS GOARCH=\$TARGETARCH /, '')
      .replaceAll(' /tmp/', ` ${out}/`)
      .replace(' /deps-packages', ` ${out}/deps-packages`);
  }

  it('lists the third-party packages the mains import, sorted, without source or what imports source; fails loudly', async () => {
    const generated = await generate(project, []);
    const out = mkdtempSync(join(tmpdir(), 'cgd-deps-list-'));
    const command = listCommand(generated.dockerfile, out);
    const env = { ...process.env, GOFLAGS: '-mod=vendor', GOPROXY: 'off', GOWORK: 'off', GOTOOLCHAIN: 'local' };
    const listed = spawnSync('sh', ['-c', command], { cwd: generated.dir, encoding: 'utf8', env });
    expect(listed.stderr).toBe('');
    expect(listed.status).toBe(0);
    expect(readFileSync(join(out, 'deps-packages'), 'utf8')).toBe('example.com/third/clean\n');
    // A package the main imports that cannot be found: the step fails, with Go's message.
    rmSync(join(generated.dir, 'vendor', 'example.com', 'third', 'clean'), { recursive: true });
    const failed = spawnSync('sh', ['-c', command], { cwd: generated.dir, encoding: 'utf8', env });
    expect(failed.status).not.toBe(0);
    expect(failed.stderr).toMatch(/example\.com\/third\/clean/);
    rmSync(out, { recursive: true, force: true });
  });
});

describe('project shapes', () => {
  it('vendor/: no download step, module proxy off', async () => {
    const generated = await generate(
      { ...SIMPLE_SERVICE, 'vendor/modules.txt': '# github.com/google/uuid v1.6.0\n## explicit\ngithub.com/google/uuid\n' },
      ['--private', 'git.corp.example/*', '--auth', 'token'],
    );
    checkInvariants(generated.dockerfile, { auth: 'token', crossCompile: true, vendored: true, stages: ['svc'], ports: { svc: 8080 } });
    expect(generated.dockerfile).toContain('ENV GOFLAGS=-mod=vendor GOPROXY=off');
    expect(generated.dockerfile).not.toContain('go mod download');
    // Nothing is fetched, so no secret: the printed command asks for none either.
    expect(generated.dockerfile).not.toMatch(/netrc|--secret/);
    expect(generated.stdout).toContain('docker build -t svc .');
    expect(generated.stdout).toMatch(
      /auth token: vendor\/ holds every module and nothing is fetched, so no step mounts the \.netrc secret/,
    );
    expect(generated.answers).toMatch(/^auth: token$/m);
    expect(generated.dockerfile).toMatchSnapshot();
  });

  const sqlite = {
    'go.mod': 'module example.com/notes\n\ngo 1.26\n\nrequire github.com/mattn/go-sqlite3 v1.14.22\n',
    'go.sum': '',
    'main.go':
      'package main\n\nimport (\n\t"database/sql"\n\n\t_ "github.com/mattn/go-sqlite3"\n)\n\nfunc main() { ' +
      'sql.Open("sqlite3", ":memory:") }\n',
  };
  it.each([
    ['distroless', 'gcr.io/distroless/base-debian12:nonroot', 'golang:1.26-bookworm'],
    ['debian', 'debian:bookworm-slim', 'golang:1.26-bookworm'],
    ['alpine', 'alpine:3.23', 'golang:1.26-alpine3.23'],
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
    expect(result.stderr).toMatch(/base scratch \(--base\) cannot run a cgo binary \(imports github\.com\/mattn\/go-sqlite3\)/);
  });

  it('several main packages: one stage each, the chosen default last', async () => {
    const files = {
      'go.mod': 'module example.com/shop\n\ngo 1.25.3\n',
      'cmd/api/main.go': 'package main\n\nvar version string\n\nfunc main() { _ = ":8080" }\n',
      'cmd/build/main.go': 'package main\n\nfunc main() {}\n',
      'cmd/worker/main.go': 'package main\n\nfunc main() { _ = ":9100" }\n',
    };
    const generated = await generate(files, ['--main', './cmd/worker']);
    checkInvariants(generated.dockerfile, {
      auth: 'none',
      crossCompile: true,
      stages: ['api', 'build-image', 'worker'],
      ports: { api: 8080, worker: 9100 },
      deps: false,
    });
    // Each image compiles its own binary in its own stage; only api has an empty version variable to stamp.
    expect(generated.dockerfile).toContain('FROM build AS build-api\n');
    expect(generated.dockerfile).toContain(
      ' && go build -trimpath -ldflags="-s -w -buildid= -X main.version=${VERSION}" -o /out/api ./cmd/api\n',
    );
    expect(generated.dockerfile).toContain(' && go build -trimpath -ldflags="-s -w -buildid=" -o /out/worker ./cmd/worker\n');
    expect(generated.dockerfile).toContain('COPY --from=build-worker /out/worker /usr/local/bin/worker\n');
    // go 1.25.3 is a minimum and no longer a supported release: the builder is the oldest supported.
    expect(generated.dockerfile).toContain('FROM --platform=$BUILDPLATFORM golang:1.26-bookworm AS build');
    expect(generated.stdout).toMatch(/the go line says Go 1\.25\.3, which is no longer supported; the builder uses golang:1\.26/);
    expect(generated.stdout).toContain('docker build --target api -t api .');
    expect(generated.dockerfile).toMatchSnapshot();
  });

  it('corporate CA from outside the project: copied in, trusted in builder and runtime', async () => {
    const caDir = makeProject({ 'corp-root.pem': TEST_CA });
    const generated = await generate(SIMPLE_SERVICE, ['--ca-cert', join(caDir, 'corp-root.pem'), '--base', 'scratch']);
    checkInvariants(generated.dockerfile, { auth: 'none', crossCompile: true, stages: ['svc'], ports: { svc: 8080 } });
    expect(readFileSync(join(generated.dir, 'docker/ca-certificates/corp-root.crt'), 'utf8')).toBe(TEST_CA);
    expect(generated.dockerfile).toContain(
      'COPY docker/ca-certificates/corp-root.crt /usr/local/share/ca-certificates/corp-root.crt\nRUN update-ca-certificates',
    );
    expect(generated.dockerfile).toContain('COPY --from=build /etc/ssl/certs/ca-certificates.crt /etc/ssl/certs/ca-certificates.crt');
    expect(generated.answers).toContain('ca-cert: ');
    expect(generated.dockerfile).toMatchSnapshot();
  });

  it('corporate CA inside the project that .dockerignore would drop gets an exception', async () => {
    const generated = await generate({ ...SIMPLE_SERVICE, 'certs/root.pem': TEST_CA }, ['--ca-cert', 'certs/root.pem']);
    expect(generated.dockerfile).toContain('COPY certs/root.pem /usr/local/share/ca-certificates/root.crt');
    expect(generated.dockerignore).toMatch(/\n!certs\/root\.pem\n$/);
  });

  it('registry prefix rewrites every FROM', async () => {
    const generated = await generate(SIMPLE_SERVICE, ['--registry', 'harbor.corp.example/proxy', '--region', 'cn', '--base', 'distroless']);
    // Every image pulled from a registry goes through the prefix; "build" is our own stage.
    const images = parseDockerfile(generated.dockerfile)
      .getFROMs()
      .map((from) => from.getImage());
    expect(images).toEqual([
      'harbor.corp.example/proxy/library/golang:1.26-bookworm',
      'build',
      'build',
      'build',
      'harbor.corp.example/proxy/gcr.io/distroless/static-debian12:nonroot',
    ]);
    expect(generated.stdout).not.toContain('Warnings:');
    expect(generated.dockerfile).toMatchSnapshot();
  });

  it('region cn defaults to a scratch runtime: only Docker Hub names, which daemon.json mirrors', async () => {
    const generated = await generate(SIMPLE_SERVICE, ['--region', 'cn']);
    const images = parseDockerfile(generated.dockerfile)
      .getFROMs()
      .map((from) => from.getImage());
    expect(images).toEqual(['golang:1.26-bookworm', 'build', 'build', 'build', 'scratch']);
    expect(generated.stdout).not.toContain('gcr.io');
    expect(generated.stdout).toContain('golang:1.26-bookworm comes from Docker Hub, often unreachable from mainland China');
    expect(generated.answers).toContain('region: cn');
    expect(generated.answers).not.toMatch(/^base:/m); // follows the region if the region changes
  });

  it('region cn with distroless chosen explicitly warns that gcr.io is blocked', async () => {
    const generated = await generate(SIMPLE_SERVICE, ['--region', 'cn', '--base', 'distroless']);
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
    // Nothing from outside the context: no download step (the compile step mounts lib/ with the rest).
    expect(generated.dockerfile).not.toMatch(/go mod download|source=go\.sum|source=lib/);
  });
});

describe('what the build fetches, and with what', () => {
  const HELLO = {
    'go.mod': 'module example.com/hello\n\ngo 1.26\n',
    'main.go': 'package main\n\nimport "net/http"\n\nfunc main() { http.ListenAndServe(":8080", nil) }\n',
  };
  it(
    'no dependency (no go.sum, an empty one, one that still lists a removed dependency): no download step, no deps ' +
      'stage, nothing mounted that may be missing',
    async () => {
      const variants = [HELLO, { ...HELLO, 'go.sum': '' }, { ...HELLO, 'go.sum': SIMPLE_SERVICE['go.sum']! }];
      const dockerfiles: string[] = [];
      for (const files of variants) {
        const generated = await generate(files, []);
        checkInvariants(generated.dockerfile, { auth: 'none', crossCompile: true, stages: ['hello'], ports: { hello: 8080 }, deps: false });
        expect(generated.dockerfile).not.toMatch(/go mod download|go\.sum|\/go\/pkg\/mod|gomod-download/);
        // The compile step is the only RUN of the build stages: it mounts the context whole.
        expect(generated.dockerfile.match(/^RUN /gm)).toHaveLength(1);
        dockerfiles.push(generated.dockerfile);
      }
      // go.sum's lines decide nothing here: one Dockerfile.
      expect(new Set(dockerfiles).size).toBe(1);
      expect(dockerfiles[0]).toMatchSnapshot();
    },
  );

  it('--auth token or ssh with no private requirement: no secret or agent mounted, none asked for, a note says why', async () => {
    for (const auth of ['token', 'ssh'] as const) {
      const generated = await generate(SIMPLE_SERVICE, [
        '--private',
        'git.corp.example/*',
        '--auth',
        auth,
        '--base',
        'alpine',
        '--cgo',
        'on',
        '--compose',
        '--ci',
        'github',
      ]);
      checkInvariants(generated.dockerfile, { auth: 'none', crossCompile: false, stages: ['svc'], ports: { svc: 8080 } });
      expect(generated.dockerfile).not.toMatch(/netrc|type=ssh|ssh-keyscan|openssh-client/);
      expect(generated.stdout).toContain('docker build -t svc .');
      expect(generated.stdout).toContain(
        `auth ${auth}: no module go.mod requires matches GOPRIVATE (git.corp.example/*), so no step mounts`,
      );
      const compose = readFileSync(join(generated.dir, 'compose.yaml'), 'utf8');
      const workflow = readFileSync(join(generated.dir, '.github/workflows/docker.yml'), 'utf8');
      expect(`${compose}${workflow}`).not.toMatch(/netrc|GO_MODULES_SSH_KEY|ssh: default/);
      // The answer stays: a private requirement added later brings the credentials back.
      expect(generated.answers).toContain(`auth: ${auth}`);
    }
  });

  it('a private module reached through a replace directive, or a go line before 1.17, keeps the credentials', async () => {
    const replaced = await generate(
      {
        ...SIMPLE_SERVICE,
        'go.mod':
          'module example.com/svc\n\ngo 1.26\n\nrequire github.com/google/uuid v1.6.0\n\nreplace github.com/google/uuid ' +
          '=> git.corp.example/forks/uuid v1.6.1\n',
      },
      ['--private', 'git.corp.example/*', '--auth', 'token'],
    );
    checkInvariants(replaced.dockerfile, { auth: 'token', crossCompile: true, stages: ['svc'], ports: { svc: 8080 } });
    expect(replaced.stdout).toContain('docker build --secret id=netrc,src=$HOME/.netrc -t svc .');
    // Before go 1.17, go.mod need not name every module the build loads: keep them, and download what go.sum vouches for.
    const old = await generate(
      { ...SIMPLE_SERVICE, 'go.mod': 'module example.com/svc\n\ngo 1.16\n\nrequire github.com/google/uuid v1.6.0\n' },
      ['--private', 'git.corp.example/*', '--auth', 'ssh'],
    );
    checkInvariants(old.dockerfile, { auth: 'ssh', crossCompile: true, stages: ['svc'], ports: { svc: 8080 } });
    expect(old.dockerfile).toContain(
      'awk \'NF >= 3 && $2 !~ /\\/go\\.mod$/ && !seen[$1 " " $2]++ { print $1 "@" $2 }\' go.sum > /tmp/modules',
    );
  });
});

describe('--out and the repository', () => {
  it(
    '--out into another git repository is refused before anything is written (regenerate could never find the project ' + 'from a clone)',
    async () => {
      const project = makeProject({ ...SIMPLE_SERVICE, '.git/HEAD': 'ref: refs/heads/main\n' });
      const other = makeProject({ '.git/HEAD': 'ref: refs/heads/main\n' });
      const before = snapshotTree(other);
      const result = await runCli(['--yes', '--out', join(other, 'deploy')], { cwd: project });
      expect(result.code).toBe(2);
      expect(result.stderr).toMatch(
        /--out .*\/deploy: is in the git repository .*, which does not hold the project .*; write the files inside the project's repository/,
      );
      expect(snapshotTree(other)).toEqual(before);
    },
  );

  it('--out inside the repository, or outside any repository, regenerates from what it wrote', async () => {
    const project = makeProject({ ...SIMPLE_SERVICE, '.git/HEAD': 'ref: refs/heads/main\n' });
    const elsewhere = join(makeProject({}), 'deploy');
    for (const out of [join(project, 'build/docker'), elsewhere]) {
      expect((await runCli(['--yes', '--out', out], { cwd: project })).code).toBe(0);
      const check = await runCli(['regenerate', '--check'], { cwd: out });
      expect(check.code, check.stderr).toBe(0);
    }
  });
});

describe('daemon.json, .dockerignore and .go-docker.yaml', () => {
  it('daemon.json holds only keys dockerd accepts, formatted by prettier', async () => {
    const generated = await generate(SIMPLE_SERVICE, [
      '--region',
      'cn',
      '--proxy',
      'http://proxy.corp.example:3128',
      '--private',
      'git.corp.example/*',
    ]);
    const settings = JSON.parse(generated.daemonJson!) as Record<string, unknown>;
    const accepted = [
      'registry-mirrors',
      'insecure-registries',
      'dns',
      'dns-search',
      'features',
      'log-driver',
      'log-opts',
      'max-concurrent-downloads',
      'builder',
    ];
    for (const key of Object.keys(settings)) expect(accepted).toContain(key);
    expect(settings).toMatchObject({
      'registry-mirrors': ['https://docker.m.daocloud.io'],
      features: { buildkit: true },
    });
    // git.corp.example may resolve only through the company's DNS: public servers would override it.
    expect(settings).not.toHaveProperty('dns');
    expect(generated.stdout).toContain('docker/daemon.json leaves DNS alone: git.corp.example may resolve only through');
    // "proxies" needs Engine 23+: dockerd 20.10 refuses to start with it (docker/http-proxy.conf instead).
    expect(settings).not.toHaveProperty('proxies');
    const prettier = await import('prettier');
    expect(await prettier.format(generated.daemonJson!, { parser: 'json' })).toBe(generated.daemonJson);
    expect(generated.stdout).toContain('--build-arg HTTPS_PROXY=http://proxy.corp.example:3128');
    expect(generated.daemonJson).toMatchSnapshot();
  });

  it('--no-daemon-json writes none; --dns sets it for any region', async () => {
    const none = await generate(SIMPLE_SERVICE, ['--no-daemon-json']);
    expect(none.daemonJson).toBeUndefined();
    const dns = await generate(SIMPLE_SERVICE, ['--dns', '10.1.1.1,10.1.1.2']);
    expect((JSON.parse(dns.daemonJson!) as { dns: string[] }).dns).toEqual(['10.1.1.1', '10.1.1.2']);
  });

  it('.dockerignore leaves out every file we write but the CA certificate the build copies, and their .orig backups', async () => {
    const caDir = makeProject({ 'corp-root.pem': TEST_CA });
    const flags = [
      '--yes',
      '--json',
      '--ci',
      'github',
      '--ci-rollout',
      'acme/platform:policies/go-docker.yaml',
      '--compose',
      '--region',
      'cn',
      '--ca-cert',
      join(caDir, 'corp-root.pem'),
    ];
    for (const out of [undefined, 'build/docker']) {
      const dir = makeProject({ ...SIMPLE_SERVICE, 'web/go-docker.yaml.orig': 'x' });
      const result = await runCli([...flags, ...(out ? ['--out', out] : [])], { cwd: dir });
      expect(result.code, result.stderr).toBe(0);
      // Paths from the output directory; the rules match paths from the build context.
      const written = (JSON.parse(result.stdout) as { files: { path: string }[] }).files.map((file) => file.path);
      const ignoreFile = out ? 'Dockerfile.dockerignore' : '.dockerignore';
      expect(written).toEqual(
        expect.arrayContaining([
          'Dockerfile',
          ignoreFile,
          'compose.yaml',
          '.github/workflows/docker.yml',
          '.github/workflows/docker-policy-rollout.yml',
          'docker/buildkitd.toml',
          'docker/daemon.json',
          'docker/ca-certificates/corp-root.crt',
          '.go-docker.yaml',
        ]),
      );
      const prefix = out ? `${out}/` : '';
      const rules = dockerignoreRules(readFileSync(join(dir, prefix, ignoreFile), 'utf8'));
      for (const path of written) {
        // The CA certificate is COPY'd by the Dockerfile.
        expect(isIgnored(rules, `${prefix}${path}`), path).toBe(path !== 'docker/ca-certificates/corp-root.crt');
        for (const backup of [`${path}.orig`, `${path}.orig.2`]) expect(isIgnored(rules, `${prefix}${backup}`), backup).toBe(true);
      }
      // Only ours: the Go inputs stay in, and so does a file of the project that looks like a backup.
      for (const path of ['go.mod', 'go.sum', 'main.go', 'web/go-docker.yaml.orig']) expect(isIgnored(rules, path), path).toBe(false);
    }
  });

  it('.dockerignore keeps secrets and .git out, Go inputs in', async () => {
    const generated = await generate(SIMPLE_SERVICE, []);
    for (const rule of ['.git', '**/.env', '**/*.pem', '**/.netrc', '**/id_rsa*'])
      expect(generated.dockerignore.split('\n')).toContain(rule);
    for (const line of generated.dockerignore.split('\n').filter((item) => item && !item.startsWith('#'))) {
      expect(line).not.toMatch(/^(go\.(mod|sum)|vendor|\*\*?\/?\*\.go|\*)$/);
    }
    expect(generated.dockerignore).toMatchSnapshot();
  });

  it('.go-docker.yaml records answers, never secrets, and a rerun reproduces every byte', async () => {
    const generated = await generate(SIMPLE_SERVICE, [
      '--region',
      'custom',
      '--goproxy',
      'https://athens.corp.example,direct',
      '--private',
      'git.corp.example/*',
      '--auth',
      'token',
      '--base',
      'alpine',
    ]);
    expect(generated.answers).toMatchSnapshot();
    const before = ['Dockerfile', '.dockerignore', 'docker/daemon.json', '.go-docker.yaml'].map((path) =>
      readFileSync(join(generated.dir, path), 'utf8'),
    );
    const rerun = await runCli(['--yes'], { cwd: generated.dir });
    expect(rerun.code).toBe(0);
    expect(rerun.stdout).toMatch(/unchanged\s+Dockerfile/);
    const after = ['Dockerfile', '.dockerignore', 'docker/daemon.json', '.go-docker.yaml'].map((path) =>
      readFileSync(join(generated.dir, path), 'utf8'),
    );
    expect(after).toEqual(before);
  });

  it('a changed answer in .go-docker.yaml is picked up by a rerun', async () => {
    const generated = await generate(SIMPLE_SERVICE, ['--base', 'alpine']);
    const answersPath = join(generated.dir, '.go-docker.yaml');
    writeFileSync(answersPath, readFileSync(answersPath, 'utf8').replace('base: alpine', 'base: debian'));
    const rerun = await runCli(['--yes'], { cwd: generated.dir });
    expect(rerun.code).toBe(0);
    expect(readFileSync(join(generated.dir, 'Dockerfile'), 'utf8')).toContain('FROM debian:bookworm-slim AS svc');
  });
});

describe('image arguments, build tags, bundles', () => {
  const TWO_MAINS = {
    'go.mod': 'module example.com/kit\n\ngo 1.26\n',
    'cmd/kitd/main.go': 'package main\n\nimport "net/http"\n\nfunc main() { http.ListenAndServe(":8080", nil) }\n',
    'cmd/kitctl/main.go': 'package main\n\nfunc main() {}\n',
  };

  it('--args sets the default image CMD (JSON-escaped), is recorded, and a policy cannot set it', async () => {
    const generated = await generate(TWO_MAINS, ['--args=serve --name "a b" --quote=\\"x\\"']);
    expect(generated.dockerfile).toContain('CMD ["serve","--name","a b","--quote=\\"x\\""]\n');
    expect(generated.answers).toMatch(/args:\n {2}- serve\n {2}- --name\n {2}- a b\n/);
    const dir = makeProject({ ...TWO_MAINS, 'policy.yaml': 'schemaVersion: 2\nargs: [x]\n' });
    const refused = await runCli(['--yes', '--policy', 'policy.yaml'], { cwd: dir });
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/policy\.yaml:2: args are each project's own .*a policy cannot set them/);
  });

  it('--tags reach every go build and decide which files count', async () => {
    const generated = await generate({ ...TWO_MAINS, 'cmd/kitd/extra.go': '//go:build pro\n\npackage main\n\nimport _ "C"\n' }, [
      '--tags',
      'netgo,osusergo',
    ]);
    expect(generated.dockerfile).toContain('go build -trimpath -tags=netgo,osusergo -ldflags=');
    expect(generated.dockerfile).toContain('CGO_ENABLED=0');
    // With the tag that turns the cgo file on, cgo follows.
    const pro = await generate({ ...TWO_MAINS, 'cmd/kitd/extra.go': '//go:build pro\n\npackage main\n\nimport "C"\n' }, [
      '--tags',
      'pro',
      '--base',
      'debian',
    ]);
    expect(pro.dockerfile).toContain('CGO_ENABLED=1');
    expect(pro.dockerfile).toContain('cmd/kitd/extra.go imports "C"');
  });

  it('one image per main, each compiling only its binary; --bundle puts both in the default image', async () => {
    const separate = await generate(TWO_MAINS, []);
    expect(separate.stdout).toMatch(/docker build -t kitd \.\n {2}docker build --target kitctl -t kitctl \./);
    const bundled = await generate(TWO_MAINS, ['--bundle']);
    checkInvariants(bundled.dockerfile, {
      auth: 'none',
      crossCompile: true,
      stages: ['kitd'],
      ports: { kitd: 8080 },
      bundled: 2,
      deps: false,
    });
    expect(bundled.dockerfile).toContain(
      ' && go build -trimpath -ldflags="-s -w -buildid=" -o /out/kitd ./cmd/kitd \\\n' +
        ' && go build -trimpath -ldflags="-s -w -buildid=" -o /out/kitctl ./cmd/kitctl\n',
    );
    expect(bundled.dockerfile).toContain(
      'COPY --from=build-kitd /out/kitd /usr/local/bin/kitd\nCOPY --from=build-kitd /out/kitctl /usr/local/bin/kitctl\n',
    );
    expect(bundled.stdout).toContain('bundle: the kitd image holds kitd, kitctl in /usr/local/bin.');
  });

  it('two mains go build would name alike: the default image keeps the name, the other gives way', async () => {
    const generated = await generate(
      {
        'go.mod': 'module sigs.example/kind\n\ngo 1.26\n',
        'main.go': 'package main\n\nfunc main() {}\n',
        'cmd/kind/main.go': 'package main\n\nimport "net/http"\n\nfunc main() { http.ListenAndServe(":1", nil) }\n',
      },
      [],
    );
    expect(generated.stdout).toMatch(/docker build -t kind \.\n {2}docker build --target kind-2 -t kind-2 \./);
    expect(generated.stdout).toContain('.: binary named kind-2, since another main package is also named kind.');
  });

  it('a workspace: context at the root, go.work mounted for the download, the server module built', async () => {
    const generated = await generate(
      {
        'go.work': 'go 1.26\n\nuse (\n\t.\n\t./server\n)\n',
        'go.mod': 'module example.com/ws\n\ngo 1.26\n',
        'examples/demo/main.go': 'package main\n\nfunc main() {}\n',
        'server/go.mod': 'module example.com/ws/server\n\ngo 1.26\n\nrequire github.com/google/uuid v1.6.0\n',
        'server/go.sum': SIMPLE_SERVICE['go.sum']!,
        'server/main.go':
          'package main\n\nimport (\n\t"net/http"\n\n\t"github.com/google/uuid"\n)\n\nfunc main() { _ = uuid.New(); ' +
          'http.ListenAndServe(":9000", nil) }\n',
      },
      [],
    );
    checkInvariants(generated.dockerfile, { auth: 'none', crossCompile: true, stages: ['server'], ports: { server: 9000 } });
    expect(generated.dockerfile).toContain(
      '    --mount=type=bind,source=go.work,target=go.work \\\n    --mount=type=bind,source=go.mod,target=go.mod \\\n   ' +
        ' --mount=type=bind,source=server/go.mod,target=server/go.mod \\\n    ' +
        '--mount=type=bind,source=server/go.sum,target=server/go.sum \\\n',
    );
    // Every member's requirements, vouched by every member's go.sum; go.work last, its replaces win.
    expect(generated.dockerfile).toContain('      server/go.sum go.mod server/go.mod go.work > /tmp/modules \\\n');
    // deps-list lists what the server's main imports (the example has no image); the deps stage
    // compiles that list with go.work and every member's go.mod mounted.
    expect(generated.dockerfile).toMatch(/FROM build AS deps-list\n[^]*\{\{end\}\}' \.\/server >> \/tmp\/imports/);
    expect(generated.dockerfile).toMatch(
      /FROM build AS deps\n[^]*--mount=type=bind,source=go\.work,target=go\.work[^]*\$\(cat \/tmp\/deps-packages\)/,
    );
    expect(generated.dockerfile).toContain('-o /out/server ./server\n');
    expect(generated.stdout).toContain('no image for ./examples/demo (an example); build one with --main.');
    expect(generated.dockerfile).toMatchSnapshot();
  });
});
