// Named hostile cases of issue 18 for create-go-docker's own files: a lock, a journal or a
// temporary file a checkout brought, or a pipe, a device or a link in their place. A refusal
// must change nothing (no git hook planted, nothing outside touched); a link's target holds the
// secret, so printing or moving any of it is judged wrong.
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { currentBoot, JOURNAL_FILE, LOCK_FILE } from '../../src/write/lock.js';
import { SIMPLE_SERVICE } from '../helpers.js';
import type { CorpusCase } from './corpus.js';
import { prepare } from './fields.js';
import { SECRET } from './hostile.js';
import type { Run } from './oracle.js';

const HOOK = '#!/bin/sh\ntouch /tmp/cgd-pwned\n';
/** A pid that is gone (the process ran and exited). */
const deadPid = (): number => spawnSync('true').pid;
const writer = (pid: number) => ({ pid, host: hostname(), boot: currentBoot() });

/** A generate run in a project holding `files`, after `plant` added our own files. */
function ownFileRun(files: Record<string, string>, plant: (dir: string) => void, extra: Partial<Run> = {}): Run {
  const run = prepare({ files: { ...SIMPLE_SERVICE, payload: HOOK, '.git/hooks/.keep': '', ...files }, argv: ['--yes'] });
  chmodSync(join(run.dir, 'payload'), 0o755);
  plant(run.dir);
  return { ...run, secrets: [SECRET], skeletons: [], child: true, ...extra };
}

const backdate = (path: string): void => utimesSync(path, new Date(Date.now() - 3600_000), new Date(Date.now() - 3600_000));
const outsideFile = (): string => join(prepare({ files: { secret: SECRET }, argv: [] }).dir, 'secret');

export function ownFileCases(): CorpusCase[] {
  const cases: CorpusCase[] = [];
  // An accepted run must write a simple service's Dockerfile: the first --region baseline.
  const add = (name: string, build: () => Run) =>
    cases.push({
      category: 'own files (lock, journal, temporary files)',
      name,
      build: (skeletons) => ({ ...build(), skeletons: skeletons('--region').slice(0, 1) }),
    });
  const refuse = (refusal: RegExp): Partial<Run> => ({ mustRefuse: true, refusal });

  const plantHook = (lock: string) => (dir: string) => {
    writeFileSync(join(dir, LOCK_FILE), lock);
    writeFileSync(join(dir, JOURNAL_FILE), JSON.stringify({ renames: [['payload', '.git/hooks/post-checkout']] }));
    backdate(join(dir, LOCK_FILE));
  };
  add('a committed unparsable lock and a journal that plants a git hook', () =>
    ownFileRun({}, plantHook('x'), refuse(/is not a lock create-go-docker wrote.*delete \.go-docker\.lock and \.go-docker\.journal/)),
  );
  add('a committed lock naming another machine and a journal that plants a git hook', () =>
    ownFileRun(
      {},
      plantHook(JSON.stringify({ pid: 7, host: 'runner', boot: currentBoot(), started: 'then' })),
      refuse(/on another machine or before this machine restarted/),
    ),
  );
  add('a committed lock naming this host but another boot', () =>
    ownFileRun(
      {},
      plantHook(JSON.stringify({ pid: 7, host: hostname(), boot: 'b0', started: 'then' })),
      refuse(/on another machine or before this machine restarted/),
    ),
  );
  add('a journal without a lock', () =>
    ownFileRun(
      {},
      (dir) => writeFileSync(join(dir, JOURNAL_FILE), JSON.stringify({ ...writer(7), renames: [] })),
      refuse(/\.go-docker\.journal: was not written by a create-go-docker run on this machine/),
    ),
  );
  for (const [what, renames] of [
    ['to a git hook', [['payload', '.git/hooks/post-checkout']]],
    ['to a path we never write', [['.payload.create-go-docker.tmp', 'payload']]],
    ['from outside (absolute)', [['/etc/hostname', 'Dockerfile']]],
    ['through a directory link', [['out/.Dockerfile.create-go-docker.tmp', 'out/Dockerfile']]],
  ] as const) {
    add(`a dead run's journal (this machine) renaming ${what}`, () =>
      ownFileRun(
        { '.payload.create-go-docker.tmp': 'x' },
        (dir) => {
          symlinkSync(join(outsideFile(), '..'), join(dir, 'out'));
          const pid = deadPid();
          writeFileSync(join(dir, LOCK_FILE), JSON.stringify({ ...writer(pid), started: 'then' }));
          writeFileSync(join(dir, JOURNAL_FILE), JSON.stringify({ ...writer(pid), renames }));
        },
        refuse(/\.go-docker\.journal: .*(not a file create-go-docker writes|symbolic link)/),
      ),
    );
  }
  add("a dead lock's temps list naming go.sum and a link outside deletes nothing", () =>
    ownFileRun(
      {},
      (dir) => {
        symlinkSync(outsideFile(), join(dir, 'linked'));
        writeFileSync(join(dir, LOCK_FILE), JSON.stringify({ ...writer(deadPid()), started: 'then', temps: ['go.sum', 'linked'] }));
      },
      {
        mustAccept: true,
        mode: 'generate',
        expect: (run) =>
          spawnSync('test', ['-f', join(run.dir, 'go.sum')]).status === 0 && spawnSync('test', ['-e', join(run.dir, 'linked')]).status === 0
            ? undefined
            : 'deleted go.sum or the link',
      },
    ),
  );
  for (const [what, plant] of [
    ['the lock is a FIFO', (dir: string) => spawnSync('mkfifo', [join(dir, LOCK_FILE)])],
    [
      'the journal is a FIFO beside a dead lock',
      (dir: string) => (
        writeFileSync(join(dir, LOCK_FILE), JSON.stringify({ ...writer(deadPid()), started: 'then' })),
        spawnSync('mkfifo', [join(dir, JOURNAL_FILE)])
      ),
    ],
    ['the lock links to /dev/zero', (dir: string) => symlinkSync('/dev/zero', join(dir, LOCK_FILE))],
    ['the journal links to a secret outside', (dir: string) => symlinkSync(outsideFile(), join(dir, JOURNAL_FILE))],
    ['the lock is a directory', (dir: string) => mkdirSync(join(dir, LOCK_FILE))],
  ] as const) {
    add(`${what}: refused at once, never opened`, () =>
      ownFileRun({}, plant, refuse(/never acts on it: delete it and rerun|not a file create-go-docker wrote/)),
    );
  }
  add('a lock of 200 KB: refused in one short line', () =>
    ownFileRun(
      {},
      (dir) => writeFileSync(join(dir, LOCK_FILE), JSON.stringify({ ...writer(7), host: 'h'.repeat(200_000), started: 'then' })),
      refuse(/is larger than 4 KiB/),
    ),
  );
  add('a committed temporary file of ours is cleared, a link in its place unlinked (never followed)', () =>
    ownFileRun(
      { '.Dockerfile.create-go-docker.tmp': 'left over' },
      (dir) => symlinkSync(outsideFile(), join(dir, '..dockerignore.create-go-docker.tmp')),
      { mustAccept: true, mode: 'generate' },
    ),
  );
  add('a FIFO at a temporary name of ours is cleared', () =>
    ownFileRun({}, (dir) => spawnSync('mkfifo', [join(dir, '.Dockerfile.create-go-docker.tmp')]), { mustAccept: true, mode: 'generate' }),
  );
  return cases;
}
