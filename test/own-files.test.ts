// Our own files are untrusted input (issue 18): a checkout can bring a lock, a journal or a
// temporary file, or put a pipe, a device or a link in their place. None of them can make a run
// touch anything but the files create-go-docker writes, block it, or grow its memory; a run
// that fails leaves the tree as it was; custom block lines survive byte for byte.
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readFileSync, readdirSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { currentBoot, JOURNAL_FILE, LOCK_FILE } from '../src/write/lock.js';
import { BIN, makeProject, runBin, runCli, SIMPLE_SERVICE, snapshotTree } from './helpers.js';

/** A lock record as a run on this machine writes it, with a pid that is gone. */
function deadLock(extra: Record<string, unknown> = {}): string {
  const dead = spawnSync('true').pid;
  return JSON.stringify({ pid: dead, host: hostname(), boot: currentBoot(), started: '2026-12-01T00:00:00.000Z', ...extra });
}

/** What a repository brings: files older than the 10 s a starting run gets. */
function backdate(dir: string, ...names: string[]): void {
  const old = new Date(Date.now() - 3600_000);
  for (const name of names) utimesSync(join(dir, name), old, old);
}

const ownFiles = (dir: string) => readdirSync(dir).filter((name) => /create-go-docker\.tmp$|^\.go-docker\.(lock|journal)/.test(name));

