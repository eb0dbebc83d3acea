// npm run bench:ci: the fresh-CI-runner protocol of issue 14, with real BuildKit, offline.
//   1. builder A (empty state) builds the fixture with the module source up, pushes the image
//      and exports the registry cache (mode=max): "cold A";
//   2. a one-line .go edit;
//   3. builder B (a new, empty state directory), module source DOWN, imports that cache and
//      rebuilds: "fresh B". It must succeed; the target is B <= 0.35x cold A (at most 0.5x).
// With --local, also what a developer sees on one builder: a cold build, rebuilds after one-line
// .go edits ("warm", median) and one after a go.mod edit. Prints numbers; asserts no timings.
//
//   npm run bench:ci -- [--dockerfile PATH]... [--generated] [--fixture NAME]... [--runs N] [--local]
//                       [--local-edits N] [--cache-compression gzip|zstd] [--logs DIR]
// Fixtures: gin (40 modules) and hello (no dependency, no go.sum) unless --fixture names them.
// Without --dockerfile: the Dockerfile `create-go-docker --yes` generates for the fixture, the
// one it generated before issue 14 and docker init's (scripts/bench-ci/, both written for gin;
// on hello they show what those designs do with a module that has no go.sum);
// --generated adds the generated one beside given ones. Each Dockerfile gets a fresh module proxy
// port and cache reference per run, so no run can reuse another's cache.
import { copyFileSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { copyFixture, generate } from '../test/e2e/harness/docker.js';
import {
  buildctlBuild,
  installBuildkitTools,
  pushStandIns,
  startBuildkitd,
  startRegistry,
  type BuildResult,
  type BuildkitTools,
  type Registry,
} from '../test/e2e/harness/buildkit.js';
import { CACHE_DIR, startHarness, type Harness } from '../test/e2e/harness/index.js';
import { startModuleProxy } from '../test/e2e/harness/servers.js';

// argv: node, scripts/run-ts.mjs, scripts/bench-ci.ts, then ours.
const { values } = parseArgs({
  args: process.argv.slice(3),
  options: {
    dockerfile: { type: 'string', multiple: true, default: [] },
    generated: { type: 'boolean', default: false },
    fixture: { type: 'string', multiple: true, default: ['gin', 'hello'] },
    runs: { type: 'string', default: '1' },
    local: { type: 'boolean', default: false },
    'local-edits': { type: 'string', default: '3' },
    /** The exported cache's compression (gzip, BuildKit's default, or zstd: faster to pack and unpack). */
    'cache-compression': { type: 'string', default: 'gzip' },
    /** Keep every build's buildctl log here (to see which steps ran and why). */
    logs: { type: 'string' },
  },
});
const RUNS = Number(values.runs);
const LOCAL_EDITS = Number(values['local-edits']);
const FIXTURES = values.fixture;
const CACHE_COMPRESSION = ((value: string): 'gzip' | 'zstd' => {
  if (value !== 'gzip' && value !== 'zstd') throw new Error(`--cache-compression: gzip or zstd, not ${value}`);
  return value;
})(values['cache-compression']);

interface Variant {
  label: string;
  /** Absent: the Dockerfile create-go-docker generates for the fixture. */
  dockerfile?: string;
}

/** Without --dockerfile: the generated Dockerfile against the one generated before issue 14 and docker init's. */
const COMPARED = ['before-issue-14.Dockerfile', 'docker-init.Dockerfile'].map((name) => join(import.meta.dirname, 'bench-ci', name));
const given = values.dockerfile.length > 0 ? values.dockerfile : COMPARED;
const variants: Variant[] = given.map((path) => ({ label: basename(path, '.Dockerfile'), dockerfile: resolve(path) }));
if (values.dockerfile.length === 0 || values.generated) variants.unshift({ label: 'generated' });

interface Sample {
  coldA: number;
  freshB: number;
  freshBSucceeded: boolean;
  /** RUN steps builder B executed (neither cached nor imported): what the registry cache did not carry. */
  freshBRan: string[];
  localCold?: number;
  localWarm?: number[];
  localGoModEdit?: number;
}

const seconds = (value: number | undefined): string => (value === undefined ? '-' : `${value.toFixed(1)} s`);

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  // An even count: the mean of the two middle values (not the upper one).
  return sorted.length % 2 === 0
    ? ((sorted[middle - 1] ?? Number.NaN) + (sorted[middle] ?? Number.NaN)) / 2
    : (sorted[middle] ?? Number.NaN);
}

