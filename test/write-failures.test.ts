// Every failure leaves the tree as it was (issue 18): the file system refuses one call at a
// time, at every point of a multi-file write (each open for writing, write, fsync, mkdir, link
// and rename a run makes, counted on a run that succeeds), with each errno a user meets: disk
// full, quota, read-only, permission, a directory in the way, an I/O error. Before the commit
// point the run must say so in one line, leave the tree byte for byte as it was and leave no
// temporary file or lock; after it (a rename failed) the next run finishes the write from the
// journal. Either way the next run works and writes exactly what a run without failures writes.
// (test/own-files.test.ts does the same with real ENOSPC on a small tmpfs.)
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { makeProject, runCli, SIMPLE_SERVICE, snapshotTree } from './helpers.js';

interface Injection {
  active: boolean;
  /** Calls counted so far while active. */
  calls: number;
  /** Which counted call fails (1-based); 0 counts only. */
  failAt: number;
  code: string;
}

const injection = vi.hoisted((): Injection => ({ active: false, calls: 0, failAt: 0, code: 'ENOSPC' }));

vi.mock('node:fs', async (importOriginal) => {
  const actual = await importOriginal<typeof import('node:fs')>();
  const writeFlags = (flags: unknown): boolean =>
    typeof flags === 'string'
      ? /[wax+]/.test(flags)
      : typeof flags === 'number' && (flags & (actual.constants.O_WRONLY | actual.constants.O_RDWR | actual.constants.O_CREAT)) !== 0;
  const failing = <F extends (...args: never[]) => unknown>(
    syscall: string,
    fn: F,
    counts: (...args: Parameters<F>) => boolean = () => true,
  ): F =>
    ((...args: Parameters<F>) => {
      if (injection.active && counts(...args)) {
        injection.calls++;
        if (injection.calls === injection.failAt)
          throw Object.assign(new Error(`${injection.code}: injected failure, ${syscall} '${String(args[0])}'`), {
            code: injection.code,
            syscall,
            path: String(args[0]),
          });
      }
      return fn(...args);
    }) as F;
  const wrapped = {
    openSync: failing('open', actual.openSync, (_path, flags) => writeFlags(flags)),
    writeSync: failing('write', actual.writeSync),
    fsyncSync: failing('fsync', actual.fsyncSync),
    mkdirSync: failing('mkdir', actual.mkdirSync),
    linkSync: failing('link', actual.linkSync),
    renameSync: failing('rename', actual.renameSync),
  };
  return { ...actual, ...wrapped, default: { ...actual, ...wrapped } };
});

const CODES = ['ENOSPC', 'EDQUOT', 'EROFS', 'EACCES', 'ENOTEMPTY', 'EIO'] as const;
const CAUSES: Record<string, RegExp> = {
  ENOSPC: /no space left on the device \(ENOSPC\); free some space/,
  EDQUOT: /disk quota is exceeded \(EDQUOT\)/,
  EROFS: /read-only \(EROFS\)/,
  EACCES: /permission denied \(EACCES\); fix the permissions/,
  ENOTEMPTY: /\(ENOTEMPTY\)/,
  EIO: /input\/output error \(EIO\)/,
};
const OWN_FILES = /create-go-docker\.tmp$|^\.go-docker\.(lock|journal)/;
const ownFiles = (tree: Record<string, string>) => Object.keys(tree).filter((path) => OWN_FILES.test(path.split('/').pop()!));

interface Scenario {
  name: string;
  /** Prepares the project (no failures injected); returns its directory. */
  setup: () => Promise<string>;
  argv: string[];
}

const generatedWith = async (argv: string[], change: (dir: string) => void): Promise<string> => {
  const dir = makeProject(SIMPLE_SERVICE);
  expect((await runCli(argv, { cwd: dir })).code).toBe(0);
  change(dir);
  return dir;
};

const SCENARIOS: Scenario[] = [
  // Five files in two directories, docker/ made by the run.
  {
    name: 'a first run (cn: Dockerfile, .dockerignore, docker/daemon.json, compose.yaml, answers)',
    setup: async () => makeProject(SIMPLE_SERVICE),
    argv: ['--yes', '--region', 'cn', '--compose'],
  },
  // Replacing a hand-edited file: the update and its .orig backup in one commit.
  {
    name: '--force over a hand edit (an update, its .orig backup, the answers)',
    setup: () =>
      generatedWith(['--yes'], (dir) =>
        writeFileSync(join(dir, 'Dockerfile'), `${readFileSync(join(dir, 'Dockerfile'), 'utf8')}RUN echo hand edit\n`),
      ),
    argv: ['--yes', '--force', '--base', 'alpine'],
  },
  {
    name: 'regenerate after an answer changed',
    setup: () =>
      generatedWith(['--yes'], (dir) =>
        writeFileSync(
          join(dir, '.go-docker.yaml'),
          readFileSync(join(dir, '.go-docker.yaml'), 'utf8').replace('schemaVersion: 2', 'schemaVersion: 2\nregion: cn'),
        ),
      ),
    argv: ['regenerate'],
  },
];

async function injected(dir: string, argv: string[], failAt: number, code: string) {
  Object.assign(injection, { active: true, calls: 0, failAt, code });
  try {
    return await runCli(argv, { cwd: dir });
  } finally {
    injection.active = false;
  }
}

describe('a failure at every write point leaves the tree as it was, and the next run works', () => {
  it.each(SCENARIOS.map((scenario) => [scenario.name, scenario] as const))(
    '%s',
    async (_name, scenario) => {
      // What a run without failures writes, and how many calls it makes that can fail.
      const clean = await scenario.setup();
      const counted = await injected(clean, scenario.argv, 0, 'ENOSPC');
      expect(counted.code, counted.stderr).toBe(0);
      const points = injection.calls;
      const expected = snapshotTree(clean);
      expect(points).toBeGreaterThan(15);

      let beforeCommit = 0;
      let afterCommit = 0;
      for (let failAt = 1; failAt <= points; failAt++) {
        for (const code of [CODES[failAt % CODES.length]!, CODES[(failAt + 3) % CODES.length]!]) {
          const dir = await scenario.setup();
          const before = snapshotTree(dir);
          const result = await injected(dir, scenario.argv, failAt, code);
          const where = `call ${failAt} of ${points} failing with ${code}: ${result.stderr}`;
          expect(result.code, where).toBe(1);
          expect(result.stderr.trim().split('\n'), where).toHaveLength(1);
          expect(result.stderr, where).toContain(`(${code})`);
          expect(result.stderr, where).not.toContain('internal error');
          // The cause in words: a full disk is never sent to fix permissions.
          expect(result.stderr, where).toMatch(CAUSES[code]!);
          const after = snapshotTree(dir);
          if (/the next run finishes the rest from its journal/.test(result.stderr)) {
            afterCommit++;
            expect(ownFiles(after), where).toEqual(expect.arrayContaining(['.go-docker.lock', '.go-docker.journal']));
          } else {
            beforeCommit++;
            expect(after, where).toEqual(before);
          }
          const next = await runCli(scenario.argv, { cwd: dir });
          expect(next.code, `${where}\nnext run: ${next.stderr}`).toBe(0);
          const final = snapshotTree(dir);
          expect(ownFiles(final), where).toEqual([]);
          expect(final, where).toEqual(expected);
        }
      }
      // Both sides of the commit point were reached.
      expect(beforeCommit).toBeGreaterThan(10);
      expect(afterCommit).toBeGreaterThan(2);
    },
    120_000,
  );
});