describe('a journal or lock the checkout brought is never acted on', () => {
  const hook = '#!/bin/sh\ntouch /tmp/pwned\n';

  it.each([
    ['an unparsable lock', 'not json'],
    ['a lock naming another machine', JSON.stringify({ pid: 4242, host: 'ci-runner-7', boot: currentBoot(), started: 'then' })],
    [
      'a lock naming this host but another boot',
      JSON.stringify({ pid: 4242, host: hostname(), boot: '00000000-0000-0000-0000-000000000000', started: 'then' }),
    ],
    ['a lock of the old format (no boot)', JSON.stringify({ pid: 4242, host: hostname(), started: 'then', temps: [] })],
  ])('%s with a journal that plants a git hook: refused, nothing moved', async (_name, lock) => {
    const dir = makeProject({ ...SIMPLE_SERVICE, payload: hook, '.git/hooks/.keep': '' });
    chmodSync(join(dir, 'payload'), 0o755);
    writeFileSync(join(dir, LOCK_FILE), lock);
    writeFileSync(join(dir, JOURNAL_FILE), JSON.stringify({ renames: [['payload', '.git/hooks/post-checkout']] }));
    backdate(dir, LOCK_FILE, JOURNAL_FILE);
    const before = snapshotTree(dir);
    const result = await runCli(['--yes'], { cwd: dir });
    expect(result.code).toBe(1);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toMatch(/never acts on it: (if no run is active, )?delete \.go-docker\.lock( and \.go-docker\.journal)?/);
    expect(existsSync(join(dir, '.git/hooks/post-checkout'))).toBe(false);
    expect(snapshotTree(dir)).toEqual(before);
  });

  it('a journal without any lock (no run of ours leaves one) is refused, naming it', async () => {
    const dir = makeProject({ ...SIMPLE_SERVICE, payload: hook });
    writeFileSync(
      join(dir, JOURNAL_FILE),
      JSON.stringify({ pid: 4242, host: hostname(), boot: currentBoot(), renames: [['.Dockerfile.create-go-docker.tmp', 'Dockerfile']] }),
    );
    writeFileSync(join(dir, '.Dockerfile.create-go-docker.tmp'), 'FROM evil\n');
    const before = snapshotTree(dir);
    const result = await runCli(['--yes'], { cwd: dir });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(
      /\.go-docker\.journal: was not written by a create-go-docker run on this machine .*delete it and rerun\.\n$/,
    );
    expect(snapshotTree(dir)).toEqual(before);
  });

  // Even a lock that is this machine's (a crashed run of ours) cannot widen what its journal moves.
  it.each([
    ['to a git hook', [['payload', '.git/hooks/post-checkout']]],
    ['a temporary name to a path we never write', [['.payload.create-go-docker.tmp', 'payload']]],
    ['our temporary name to another managed name', [['.Dockerfile.create-go-docker.tmp', '.dockerignore']]],
    ['through a directory link to outside', [['link/.Dockerfile.create-go-docker.tmp', 'link/Dockerfile']]],
    ['an absolute path', [['/etc/passwd', 'Dockerfile']]],
    ['a parent path', [['../outside', 'Dockerfile']]],
  ])('a journal of a dead run of ours that renames %s: refused, nothing moved', async (_name, renames) => {
    const outside = makeProject({ Dockerfile: 'outside\n', '.Dockerfile.create-go-docker.tmp': 'x' });
    const dir = makeProject({ ...SIMPLE_SERVICE, payload: hook, '.payload.create-go-docker.tmp': 'x', '.git/hooks/.keep': '' });
    symlinkSync(outside, join(dir, 'link'));
    const lock = deadLock();
    const { pid } = JSON.parse(lock) as { pid: number };
    writeFileSync(join(dir, LOCK_FILE), lock);
    writeFileSync(join(dir, JOURNAL_FILE), JSON.stringify({ pid, host: hostname(), boot: currentBoot(), renames }));
    const before = [snapshotTree(dir), snapshotTree(outside)];
    const result = await runCli(['--yes'], { cwd: dir });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/\.go-docker\.journal: .*(not a file create-go-docker writes|symbolic link)/);
    expect([snapshotTree(dir), snapshotTree(outside)]).toEqual(before);
  });

  it('a journal of a dead run of ours that names only our own renames is finished', async () => {
    const dir = makeProject(SIMPLE_SERVICE);
    expect((await runCli(['--yes'], { cwd: dir })).code).toBe(0);
    const lock = deadLock();
    const { pid } = JSON.parse(lock) as { pid: number };
    const edited = readFileSync(join(dir, 'Dockerfile'), 'utf8');
    writeFileSync(join(dir, '.Dockerfile.create-go-docker.tmp'), edited);
    writeFileSync(join(dir, LOCK_FILE), lock);
    writeFileSync(
      join(dir, JOURNAL_FILE),
      JSON.stringify({ pid, host: hostname(), boot: currentBoot(), renames: [['.Dockerfile.create-go-docker.tmp', 'Dockerfile']] }),
    );
    const result = await runCli(['regenerate'], { cwd: dir });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain('finished the writes of an interrupted run');
    expect(ownFiles(dir)).toEqual([]);
  });

  it("a dead lock's other fields (an old temps list) make it delete nothing: go.sum and a linked file stay", async () => {
    const outside = makeProject({ secret: 'keep me' });
    const dir = makeProject(SIMPLE_SERVICE);
    symlinkSync(join(outside, 'secret'), join(dir, 'linked'));
    writeFileSync(join(dir, LOCK_FILE), deadLock({ temps: ['go.sum', 'linked', 'main.go'] }));
    const result = await runCli(['--yes'], { cwd: dir });
    expect(result.code, result.stderr).toBe(0);
    expect(readFileSync(join(dir, 'go.sum'), 'utf8')).toBe(SIMPLE_SERVICE['go.sum']);
    expect(readFileSync(join(outside, 'secret'), 'utf8')).toBe('keep me');
    expect(existsSync(join(dir, 'linked'))).toBe(true);
  });

  it.each([200_000, 300])('a lock with a %i-character field gives a one-line error of ordinary length', async (length) => {
    const dir = makeProject(SIMPLE_SERVICE);
    writeFileSync(join(dir, LOCK_FILE), JSON.stringify({ pid: 4242, host: 'h'.repeat(length), boot: currentBoot(), started: 'then' }));
    backdate(dir, LOCK_FILE);
    const result = await runCli(['--yes'], { cwd: dir });
    expect(result.code).toBe(1);
    expect(result.stderr.length).toBeLessThan(400);
    expect(result.stderr).toMatch(/never acts on it: (if no run is active, )?delete (it|\.go-docker\.lock) and rerun/);
  });

  it('a committed temporary file of ours is cleared (never followed), and the run writes', async () => {
    const outside = makeProject({ target: 'outside' });
    const dir = makeProject({
      ...SIMPLE_SERVICE,
      '.Dockerfile.create-go-docker.tmp': 'left over',
      'docker/.daemon.json.create-go-docker.tmp': 'x',
    });
    symlinkSync(join(outside, 'target'), join(dir, '..go-docker.yaml.create-go-docker.tmp'));
    symlinkSync(join(outside, 'target'), join(dir, '..dockerignore.create-go-docker.tmp'));
    const result = await runCli(['--yes'], { cwd: dir });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/removed \d leftover temporary files of an interrupted run/);
    expect(ownFiles(dir)).toEqual([]);
    expect(readFileSync(join(outside, 'target'), 'utf8')).toBe('outside');
  });
});

