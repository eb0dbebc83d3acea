// npm run real-repos: runs `--yes --dry-run --force --json` on each public repository in
// scripts/real-repos/expected.ts whose mirror is present (MIRROR_DIR, default /work/.mirror:
// MIRROR_DIR/owner+name/repo, a bare git directory), compares the default image with the
// expectation written from the repository's own evidence, and writes docs/real-repos.md.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { compare, normalizePackage, type Mismatch } from './real-repos/compare.js';
import { parseDefaultImage, type DefaultImage } from './real-repos/dockerfile.js';
import { exportMirror, mirrorOf, type MirrorExport } from '../test/e2e/harness/mirrors.js';
import { expected, issue21Classes, type Expected } from './real-repos/expected.js';

const root = join(import.meta.dirname, '..');
const version = (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string }).version;

interface Row {
  readonly want: Expected;
  readonly commit: string;
  /** Files the mirror lists but does not hold, left out of the export. */
  readonly absent: readonly string[];
  readonly got: DefaultImage | undefined;
  readonly error: string;
  readonly mismatches: readonly Mismatch[];
}

interface Output {
  readonly ok: boolean;
  readonly error?: { readonly message: string };
  readonly files?: readonly { readonly path: string; readonly content?: string }[];
}

function run(command: string, args: readonly string[], cwd?: string): { status: number; stdout: string; stderr: string } {
  const result = spawnSync(command, args, { cwd, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, timeout: 300_000 });
  return { status: result.status ?? -1, stdout: result.stdout, stderr: result.stderr };
}

function firstLine(text: string): string {
  return text.trim().split('\n')[0] ?? '';
}