/** The fixture copy with its Dockerfile (generated, or the given one over the generated). */
async function prepare(h: Harness, fixture: string, variant: Variant): Promise<string> {
  const dir = copyFixture(fixture, h.goVersion);
  // Generate even for a given Dockerfile: the generated .dockerignore keeps the contexts equal.
  const { result } = await generate(dir, []);
  if (result.code !== 0) throw new Error(`create-go-docker failed for ${fixture}:\n${result.stderr}`);
  if (variant.dockerfile) copyFileSync(variant.dockerfile, join(dir, 'Dockerfile'));
  return dir;
}

/** A one-line .go edit: a changed string literal in main.go, as a developer makes. */
function editMainGo(dir: string, edit: string): void {
  const file = join(dir, 'main.go');
  const text = readFileSync(file, 'utf8');
  const edited = text.replace(/ ok( \(edit [^)]*\))?\\n"/, ` ok (edit ${edit})\\n"`);
  if (edited === text) throw new Error(`${file}: no "... ok\\n" string literal to edit`);
  writeFileSync(file, edited);
}

/** Saves a build's log when --logs was given. */
function keepLog(name: string, result: BuildResult): void {
  if (!values.logs) return;
  mkdirSync(values.logs, { recursive: true });
  writeFileSync(join(values.logs, `${name.replace(/[^a-z0-9.-]+/gi, '-')}.log`), result.log);
}

function expectBuilt(what: string, result: BuildResult): void {
  if (result.code !== 0) throw new Error(`${what} failed (exit ${result.code}):\n${result.log.split('\n').slice(-40).join('\n')}`);
}

const ranRunSteps = (result: BuildResult): string[] => result.executedRuns.map((name) => name.slice(0, 100));

async function freshRunnerProtocol(
  h: Harness,
  tools: BuildkitTools,
  registry: Registry,
  fixture: string,
  variant: Variant,
  run: number,
): Promise<Sample> {
  const dir = await prepare(h, fixture, variant);
  const name = `${registry.host}/cgd-bench/${fixture}-${variant.label.replace(/[^a-z0-9]+/gi, '-').toLowerCase()}-${run}`;
  const cacheRef = `${name}:buildcache`;
  // A module proxy of its own, so "module source down" for B closes it without touching the
  // harness's. B gets the same GOPROXY value: a different build-arg would change cache keys.
  const proxy = await startModuleProxy(join(CACHE_DIR, 'modcache', 'cache', 'download'));
  const buildArgs = { GOPROXY: proxy.url };
  try {
    const a = await startBuildkitd(tools, registry, () => {});
    let coldA: BuildResult;
    try {
      coldA = await buildctlBuild(tools, a, {
        context: dir,
        buildArgs,
        exportCache: cacheRef,
        cacheCompression: CACHE_COMPRESSION,
        output: { type: 'image', name: `${name}:a`, push: true },
      });
    } finally {
      await a.stop();
    }
    keepLog(`${fixture}-${variant.label}-${run}-A`, coldA);
    expectBuilt(`${variant.label}: builder A`, coldA);
    await proxy.close();
    editMainGo(dir, `ci ${run}`);
    const requestsBeforeB = proxy.requests.length;
    const b = await startBuildkitd(tools, registry, () => {});
    let freshB: BuildResult;
    try {
      freshB = await buildctlBuild(tools, b, {
        context: dir,
        buildArgs,
        importCache: [cacheRef],
        output: { type: 'image', name: `${name}:b`, push: true },
      });
    } finally {
      await b.stop();
    }
    keepLog(`${fixture}-${variant.label}-${run}-B`, freshB);
    if (proxy.requests.length !== requestsBeforeB) throw new Error('the module proxy answered builder B: it should have been down');
    if (freshB.code !== 0)
      console.error(`[bench] ${fixture}, ${variant.label} run ${run}: builder B FAILED:\n${freshB.log.split('\n').slice(-15).join('\n')}`);
    return { coldA: coldA.seconds, freshB: freshB.seconds, freshBSucceeded: freshB.code === 0, freshBRan: ranRunSteps(freshB) };
  } finally {
    await proxy.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** One builder, module source up: a cold build, LOCAL_EDITS rebuilds after .go edits, one after a go.mod edit. */
async function localFigures(
  h: Harness,
  tools: BuildkitTools,
  registry: Registry,
  fixture: string,
  variant: Variant,
): Promise<{ cold: number; warm: number[]; goModEdit: number }> {
  const dir = await prepare(h, fixture, variant);
  const proxy = await startModuleProxy(join(CACHE_DIR, 'modcache', 'cache', 'download'));
  const builder = await startBuildkitd(tools, registry, () => {});
  try {
    const buildArgs = { GOPROXY: proxy.url };
    const cold = await buildctlBuild(tools, builder, { context: dir, buildArgs });
    expectBuilt(`${variant.label}: local cold build`, cold);
    const warm: number[] = [];
    for (let edit = 1; edit <= LOCAL_EDITS; edit++) {
      editMainGo(dir, `local ${edit}`);
      const rebuilt = await buildctlBuild(tools, builder, { context: dir, buildArgs });
      keepLog(`${fixture}-${variant.label}-local-edit-${edit}`, rebuilt);
      expectBuilt(`${variant.label}: local rebuild ${edit}`, rebuilt);
      warm.push(rebuilt.seconds);
    }
    // A dependency change as go.mod edits make it (a comment appended): every step that reads
    // go.mod runs again, so this shows what a design costs when go.mod or go.sum changes.
    writeFileSync(join(dir, 'go.mod'), `${readFileSync(join(dir, 'go.mod'), 'utf8')}\n// edited by bench:ci\n`);
    const goModEdit = await buildctlBuild(tools, builder, { context: dir, buildArgs });
    keepLog(`${fixture}-${variant.label}-local-gomod-edit`, goModEdit);
    expectBuilt(`${variant.label}: local rebuild after a go.mod edit`, goModEdit);
    return { cold: cold.seconds, warm, goModEdit: goModEdit.seconds };
  } finally {
    await builder.stop();
    await proxy.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

async function main(): Promise<number> {
  const log = (line: string): void => console.error(`[bench] ${line}`);
  const installed = installBuildkitTools(log);
  if ('skip' in installed) {
    console.error(`bench:ci skipped: ${installed.skip}`);
    return 1;
  }
  const { tools } = installed;
  const started = await startHarness(log, { privateHost: false });
  if ('skip' in started) {
    console.error(`bench:ci skipped: ${started.skip}`);
    return 1;
  }
  const h = started.harness;
  const registry = await startRegistry();
  try {
    const pushStarted = process.hrtime.bigint();
    // What the generated Dockerfile (distroless) and docker init's (alpine) name.
    const minor = h.goVersion.split('.').slice(0, 2).join('.');
    const bases = [
      `golang:${h.goVersion}-bookworm`,
      `golang:${minor}-bookworm`,
      `golang:${minor}`,
      'gcr.io/distroless/static-debian12:nonroot',
      'alpine:3.23',
    ];
    await pushStandIns(h.docker, registry, log, { only: bases, cacheDir: CACHE_DIR });
    const pushSeconds = Number(process.hrtime.bigint() - pushStarted) / 1e9;
    const samples = new Map<string, Sample[]>();
    const key = (fixture: string, variant: Variant): string => `${fixture}\t${variant.label}`;
    for (let run = 1; run <= RUNS; run++) {
      // Alternate the order, so no variant always runs on a warmer machine.
      const order = variants.map((_, index) => variants[(index + run - 1) % variants.length]!);
      for (const fixture of FIXTURES) {
        for (const variant of order) {
          let sample: Sample;
          try {
            sample = await freshRunnerProtocol(h, tools, registry, fixture, variant, run);
            if (values.local) {
              const local = await localFigures(h, tools, registry, fixture, variant);
              sample.localCold = local.cold;
              sample.localWarm = local.warm;
              sample.localGoModEdit = local.goModEdit;
            }
          } catch (error) {
            // One broken Dockerfile must not lose the figures of the others.
            log(`${fixture}, ${variant.label} run ${run}: ${(error as Error).message.split('\n').slice(0, 12).join('\n')}`);
            continue;
          }
          log(
            `${fixture}, ${variant.label} run ${run}: cold A ${seconds(sample.coldA)}, fresh B ` +
              `${seconds(sample.freshB)} (${sample.freshBSucceeded ? 'ok' : 'FAILED'}), B ran: ` +
              (sample.freshBRan.join(' | ') || 'nothing') +
              (sample.localCold === undefined
                ? ''
                : `; local cold ${seconds(sample.localCold)}, warm ` +
                  `${sample.localWarm!.map((value) => seconds(value)).join(', ')}, go.mod edit ${seconds(sample.localGoModEdit)}`),
          );
          samples.set(key(fixture, variant), [...(samples.get(key(fixture, variant)) ?? []), sample]);
        }
      }
    }

    console.log(
      `Machine: ${cpus().length} cores (${cpus()[0]?.model ?? 'unknown CPU'}), ${(totalmem() / 2 ** 30).toFixed(0)} ` +
        `GiB; buildkitd v0.18.2 (OCI worker, runc, overlayfs), Go ${h.goVersion}; fixtures ${FIXTURES.join(', ')}; cache ` +
        `compression ${CACHE_COMPRESSION}; ${new Date().toISOString().slice(0, 10)}; medians of ${RUNS} run(s); base images are ` +
        `local stand-ins served by a local registry (push took ${pushSeconds.toFixed(0)} s); tools installed in ` +
        `${tools.installSeconds.toFixed(0)} s.\n`,
    );
    console.log(
      '| Fixture | Dockerfile | cold A (+export) | fresh B after .go edit, source down | B / cold A | B succeeded | ' +
        'local cold | local warm (.go edit) | local go.mod edit |',
    );
    console.log('|---|---|---|---|---|---|---|---|---|');
    for (const fixture of FIXTURES) {
      for (const variant of variants) {
        const list = samples.get(key(fixture, variant)) ?? [];
        if (list.length === 0) {
          console.log(`| ${fixture} | ${variant.label} | error (see the log above) | | | 0/0 | | | |`);
          continue;
        }
        const coldA = median(list.map((sample) => sample.coldA));
        const succeeded = list.filter((sample) => sample.freshBSucceeded);
        const freshB = succeeded.length > 0 ? median(succeeded.map((sample) => sample.freshB)) : undefined;
        const ratio = freshB === undefined ? 'n/a' : `${(freshB / coldA).toFixed(2)}x`;
        const localCold = values.local ? median(list.map((sample) => sample.localCold ?? Number.NaN)) : undefined;
        const localWarm = values.local ? median(list.flatMap((sample) => sample.localWarm ?? [])) : undefined;
        const localGoModEdit = values.local ? median(list.map((sample) => sample.localGoModEdit ?? Number.NaN)) : undefined;
        console.log(
          `| ${fixture} | ${variant.label} | ${seconds(coldA)} | ${freshB === undefined ? 'failed' : seconds(freshB)} | ` +
            `${ratio} | ${succeeded.length}/${list.length} | ${seconds(localCold)} | ${seconds(localWarm)} | ${seconds(localGoModEdit)} |`,
        );
      }
    }
    return 0;
  } finally {
    await registry.stop();
    await h.stop();
  }
}

process.exitCode = await main();