describe('pipes, devices and links in place of our own files neither block nor grow', () => {
  const cases: [string, (dir: string) => void][] = [
    ['the lock is a FIFO', (dir) => spawnSync('mkfifo', [join(dir, LOCK_FILE)])],
    ['the journal is a FIFO', (dir) => spawnSync('mkfifo', [join(dir, JOURNAL_FILE)])],
    ['the lock links to /dev/zero', (dir) => symlinkSync('/dev/zero', join(dir, LOCK_FILE))],
    ['the journal links to /dev/zero', (dir) => symlinkSync('/dev/zero', join(dir, JOURNAL_FILE))],
    ['the lock is a directory', (dir) => mkdirSync(join(dir, LOCK_FILE))],
    [
      'the journal is a FIFO beside a dead lock of ours',
      (dir) => (writeFileSync(join(dir, LOCK_FILE), deadLock()), spawnSync('mkfifo', [join(dir, JOURNAL_FILE)])),
    ],
    [
      'the journal links to /dev/zero beside a dead lock of ours',
      (dir) => {
        writeFileSync(join(dir, LOCK_FILE), deadLock());
        symlinkSync('/dev/zero', join(dir, JOURNAL_FILE));
      },
    ],
    ['a temporary name is a FIFO', (dir) => spawnSync('mkfifo', [join(dir, '.Dockerfile.create-go-docker.tmp')])],
    ["the journal's temporary name is a FIFO", (dir) => spawnSync('mkfifo', [join(dir, `${JOURNAL_FILE}.tmp`)])],
    ["the lock record's temporary name is a link", (dir) => symlinkSync('/dev/zero', join(dir, `${LOCK_FILE}.${process.pid}.tmp`))],
  ];
  it.each(cases)(
    '%s: the bundled CLI ends within seconds with one line, or writes',
    (_name, plant) => {
      const dir = makeProject(SIMPLE_SERVICE);
      plant(dir);
      const before = snapshotTree(dir);
      const started = Date.now();
      const result = spawnSync(process.execPath, [BIN, '--yes'], { cwd: dir, encoding: 'utf8', timeout: 10_000 });
      expect(Date.now() - started).toBeLessThan(8000);
      expect(result.signal).toBeNull();
      if (result.status === 0) {
        expect(existsSync(join(dir, 'Dockerfile'))).toBe(true);
      } else {
        expect(result.status).toBe(1);
        expect(result.stderr.trim().split('\n')).toHaveLength(1);
        expect(result.stderr).toMatch(/(delete it|move it away) and rerun|delete \.go-docker\.lock/);
        expect(snapshotTree(dir)).toEqual(before);
      }
    },
    15_000,
  );

  it('SIGTERM stops a run at once, whatever it is reading (FIFOs in every own name)', async () => {
    for (const delay of [30, 120, 300]) {
      const dir = makeProject(SIMPLE_SERVICE);
      for (const name of [LOCK_FILE, JOURNAL_FILE]) spawnSync('mkfifo', [join(dir, name)]);
      const child = spawn(process.execPath, [BIN, '--yes'], { cwd: dir, stdio: 'ignore' });
      const closed = new Promise<number>((resolve) => child.on('close', () => resolve(Date.now())));
      await new Promise((resolve) => setTimeout(resolve, delay));
      const sent = Date.now();
      child.kill('SIGTERM');
      expect((await closed) - sent).toBeLessThan(1000);
    }
  }, 20_000);
});

