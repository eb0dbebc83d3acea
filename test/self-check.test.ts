// What we generate, doctor must call clean (issue 19): an error-level finding of doctor's static
// checks against files create-go-docker just wrote is a bug in the generator. Every fixture,
// generated unattended with the defaults and with a few flag combinations, then checked by
// doctor --offline.
import { cpSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { diagnose } from '../src/doctor/doctor.js';
import type { Finding } from '../src/doctor/findings.js';
import { REPO_ROOT, runCli, snapshotTree, sshHome } from './helpers.js';

const FIXTURES = join(REPO_ROOT, 'test', 'fixtures');
// Every directory of test/fixtures that is a Go module or workspace (private-modules holds the
// modules the e2e git server serves, not a project).
const PROJECTS = readdirSync(FIXTURES).filter(
  (name) =>
    statSync(join(FIXTURES, name)).isDirectory() &&
    readdirSync(join(FIXTURES, name)).some((file) => file === 'go.mod' || file === 'go.work'),
);

/** Flag sets, and the fixtures each must refuse (a cgo binary on an image with no C library: exit 2). */
const FLAG_SETS: readonly { flags: readonly string[]; refused?: readonly string[] }[] = [
  { flags: [] },
  { flags: ['--region', 'cn'] },
  { flags: ['--region', 'custom', '--goproxy', 'https://athens.corp.example,direct', '--base', 'debian'] },
  { flags: ['--base', 'alpine'] },
  { flags: ['--base', 'scratch'], refused: ['cgo'] },
  { flags: ['--base-image', 'registry.corp.example/base/static:1'], refused: ['cgo'] },
  { flags: ['--base-image', 'alpine:3.22', '--region', 'cn'] },
  { flags: ['--private', 'git.corp.test', '--auth', 'ssh'] },
];

function copyOf(fixture: string): string {
  const dir = mkdtempSync(join(tmpdir(), `cgd-self-${fixture}-`));
  cpSync(join(FIXTURES, fixture), dir, { recursive: true });
  return dir;
}

function errorsOf(findings: readonly Finding[]): string[] {
  return findings
    .filter((finding) => finding.severity === 'error')
    .map((finding) => `${finding.id} ${finding.file}:${finding.line ?? ''} ${finding.problem}`);
}

describe('doctor --offline finds no error in what --yes writes', () => {
  it('covers every fixture', () => expect(PROJECTS.length).toBeGreaterThanOrEqual(14));
  const cases = PROJECTS.flatMap((fixture) => FLAG_SETS.map((set) => [fixture, set.flags.join(' ') || '(defaults)', set] as const));
  it.each(cases)('%s %s', async (fixture, _shown, set) => {
    const dir = copyOf(fixture);
    const before = snapshotTree(dir);
    const result = await runCli(['--yes', ...set.flags], { cwd: dir, env: { HOME: sshHome() } });
    if (set.refused?.includes(fixture)) {
      expect(result.code, result.stdout).toBe(2);
      expect(result.stderr).toMatch(/cannot run a cgo binary/);
      expect(snapshotTree(dir)).toEqual(before);
      return;
    }
    expect(result.code, result.stderr).toBe(0);
    // The run's own check found nothing either (it would print "doctor GCD..." as a warning).
    expect(result.stdout).not.toMatch(/doctor GCD/);
    const report = await diagnose({ cwd: dir, offline: true });
    expect(errorsOf(report.findings)).toEqual([]);
  });
});

describe('the check after writing', () => {
  it('prints an error doctor finds in what was written as a warning, once', async () => {
    // --private names another host: git.corp.test stays uncovered, which the user asked for.
    const dir = copyOf('private');
    const result = await runCli(['--yes', '--private', 'git.other.example'], { cwd: dir });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(
      /\n {2}! doctor GCD013 on the files just generated \(go\.mod:6\): git\.corp\.test\/team\/greet looks private but GOPRIVATE\/GONO(PROXY|SUMDB) in Dockerfile do not cover it/,
    );
    expect(result.stdout.match(/doctor GCD/g)).toHaveLength(1);
    const report = await diagnose({ cwd: dir, offline: true });
    expect(errorsOf(report.findings)).toEqual([expect.stringMatching(/^GCD013 go\.mod:6 /)]);
  });

  it('runs after writing: --json carries the warning, regenerate checks what it rewrites, --dry-run writes nothing to check', async () => {
    const dir = copyOf('private');
    const dry = await runCli(['--json', '--dry-run', '--private', 'git.other.example'], { cwd: dir });
    expect((JSON.parse(dry.stdout) as { warnings: string[] }).warnings).toEqual([]);
    const result = await runCli(['--json', '--private', 'git.other.example'], { cwd: dir });
    expect(result.code, result.stderr).toBe(0);
    expect((JSON.parse(result.stdout) as { warnings: string[] }).warnings).toEqual([expect.stringMatching(/^doctor GCD013 /)]);
    // Up to date: nothing written, nothing to check again.
    expect((await runCli(['regenerate'], { cwd: dir })).stdout).not.toMatch(/doctor GCD/);
    writeFileSync(join(dir, 'go.mod'), readFileSync(join(dir, 'go.mod'), 'utf8').replace('go 1.26', 'go 1.26.1'));
    const regenerated = await runCli(['regenerate'], { cwd: dir });
    expect(regenerated.code, regenerated.stderr).toBe(0);
    expect(regenerated.stdout).toMatch(/\n {2}! doctor GCD013 on the files just generated/);
  });

  it('does not repeat a consequence of --cgo off that the plan already warns about', async () => {
    const dir = copyOf('cgo');
    const result = await runCli(['--yes', '--cgo', 'off', '--base', 'scratch'], { cwd: dir });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/! cgo is off but imports github\.com\/mattn\/go-sqlite3/);
    expect(result.stdout).not.toMatch(/doctor GCD/);
  });
});