function measure(want: Expected): Row {
  let exported: MirrorExport;
  try {
    exported = exportMirror(want.repo);
  } catch (error) {
    const commit = run('git', ['--git-dir', mirrorOf(want.repo), 'rev-parse', 'HEAD']).stdout.trim();
    return { want, commit, absent: [], got: undefined, error: (error as Error).message, mismatches: [] };
  }
  const { dir, commit, absent } = exported;
  try {
    const tool = run('node', [join(root, 'index.js'), dir, '--yes', '--dry-run', '--force', '--json']);
    // REAL_REPOS_JSON_DIR keeps each run's JSON (notes and warnings say why a default was chosen).
    const keep = process.env.REAL_REPOS_JSON_DIR;
    if (keep !== undefined) writeFileSync(join(keep, `${want.repo.replace('/', '+')}.json`), tool.stdout);
    let output: Output;
    try {
      output = JSON.parse(tool.stdout) as Output;
    } catch {
      return { want, commit, absent, got: undefined, error: `exit ${tool.status}, no JSON: ${firstLine(tool.stderr)}`, mismatches: [] };
    }
    if (!output.ok)
      return {
        want,
        commit,
        absent,
        got: undefined,
        error: `exit ${tool.status}: ${(output.error?.message ?? '').replaceAll(dir, 'DIR')}`,
        mismatches: [],
      };
    const dockerfile = output.files?.find((file) => file.path === 'Dockerfile')?.content;
    if (dockerfile === undefined) return { want, commit, absent, got: undefined, error: 'no Dockerfile in files[]', mismatches: [] };
    const got = parseDefaultImage(dockerfile);
    return { want, commit, absent, got, error: '', mismatches: compare(want, got) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const cell = (text: string): string => text.replaceAll('|', '\\|').replaceAll('\n', ' ');
const list = (values: readonly (string | number)[]): string => (values.length === 0 ? 'none' : values.join(' '));
const args = (values: readonly string[]): string => (values.length === 0 ? 'none' : `\`${values.join(' ')}\``);

function expectedCell(want: Expected): string {
  const facts =
    `main \`${normalizePackage(want.main)}\`, ports ${list(want.ports)}, args ${args(want.args)}, cgo ${want.cgo ? 'on' : 'off'}` +
    (want.tags.length > 0 ? `, tags ${want.tags.join(',')}` : '');
  return `${facts}<br>${want.evidence.map((line) => `· ${line}`).join('<br>')}`;
}

function gotCell(row: Row): string {
  if (!row.got) return `**${row.error}**`;
  const { binaries, ports, cmd, env, base } = row.got;
  const first = binaries[0];
  const main = first ? `main \`${normalizePackage(first.pkg)}\` (\`${first.name}\`)` : 'no binary';
  const tags = first && first.tags.length > 0 ? `, tags ${first.tags.join(',')}` : '';
  const envs = env.length > 0 ? `, ENV ${env.join(' ')}` : '';
  return `${main}, ports ${list(ports)}, CMD ${args(cmd)}, cgo ${first?.cgo === true ? 'on' : 'off'}${tags}${envs}, base \`${base}\``;
}

function verdict(row: Row): string {
  if (row.error === '' && row.mismatches.length === 0) return 'ok';
  const what = row.error !== '' ? [`run: ${row.error}`] : row.mismatches.map((m) => `${m.field}: ${m.what}`);
  if (row.want.limit !== '') return `limit: ${row.want.limit} (${what.join('; ')})`;
  return `wrong: ${what.join('; ')}`;
}

const rows: Row[] = [];
const skipped: string[] = [];
for (const want of expected) {
  if (!existsSync(mirrorOf(want.repo))) {
    skipped.push(want.repo);
    continue;
  }
  const row = measure(want);
  console.log(`${want.repo}: ${verdict(row)}`);
  rows.push(row);
}

const ok = rows.filter((row) => row.error === '' && row.mismatches.length === 0).length;
const errors = rows.filter((row) => row.error !== '').length;
const limits = rows.filter((row) => (row.error !== '' || row.mismatches.length > 0) && row.want.limit !== '').length;
const wrongRows = rows.filter((row) => (row.error !== '' || row.mismatches.length > 0) && row.want.limit === '');
/** "3 root command prints usage"; other and unclassified have no number. */
const numbered = (name: string): string => {
  const index = issue21Classes.findIndex((known) => known === name);
  return index >= 0 && name !== 'other' ? `${index + 1} ${name}` : name;
};
const byClass = new Map<string, number>(issue21Classes.map((name) => [numbered(name), 0]));
const classLines: string[] = [];
for (const row of wrongRows) {
  const fields = row.error !== '' ? [{ field: 'run' as const, what: row.error }] : row.mismatches;
  for (const mismatch of fields) {
    const classified = row.want.classified?.[mismatch.field];
    const name = classified ? numbered(classified.class) : 'unclassified';
    byClass.set(name, (byClass.get(name) ?? 0) + 1);
    classLines.push(`- ${row.want.repo}, ${mismatch.field}: **${name}**${classified ? `: ${classified.why}` : ''}`);
  }
}

// A classified field that now comes out right was fixed since it was classified: listed, so
// the table shows which classes the recognizers closed, and expected.ts explains no wrong row
// that is gone.
const fixedLines = rows.flatMap((row) => {
  const wrong = new Set<string>(row.error !== '' ? ['run'] : row.mismatches.map((mismatch) => mismatch.field));
  return Object.entries(row.want.classified ?? {})
    .filter(([field]) => !wrong.has(field))
    .map(([field, classified]) => `- ${row.want.repo}, ${field}: **${numbered(classified.class)}**: was ${classified.why}`);
});

const lines = [
  '# Defaults on real repositories',
  '',
  `Generated by \`npm run real-repos\` (scripts/real-repos.ts) on ${new Date().toISOString().slice(0, 10)}` +
    ` with create-go-docker ${version}.`,
  "Each expectation was written from the repository's own Dockerfile, release config, Makefile and code before the tool was run on",
  'it (scripts/real-repos/expected.ts); each row runs `create-go-docker DIR --yes --dry-run --force --json` on an export of the',
  'commit named and reads the default (last) image of the Dockerfile it prints. Args are compared by shape (subcommand, flag names,',
  'number of positional arguments), not by value; ports as sets; tags as sets (missing and extra).',
  'Not measured here: whether the image builds and starts (nothing is built; docs/real-images.md builds and runs six of these),',
  'so embedded assets missing from a checkout (6),',
  'files read at start beyond the arguments (7), binary names (8) and run-time shell-outs (9) show only where a compared field',
  'shows them.',
  '',
  `**${rows.length} repositories: ${ok} ok, ${wrongRows.length} wrong, ${limits} documented limit${limits === 1 ? '' : 's'};` +
    ` error exits among them: ${errors}**${skipped.length > 0 ? `; not fetched, skipped: ${skipped.join(', ')}` : ''}.`,
  '',
  `Wrong fields by issue-21 class: ${[...byClass].map(([name, count]) => `${name}: ${count}`).join(' · ')}` +
    ' (one line each below the table).',
  '',
  '| repository | expected (evidence) | `--yes` gives | verdict |',
  '|---|---|---|---|',
  ...rows.map(
    (row) =>
      `| [${row.want.repo}](https://github.com/${row.want.repo}) \`${row.commit.slice(0, 10)}\`` +
      (row.commit !== row.want.commit ? ` (expectation written at ${row.want.commit.slice(0, 10)})` : '') +
      (row.absent.length > 0 ? ` (absent from the mirror, left out: ${row.absent.join(', ')})` : '') +
      ` | ${cell(expectedCell(row.want))} | ${cell(gotCell(row))} | ${cell(verdict(row))} |`,
  ),
  '',
  '## Wrong fields by issue-21 class',
  '',
  ...classLines,
  '',
  '## Fields classified wrong earlier that are right now',
  '',
  ...fixedLines,
  '',
];
writeFileSync(join(root, 'docs', 'real-repos.md'), lines.join('\n'));
console.log(
  `${rows.length} repositories: ${ok} ok, ${wrongRows.length} wrong, ${limits} limits, ${errors} errors; ` +
    `${fixedLines.length} fields fixed since classified; docs/real-repos.md written`,
);