describe('custom blocks byte for byte', () => {
  const generatedProject = async (): Promise<string> => {
    const dir = makeProject(SIMPLE_SERVICE);
    expect((await runCli(['--yes'], { cwd: dir })).code).toBe(0);
    return dir;
  };
  /** Puts raw bytes as the body of a custom block, keeping everything else as it is. */
  const fillBlock = (dir: string, block: string, body: Buffer): void => {
    const text = readFileSync(join(dir, 'Dockerfile'));
    const marker = Buffer.from(`# custom:end ${block}`);
    const at = text.indexOf(marker);
    const lineStart = text.lastIndexOf(0x0a, at - 1) + 1;
    writeFileSync(join(dir, 'Dockerfile'), Buffer.concat([text.subarray(0, lineStart), body, text.subarray(lineStart)]));
  };
  const regenerateWithChange = async (dir: string): Promise<void> => {
    const answers = join(dir, '.go-docker.yaml');
    writeFileSync(answers, readFileSync(answers, 'utf8').replace('schemaVersion: 2', 'schemaVersion: 2\nbase: alpine'));
    const result = await runCli(['regenerate'], { cwd: dir });
    expect(result.code, result.stderr).toBe(0);
    expect(readFileSync(join(dir, 'Dockerfile'), 'latin1')).toContain('FROM alpine');
  };

  it('bytes that are not UTF-8 (Latin-1, a lone continuation byte, an encoded surrogate) are kept', async () => {
    const dir = await generatedProject();
    const body = Buffer.concat([
      Buffer.from('# caf'),
      Buffer.from([0xe9]),
      Buffer.from(' \x80 '),
      Buffer.from([0xed, 0xa0, 0x80]),
      Buffer.from(' \ufffd 中文\n'),
    ]);
    fillBlock(dir, 'build-setup', body);
    await regenerateWithChange(dir);
    expect(readFileSync(join(dir, 'Dockerfile')).includes(body)).toBe(true);
    expect((await runCli(['regenerate', '--check'], { cwd: dir })).code).toBe(0);
  });

  it('a CRLF line pasted into a block of an LF file stays CRLF, and only it', async () => {
    const dir = await generatedProject();
    fillBlock(dir, 'build-setup', Buffer.from('RUN echo pasted\r\nRUN echo typed\n'));
    await regenerateWithChange(dir);
    const text = readFileSync(join(dir, 'Dockerfile'), 'utf8');
    expect(text).toContain('RUN echo pasted\r\nRUN echo typed\n');
    expect(text.match(/\r\n/g)).toHaveLength(1);
  });

  it('an LF line in a block of a CRLF file stays LF, empty lines and trailing blanks too', async () => {
    const dir = await generatedProject();
    writeFileSync(join(dir, 'Dockerfile'), readFileSync(join(dir, 'Dockerfile'), 'utf8').replace(/\n/g, '\r\n'));
    const body = Buffer.from('RUN echo lf\n\r\n  \t\r\n\n');
    fillBlock(dir, 'build-setup', body);
    await regenerateWithChange(dir);
    const bytes = readFileSync(join(dir, 'Dockerfile'));
    expect(bytes.includes(body)).toBe(true);
    expect(bytes.toString('utf8').replace(body.toString('utf8'), '').replace(/\r\n/g, '')).not.toContain('\n');
  });

  it('--force keeps the old file whole in .orig, byte for byte', async () => {
    const dir = await generatedProject();
    const body = Buffer.concat([Buffer.from('RUN echo \xff'.slice(0, 10)), Buffer.from([0xff, 0xfe]), Buffer.from('\r\n')]);
    fillBlock(dir, 'build-setup', body);
    const handEdited = Buffer.concat([readFileSync(join(dir, 'Dockerfile')), Buffer.from('RUN echo hand edit\n')]);
    writeFileSync(join(dir, 'Dockerfile'), handEdited);
    const result = await runCli(['--yes', '--force'], { cwd: dir });
    expect(result.code, result.stderr).toBe(0);
    expect(readFileSync(join(dir, 'Dockerfile.orig')).equals(handEdited)).toBe(true);
    expect(readFileSync(join(dir, 'Dockerfile')).includes(body)).toBe(true);
  });

  it('--force refuses to drop a block the user named, naming it, and changes nothing', async () => {
    const dir = await generatedProject();
    const text = readFileSync(join(dir, 'Dockerfile'), 'utf8');
    writeFileSync(join(dir, 'Dockerfile'), `${text}# custom:begin mine\nRUN echo mine\n# custom:end mine\n`);
    const before = snapshotTree(dir);
    for (const argv of [
      ['--yes', '--force'],
      ['regenerate', '--force'],
    ]) {
      const result = await runCli(argv, { cwd: dir });
      expect(result.code).toBe(1);
      expect(result.stderr).toContain(
        'the new version has no custom block "mine", so its lines would be lost; not overwritten: move them into a block the new',
      );
      expect(snapshotTree(dir)).toEqual(before);
    }
  });
});

