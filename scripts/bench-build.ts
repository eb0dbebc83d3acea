// npm run bench:build: real docker builds of two fixtures (few and many dependencies) with our
// generated Dockerfile, the naive one from the field reports, and docker init's Go template,
// on one engine in one run, alternating, BENCH_RUNS (default 3) runs each; prints medians,
// image and context sizes and the ratios, as a markdown table for docs/benchmarks.md.
// BENCH_REPOS=frp,pgweb,oauth2-proxy adds real repositories (REAL_REPOS below, from their
// mirrors): ours against a plain `COPY . . && go build` of the same image.
import { existsSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { copyFixture, execute, generate, parseBuildSteps, shell } from '../test/e2e/harness/docker.js';
import { startHarness, type Harness } from '../test/e2e/harness/index.js';
import { exportMirror, mirrorModules, mirrorOf } from '../test/e2e/harness/mirrors.js';
import { run, startModuleProxy } from '../test/e2e/harness/servers.js';

const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const FIXTURES = (process.env.BENCH_FIXTURES ?? 'service,manydeps').split(',').filter(Boolean);
// The two extra variants answer "why": docker init's Dockerfile plus a build-cache mount, and
// a COPY-based deps/source split with both caches. BENCH_VARIANTS=ours,docker-init-cache,...
const ALL_VARIANTS = ['ours', 'naive', 'docker-init', 'docker-init-cache', 'copy-split'] as const;
type Variant = (typeof ALL_VARIANTS)[number];
const VARIANTS = (process.env.BENCH_VARIANTS ?? 'ours,naive,docker-init').split(',').map((name) => {
  if (!(ALL_VARIANTS as readonly string[]).includes(name))
    throw new Error(`BENCH_VARIANTS: unknown variant ${name}; known: ${ALL_VARIANTS.join(', ')}`);
  return name as Variant;
});

// The field reports' Dockerfile: everything copied first, so any edit re-downloads and
// recompiles from nothing; runs from the golang image. ARG GOPROXY only lets this offline
// machine point it at the local module proxy.
const NAIVE = (goVersion: string, binary: string) => `FROM golang:${goVersion}
WORKDIR /app
ARG GOPROXY
COPY . .
RUN go mod download
RUN go build -o ${binary} .
EXPOSE 8080
CMD ["./${binary}"]
`;

// docker init's Go template (module cache mount, bind-mounted source, no build cache mount,
// alpine runtime). Offline changes: alpine:3.22 instead of :latest, no `apk add` (the
// stand-in has the CA bundle) and the user appended to /etc/passwd instead of adduser
// (busybox-static has none); ARG GOPROXY as above.
const DOCKER_INIT = (goVersion: string, binary: string) => `ARG GO_VERSION=${goVersion}
FROM --platform=$BUILDPLATFORM golang:\${GO_VERSION} AS build
WORKDIR /src
ARG GOPROXY
RUN --mount=type=cache,target=/go/pkg/mod/ \\
    --mount=type=bind,source=go.sum,target=go.sum \\
    --mount=type=bind,source=go.mod,target=go.mod \\
    go mod download -x
ARG TARGETARCH
RUN --mount=type=cache,target=/go/pkg/mod/ \\
    --mount=type=bind,target=. \\
    CGO_ENABLED=0 GOARCH=$TARGETARCH go build -o /bin/${binary} .

FROM alpine:3.22 AS final
ARG UID=10001
RUN echo "appuser:x:\${UID}:\${UID}::/nonexistent:/sbin/nologin" >> /etc/passwd
USER appuser
COPY --from=build /bin/${binary} /bin/
EXPOSE 8080
ENTRYPOINT [ "/bin/${binary}" ]
`;

// docker init's template with one line more: the compiler cache kept between builds.
const DOCKER_INIT_CACHE = (goVersion: string, binary: string): string => {
  const original = DOCKER_INIT(goVersion, binary);
  const withCache = original.replace(
    '    --mount=type=bind,target=. \\\n',
    '    --mount=type=cache,target=/root/.cache/go-build \\\n    --mount=type=bind,target=. \\\n',
  );
  if (withCache === original) throw new Error('docker-init-cache: the build step of the docker init template was not found');
  return withCache;
};

// The common hand-tuned shape: go.mod/go.sum copied and downloaded first, then COPY . . and
// a build with both caches (a layer snapshot of the source on every edit).
const COPY_SPLIT = (goVersion: string, binary: string) => `FROM --platform=$BUILDPLATFORM golang:${goVersion} AS build
WORKDIR /src
ARG GOPROXY
COPY go.mod go.sum ./
RUN --mount=type=cache,target=/go/pkg/mod go mod download
COPY . .
ARG TARGETOS TARGETARCH
RUN --mount=type=cache,target=/go/pkg/mod --mount=type=cache,target=/root/.cache/go-build \\
    CGO_ENABLED=0 GOOS=$TARGETOS GOARCH=$TARGETARCH go build -o /bin/${binary} .

FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /bin/${binary} /bin/
USER 65532:65532
EXPOSE 8080
ENTRYPOINT ["/bin/${binary}"]
`;

const DOCKERFILES: Record<Exclude<Variant, 'ours'>, (goVersion: string, binary: string) => string> = {
  naive: NAIVE,
  'docker-init': DOCKER_INIT,
  'docker-init-cache': DOCKER_INIT_CACHE,
  'copy-split': COPY_SPLIT,
};

const DOCKER_INIT_IGNORE = `**/.DS_Store
**/.classpath
**/.dockerignore
**/.env
**/.git
**/.gitignore
**/.project
**/.settings
**/.toolstarget
**/.vs
**/.vscode
**/*.*proj.user
**/*.dbmdl
**/*.jfm
**/bin
**/charts
**/docker-compose*
**/compose*
**/Dockerfile*
**/node_modules
**/npm-debug.log
**/obj
**/secrets.dev.yaml
**/values.dev.yaml
LICENSE
README.md
`;

interface Sample {
  cold: number;
  goEdit: number;
  goModEdit: number;
  imageBytes: number;
  binaryBytes: number;
  contextBytes: number;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

/** "transferring context: 1.23MB" in BuildKit's plain progress, in bytes (largest seen). */
function contextBytes(output: string): number {
  const units: Record<string, number> = { B: 1, kB: 1e3, MB: 1e6, GB: 1e9 };
  let largest = 0;
  for (const match of output.matchAll(/transferring context: ([\d.]+)(B|kB|MB|GB)/g)) {
    largest = Math.max(largest, Number(match[1]) * units[match[2]!]!);
  }
  return largest;
}

async function prepare(h: Harness, fixture: string, variant: Variant): Promise<{ dir: string; command: string }> {
  const dir = copyFixture(fixture, h.goVersion);
  const tag = `cgd-bench/${fixture}-${variant}`;
  const extra = `--progress=plain --network=host --build-arg GOPROXY=${h.moduleProxy.url} -t ${tag}`;
  if (variant === 'ours') {
    const { result, summary } = await generate(dir, ['--base', 'distroless']);
    if (!summary) throw new Error(`generate failed: ${result.stderr}`);
    return { dir, command: summary.buildCommand.replace(/ -t \S+/, '').replace(/^docker build /, `docker build ${extra} `) };
  }
  writeFileSync(join(dir, 'Dockerfile'), DOCKERFILES[variant](h.goVersion.split('.').slice(0, 2).join('.'), fixture));
  if (variant !== 'naive') writeFileSync(join(dir, '.dockerignore'), DOCKER_INIT_IGNORE);
  return { dir, command: `docker build ${extra} ${dir}` };
}

async function timedBuild(h: Harness, command: string): Promise<{ seconds: number; output: string }> {
  const env = { ...process.env, PATH: `${h.binDir}:${process.env.PATH}`, DOCKER_BUILDKIT: '1' };
  const result = await shell(command, { env });
  const output = `${result.stdout}${result.stderr}`;
  if (result.code !== 0) throw new Error(`build failed: ${command}\n${output.split('\n').slice(-30).join('\n')}`);
  return { seconds: result.seconds, output };
}

/** The binary's size, copied out of the image (no shell needed, works for distroless). */
async function binaryBytes(h: Harness, tag: string, path: string): Promise<number> {
  const created = await execute(h.docker, ['create', tag]);
  const container = created.stdout.trim();
  const target = join(h.home, 'binary');
  await execute(h.docker, ['cp', `${container}:${path}`, target]);
  await execute(h.docker, ['rm', container]);
  const size = statSync(target).size;
  rmSync(target);
  return size;
}

async function sample(h: Harness, fixture: string, variant: Variant): Promise<Sample> {
  const { dir, command } = await prepare(h, fixture, variant);
  const tag = `cgd-bench/${fixture}-${variant}`;
  await execute(h.docker, ['builder', 'prune', '-af']);
  const cold = await timedBuild(h, command);
  const mainGo = join(dir, 'main.go');
  writeFileSync(mainGo, readFileSync(mainGo, 'utf8').replace(/ ok/, ' ok (edited)'));
  const goEdit = await timedBuild(h, command);
  if (variant !== 'naive' && !parseBuildSteps(goEdit.output).some((step) => /go mod download/.test(step.name) && step.cached)) {
    throw new Error(`${variant}: the download step was not cached after a .go edit`);
  }
  writeFileSync(join(dir, 'go.mod'), `${readFileSync(join(dir, 'go.mod'), 'utf8')}\n// edited by the benchmark\n`);
  const goModEdit = await timedBuild(h, command);
  const inspect = await execute(h.docker, ['image', 'inspect', '--format', '{{.Size}}', tag]);
  const binaryPath = variant === 'ours' ? `/usr/local/bin/${fixture}` : variant === 'naive' ? `/app/${fixture}` : `/bin/${fixture}`;
  const result: Sample = {
    cold: cold.seconds,
    goEdit: goEdit.seconds,
    goModEdit: goModEdit.seconds,
    imageBytes: Number(inspect.stdout.trim()),
    binaryBytes: await binaryBytes(h, tag, binaryPath),
    contextBytes: contextBytes(cold.output),
  };
  rmSync(dir, { recursive: true, force: true });
  // The next sample builds the same tag: remove this image, or every run leaves one behind.
  await execute(h.docker, ['rmi', '-f', tag]);
  return result;
}

/**
 * Real repositories with 100+ third-party packages in their image's main (go list -deps),
 * exported from the mirrors the real-repos table uses. `placeholders` stand in for files the
 * repository's own build makes before docker build (frp's web UI), as its users' CI would.
 */
const REAL_REPOS: Record<string, { repo: string; placeholders?: string[] }> = {
  frp: { repo: 'fatedier/frp', placeholders: ['web/frps/dist/index.html', 'web/frpc/dist/index.html'] },
  pgweb: { repo: 'sosedoff/pgweb' },
  'oauth2-proxy': { repo: 'oauth2-proxy/oauth2-proxy' },
};
const REPOS = (process.env.BENCH_REPOS ?? '').split(',').filter(Boolean);

/** The default image's compile step and runtime base, read from our generated Dockerfile. */
interface ImageRecipe {
  builder: string;
  cgo: string;
  goBuild: string;
  binary: string;
  runtime: string;
  user: string;
  /** The runtime stage's package installs (pgweb's postgresql-client for pg_dump): part of the same image. */
  installs: string[];
}

function recipeOf(dockerfile: string): ImageRecipe {
  const stages = dockerfile.split(/^(?=FROM )/m);
  const runtimeStage = stages[stages.length - 1]!;
  const runtime = /^FROM (\S+)/.exec(runtimeStage)?.[1];
  const copied = /^COPY --from=(\S+) \/out\/(\S+) /m.exec(runtimeStage);
  const compile = stages.find((stage) => stage.startsWith(`FROM build AS ${copied?.[1]}\n`));
  const builder = /^FROM (?:--platform=\S+ )?(\S+) AS build$/m.exec(dockerfile)?.[1];
  const cgo = compile && /CGO_ENABLED=(\d)/.exec(compile)?.[1];
  const goBuild = compile && /&& (go build .*)$/m.exec(compile)?.[1];
  const user = /^USER (\S+)/m.exec(runtimeStage)?.[1] ?? 'root';
  if (!runtime || !copied || !builder || !cgo || !goBuild)
    throw new Error(`our Dockerfile's default image was not recognized:\n${dockerfile}`);
  const installs = [...runtimeStage.matchAll(/^RUN (?:[^\n]*\\\n)*[^\n]*$/gm)]
    .map((match) => match[0])
    .filter((run) => /apt-get install|apk add/.test(run));
  return { builder, cgo, goBuild, binary: copied[2]!, runtime, user, installs };
}

// The plain Dockerfile of the same image: the same builder, go build line, CGO_ENABLED, runtime
// base and runtime packages as ours, but the whole checkout copied and compiled in one step.
const PLAIN = (recipe: ImageRecipe) => `FROM ${recipe.builder} AS build
WORKDIR /src
ARG GOPROXY
COPY . .
RUN CGO_ENABLED=${recipe.cgo} ${recipe.goBuild}

FROM ${recipe.runtime}
${recipe.installs.map((run) => `${run}\n`).join('')}COPY --from=build /out/${recipe.binary} /usr/local/bin/${recipe.binary}
USER ${recipe.user}
ENTRYPOINT ["/usr/local/bin/${recipe.binary}"]
`;

/** The repository at its mirror's HEAD, with its placeholders, in a new directory. */
function exportRepo(name: string): string {
  const repo = REAL_REPOS[name];
  if (!repo) throw new Error(`BENCH_REPOS: unknown repository ${name}; known: ${Object.keys(REAL_REPOS).join(', ')}`);
  if (!existsSync(mirrorOf(repo.repo))) throw new Error(`BENCH_REPOS: ${mirrorOf(repo.repo)} is missing: fetch github:${repo.repo} first`);
  return exportMirror(repo.repo, repo.placeholders).dir;
}

/** A .go file of the package that holds main(), for the one-line edit. */
function mainGoFile(dir: string, goBuild: string): string {
  const packageDir = join(dir, goBuild.split(' ').pop()!);
  const file = readdirSync(packageDir)
    .filter((entry) => entry.endsWith('.go') && !entry.endsWith('_test.go'))
    .find((entry) => /^func main\(\)/m.test(readFileSync(join(packageDir, entry), 'utf8')));
  if (!file) throw new Error(`no func main() in ${packageDir}`);
  return join(packageDir, file);
}

type RepoVariant = 'ours' | 'plain';

async function repoSample(h: Harness, goProxy: string, name: string, variant: RepoVariant): Promise<Sample> {
  const dir = exportRepo(name);
  const tag = `cgd-bench/${name}-${variant}`;
  const extra = `--progress=plain --network=host --build-arg GOPROXY=${goProxy} -t ${tag}`;
  // The repository's own Dockerfile and .dockerignore make way for ours, as --force would.
  for (const file of ['Dockerfile', '.dockerignore']) rmSync(join(dir, file), { force: true });
  const { result, summary } = await generate(dir, []);
  if (!summary) throw new Error(`generate failed on ${name}: ${result.stderr}`);
  const recipe = recipeOf(readFileSync(join(dir, 'Dockerfile'), 'utf8'));
  let command = summary.buildCommand.replace(/ -t \S+/, '').replace(/^docker build /, `docker build ${extra} `);
  if (variant === 'plain') {
    writeFileSync(join(dir, 'Dockerfile'), PLAIN(recipe));
    rmSync(join(dir, '.dockerignore'), { force: true });
    command = `docker build ${extra} ${dir}`;
  }
  await execute(h.docker, ['builder', 'prune', '-af']);
  const cold = await timedBuild(h, command);
  // BENCH_LOGS=DIR keeps each cold build's plain progress output, to see where the time goes.
  if (process.env.BENCH_LOGS) writeFileSync(join(process.env.BENCH_LOGS, `${name}-${variant}-cold.log`), cold.output);
  const edited = mainGoFile(dir, recipe.goBuild);
  writeFileSync(edited, `${readFileSync(edited, 'utf8')}\n// edited by the benchmark\n`);
  const goEdit = await timedBuild(h, command);
  const inspect = await execute(h.docker, ['image', 'inspect', '--format', '{{.Size}}', tag]);
  const sampled: Sample = {
    cold: cold.seconds,
    goEdit: goEdit.seconds,
    goModEdit: Number.NaN,
    imageBytes: Number(inspect.stdout.trim()),
    binaryBytes: await binaryBytes(h, tag, `/usr/local/bin/${recipe.binary}`),
    contextBytes: contextBytes(cold.output),
  };
  rmSync(dir, { recursive: true, force: true });
  await execute(h.docker, ['rmi', '-f', tag]);
  return sampled;
}

/** Real repositories: ours and plain alternating, BENCH_RUNS runs each; prints a table per repository. */
async function benchRepos(h: Harness): Promise<void> {
  const dirs = REPOS.map(exportRepo);
  const { modcache, downloadDir } = mirrorModules(dirs);
  const proxy = await startModuleProxy(downloadDir);
  try {
    for (const [index, name] of REPOS.entries()) {
      const dir = dirs[index]!;
      for (const file of ['Dockerfile', '.dockerignore']) rmSync(join(dir, file), { force: true });
      await generate(dir, []);
      const recipe = recipeOf(readFileSync(join(dir, 'Dockerfile'), 'utf8'));
      const listed = run(
        'go',
        [
          'list',
          '-deps',
          '-f',
          '{{if not .Standard}}{{with .Module}}{{if not .Main}}x{{end}}{{end}}{{end}}',
          recipe.goBuild.split(' ').pop()!,
        ],
        {
          cwd: dir,
          env: { ...process.env, GOMODCACHE: modcache, GOPROXY: 'off', GOWORK: 'off' },
        },
      );
      const thirdParty = listed.split('\n').filter(Boolean).length;
      const samples: Record<RepoVariant, Sample[]> = { ours: [], plain: [] };
      for (let runIndex = 0; runIndex < RUNS; runIndex++) {
        const order: RepoVariant[] = runIndex % 2 === 0 ? ['ours', 'plain'] : ['plain', 'ours'];
        for (const variant of order) {
          const sampled = await repoSample(h, proxy.url, name, variant);
          console.error(
            `[bench] ${name} ${variant} run ${runIndex + 1}: cold ${seconds(sampled.cold)}, .go edit ${seconds(sampled.goEdit)}`,
          );
          samples[variant].push(sampled);
        }
      }
      const ours = { cold: median(samples.ours.map((s) => s.cold)), goEdit: median(samples.ours.map((s) => s.goEdit)) };
      const plain = { cold: median(samples.plain.map((s) => s.cold)), goEdit: median(samples.plain.map((s) => s.goEdit)) };
      console.log(`### ${name} (real repository: ${thirdParty} third-party packages in ${recipe.goBuild.split(' ').pop()!})\n`);
      console.log('| | cold build | rebuild, one-line .go edit | image |');
      console.log('|---|---|---|---|');
      for (const variant of ['ours', 'plain'] as const) {
        const m = samples[variant];
        console.log(
          `| ${variant} | ${seconds(median(m.map((s) => s.cold)))} | ${seconds(median(m.map((s) => s.goEdit)))} | ` +
            `${megabytes(median(m.map((s) => s.imageBytes)))} |`,
        );
      }
      console.log(`| ours/plain | ${ratio(ours.cold, plain.cold)} | ${ratio(ours.goEdit, plain.goEdit)} | |`);
      const met = ours.cold <= 1.15 * plain.cold;
      console.log(`\nTargets: cold build <= 1.15x plain: ${met ? 'met' : 'MISSED'}\n`);
    }
  } finally {
    await proxy.close();
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  }
}

const seconds = (value: number) => `${value.toFixed(2)} s`;
const megabytes = (value: number) => `${(value / 1e6).toFixed(1)} MB`;
const ratio = (ours: number, other: number) => `${(ours / other).toFixed(2)}x`;

async function main(): Promise<number> {
  const started = await startHarness((line) => console.error(`[bench] ${line}`), { privateHost: false });
  if ('skip' in started) {
    console.error(`bench:build skipped: ${started.skip}`);
    return 1;
  }
  const h = started.harness;
  try {
    const results = new Map<string, Sample[]>();
    for (const fixture of FIXTURES) {
      for (let run = 0; run < RUNS; run++) {
        // Alternate the order, so no variant always runs on a warmer machine.
        const order = VARIANTS.map((_, index) => VARIANTS[(index + run) % VARIANTS.length]!);
        for (const variant of order) {
          const result = await sample(h, fixture, variant);
          console.error(
            `[bench] ${fixture} ${variant} run ${run + 1}: cold ${seconds(result.cold)}, .go edit ` +
              `${seconds(result.goEdit)}, go.mod edit ${seconds(result.goModEdit)}, image ${megabytes(result.imageBytes)}`,
          );
          const key = `${fixture}/${variant}`;
          results.set(key, [...(results.get(key) ?? []), result]);
        }
      }
    }
    const cpu = cpus()[0]?.model ?? 'unknown CPU';
    console.log(
      `Machine: ${cpus().length} cores (${cpu}), ${(totalmem() / 2 ** 30).toFixed(0)} GiB; Docker Engine ` +
        `${h.engineVersion} (overlay2, BuildKit), Go ${h.goVersion}; ${new Date().toISOString().slice(0, 10)}; medians of ` +
        `${RUNS} runs; base images are local stand-ins.\n`,
    );
    if (REPOS.length > 0) await benchRepos(h);
    for (const fixture of FIXTURES) {
      const goMod = readFileSync(join(import.meta.dirname, '..', 'test', 'fixtures', fixture, 'go.mod'), 'utf8');
      const modules = goMod.split('\n').filter((line) => /^\s+\S+ v\S+/.test(line) || /^require \S+ v/.test(line)).length;
      console.log(`### ${fixture} (${modules} required modules)\n`);
      console.log('| | cold build | rebuild, one-line .go edit | rebuild, go.mod edit | image | binary | build context |');
      console.log('|---|---|---|---|---|---|---|');
      const medians = new Map<Variant, Sample>();
      for (const variant of VARIANTS) {
        const samples = results.get(`${fixture}/${variant}`)!;
        const m: Sample = {
          cold: median(samples.map((s) => s.cold)),
          goEdit: median(samples.map((s) => s.goEdit)),
          goModEdit: median(samples.map((s) => s.goModEdit)),
          imageBytes: median(samples.map((s) => s.imageBytes)),
          binaryBytes: median(samples.map((s) => s.binaryBytes)),
          contextBytes: median(samples.map((s) => s.contextBytes)),
        };
        medians.set(variant, m);
        console.log(
          `| ${variant} | ${seconds(m.cold)} | ${seconds(m.goEdit)} | ${seconds(m.goModEdit)} | ` +
            `${megabytes(m.imageBytes)} | ${megabytes(m.binaryBytes)} | ${(m.contextBytes / 1e3).toFixed(1)} kB |`,
        );
      }
      const ours = medians.get('ours');
      if (!ours) continue;
      for (const other of VARIANTS.filter((variant) => variant !== 'ours')) {
        const them = medians.get(other)!;
        console.log(
          `| ours/${other} | ${ratio(ours.cold, them.cold)} | ${ratio(ours.goEdit, them.goEdit)} | ` +
            `${ratio(ours.goModEdit, them.goModEdit)} | ${ratio(ours.imageBytes, them.imageBytes)} | | ` +
            `${ratio(ours.contextBytes, them.contextBytes)} |`,
        );
      }
      const naive = medians.get('naive');
      const init = medians.get('docker-init');
      const checks: Array<readonly [string, boolean]> = [
        [`image <= binary + 3 MB (distroless)`, ours.imageBytes <= ours.binaryBytes + 3e6],
      ];
      if (naive) checks.unshift([`.go edit rebuild <= 0.25x naive`, ours.goEdit <= 0.25 * naive.goEdit]);
      if (init) checks.splice(checks.length - 1, 0, [`.go edit rebuild no slower than docker init`, ours.goEdit <= init.goEdit]);
      console.log(`\nTargets: ${checks.map(([name, met]) => `${name}: ${met ? 'met' : 'MISSED'}`).join('; ')}\n`);
    }
    return 0;
  } finally {
    await execute(h.docker, ['rmi', '-f', ...FIXTURES.flatMap((fixture) => VARIANTS.map((variant) => `cgd-bench/${fixture}-${variant}`))]);
    await h.stop();
  }
}

process.exitCode = await main();
