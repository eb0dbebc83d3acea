// npm run bench: the numbers a user feels. Prints --help time, --yes generation time (median
// of several runs on a copy of examples/), the packed tarball size and the runtime dependency
// count. Builds dist/ first so the numbers are for what would be published.
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const bin = join(root, 'index.js');
const runs = Number(process.env.BENCH_RUNS ?? 15);

execFileSync(process.execPath, [join(root, 'scripts/build.mjs')], { stdio: 'inherit' });

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

function time(argv, cwd) {
  return timeCommand([bin, ...argv], cwd);
}

function timeCommand(argv, cwd, count = runs) {
  const samples = [];
  for (let run = 0; run < count; run++) {
    const start = process.hrtime.bigint();
    const result = spawnSync(process.execPath, argv, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    samples.push(Number(process.hrtime.bigint() - start) / 1e6);
    if (result.status !== 0) throw new Error(`${argv.join(' ')} failed: ${result.stderr}`);
  }
  return { median: median(samples), min: Math.min(...samples), max: Math.max(...samples) };
}

const nodeBaseline = (() => {
  const samples = [];
  for (let run = 0; run < runs; run++) {
    const start = process.hrtime.bigint();
    spawnSync(process.execPath, ['-e', '0']);
    samples.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  return median(samples);
})();

const help = time(['--help'], root);

// The reference: create-vite's --help, a zero-dependency create-* CLI (pinned, installed once
// into a cache folder; needs the npm registry the first time only).
const CREATE_VITE = 'create-vite@9.3.0';
const viteDir = join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'create-go-docker-bench', CREATE_VITE);
const viteBin = join(viteDir, 'node_modules', 'create-vite', 'index.js');
if (!existsSync(viteBin)) {
  mkdirSync(viteDir, { recursive: true });
  execFileSync('npm', ['install', '--no-save', '--no-audit', '--no-fund', '--prefix', viteDir, CREATE_VITE], {
    stdio: ['ignore', 'ignore', 'inherit'],
  });
}
// Interleaved with ours would be fairer still; a separate median of as many runs is close enough.
const viteHelp = timeCommand([viteBin, '--help'], root);
const project = mkdtempSync(join(tmpdir(), 'cgd-bench-'));
cpSync(join(root, 'examples'), project, { recursive: true });
// --force: every run after the first regenerates over its own output.
const generate = time(['--yes', '--force'], project);
rmSync(project, { recursive: true, force: true });

// A scaffold against a scaffold (issue 19): create-vite writing its vanilla-ts template into a
// new directory, and our --yes --dry-run on the smallest service fixture, interleaved run by run
// so both see the same machine load.
const service = mkdtempSync(join(tmpdir(), 'cgd-bench-service-'));
cpSync(join(root, 'test', 'fixtures', 'service'), service, { recursive: true });
const scaffoldRoot = mkdtempSync(join(tmpdir(), 'cgd-bench-vite-'));
const ours = [];
const theirs = [];
for (let run = 0; run < runs; run++) {
  ours.push(timeCommand([bin, '--yes', '--dry-run'], service, 1).median);
  theirs.push(
    timeCommand([viteBin, `app${run}`, '--template', 'vanilla-ts', '--no-interactive', '--no-immediate'], scaffoldRoot, 1).median,
  );
}
rmSync(service, { recursive: true, force: true });
rmSync(scaffoldRoot, { recursive: true, force: true });
const dryRun = { median: median(ours), min: Math.min(...ours), max: Math.max(...ours) };
const scaffold = { median: median(theirs), min: Math.min(...theirs), max: Math.max(...theirs) };

const packDir = mkdtempSync(join(tmpdir(), 'cgd-pack-'));
const [packed] = JSON.parse(
  execFileSync('npm', ['pack', '--json', '--pack-destination', packDir], {
    cwd: root,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'ignore'],
  }),
);
const tarball = statSync(join(packDir, packed.filename)).size;
rmSync(packDir, { recursive: true, force: true });
const packageJson = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const runtimeDependencies = Object.keys({
  ...packageJson.dependencies,
  ...packageJson.optionalDependencies,
  ...packageJson.peerDependencies,
}).length;
const entry = statSync(join(root, 'dist/index.js')).size;
const distFiles = readdirSync(join(root, 'dist'), { recursive: true }).filter((name) => name.endsWith('.js'));
const dist = distFiles.reduce((sum, name) => sum + statSync(join(root, 'dist', name)).size, 0);

const ms = (value) => `${value.toFixed(1)} ms`;
const rows = [
  ['node -e 0 (baseline)', ms(nodeBaseline)],
  ['--help', `${ms(help.median)} (min ${ms(help.min)}, max ${ms(help.max)})`],
  [`${CREATE_VITE} --help`, `${ms(viteHelp.median)} (min ${ms(viteHelp.min)}, max ${ms(viteHelp.max)})`],
  ['--help / create-vite --help', `${(help.median / viteHelp.median).toFixed(2)}x (target <= 1.2x)`],
  ['--yes generation (examples/)', `${ms(generate.median)} (min ${ms(generate.min)}, max ${ms(generate.max)}; target < 300 ms)`],
  ['--yes --dry-run (service)', `${ms(dryRun.median)} (min ${ms(dryRun.min)}, max ${ms(dryRun.max)})`],
  [`${CREATE_VITE} vanilla-ts scaffold`, `${ms(scaffold.median)} (min ${ms(scaffold.min)}, max ${ms(scaffold.max)})`],
  ['--yes --dry-run / scaffold', `${(dryRun.median / scaffold.median).toFixed(2)}x (target <= 1.5x)`],
  [
    'packed tarball',
    `${(tarball / 1024).toFixed(1)} KiB (target <= 500 KiB; ${packed.entryCount} files; entry ` +
      `${(entry / 1024).toFixed(1)} KiB, all chunks ${(dist / 1024).toFixed(1)} KiB)`,
  ],
  ['runtime dependencies', String(runtimeDependencies)],
];
console.log(`create-go-docker ${packageJson.version} benchmark, median of ${runs} runs, node ${process.version}`);
for (const [name, value] of rows) console.log(`  ${name.padEnd(30)} ${value}`);