describe('a run that fails leaves nothing behind (real disk full on a small tmpfs)', () => {
  const root = process.getuid?.() === 0;
  it.runIf(root)(
    'at every point a write can run out of space or inodes: one line, the tree as it was, then the next run works',
    () => {
      const mount = makeProject({});
      const outcomes = { wrote: 0, refused: 0 };
      try {
        for (const [kind, limit] of [
          ['size', 'size=1m'],
          ['inodes', 'nr_inodes=64'],
        ] as const) {
          for (let free = 0; free <= 14; free++) {
            const status = spawnSync('mount', ['-t', 'tmpfs', '-o', limit, 'tmpfs', mount]);
            expect(status.status, String(status.stderr)).toBe(0);
            try {
              const dir = join(mount, 'svc');
              mkdirSync(dir);
              for (const [path, content] of Object.entries(SIMPLE_SERVICE)) writeFileSync(join(dir, path), content);
              // Leave exactly `free` pages (or inodes) of room.
              const stats = spawnSync('stat', ['-f', '-c', kind === 'size' ? '%a %S' : '%d', mount], { encoding: 'utf8' })
                .stdout.trim()
                .split(' ')
                .map(Number);
              if (kind === 'size') {
                const [available, block] = stats as [number, number];
                if (available > free) writeFileSync(join(mount, 'filler'), Buffer.alloc((available - free) * block));
              } else {
                const [available] = stats as [number];
                for (let index = 0; index < available - free; index++) writeFileSync(join(mount, `f${index}`), '');
              }
              const before = snapshotTree(dir);
              const result = runBin(['--yes'], dir);
              if (result.code === 0) {
                outcomes.wrote++;
                expect(existsSync(join(dir, '.go-docker.yaml'))).toBe(true);
              } else {
                outcomes.refused++;
                expect(result.code, `${kind} ${free}: ${result.stderr}`).toBe(1);
                expect(result.stderr.trim().split('\n'), result.stderr).toHaveLength(1);
                expect(result.stderr).toMatch(/no space left on the device \(ENOSPC\); free some space and rerun/);
                expect(result.stderr).not.toContain('internal error');
                expect(snapshotTree(dir), `${kind} ${free}: ${result.stderr}`).toEqual(before);
              }
              spawnSync('sh', ['-c', `rm -rf ${mount}/filler ${mount}/f*`]);
              const next = runBin(['--yes'], dir);
              expect(next.code, `${kind} ${free}, next run: ${next.stderr}`).toBe(0);
              expect(ownFiles(dir)).toEqual([]);
            } finally {
              spawnSync('umount', [mount]);
            }
          }
        }
      } finally {
        spawnSync('umount', [mount]);
      }
      // Both outcomes happened: the scan crossed every write point from none possible to all.
      expect(outcomes.refused).toBeGreaterThan(4);
      expect(outcomes.wrote).toBeGreaterThan(2);
    },
    240_000,
  );
});
