// Writing safely: inputs read as regular files only; one writer per directory; a run killed at
// any moment leaves either the old files or the new ones, never a mix, and no temporary file
// once the next run has started; links are never followed; CRLF files keep their endings.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { InputFileError, readInputFile } from '../src/io/read.js';
import { acquireLock, currentBoot, interruptWrites, JOURNAL_FILE, LOCK_FILE, setCommitting } from '../src/write/lock.js';
import { BIN, makeProject, runBin, runCli, SIMPLE_SERVICE, snapshotTree } from './helpers.js';

describe('readInputFile: regular files only, capped, never blocking', () => {
  const dir = makeProject({ 'a.txt': 'hello', 'big.txt': 'x'.repeat(2048), 'sub/x': '' });
  spawnSync('mkfifo', [join(dir, 'pipe')]);
  symlinkSync('missing', join(dir, 'dangling'));
  symlinkSync('a.txt', join(dir, 'link'));
  symlinkSync('/dev/zero', join(dir, 'zero'));
  const reason = (path: string, options = {}) => {
    try {
      readInputFile(join(dir, path), { maxBytes: 1024, ...options });
      return 'read';
    } catch (error) {
      if (error instanceof InputFileError) return error.reason;
      throw error;
    }
  };
  it.each([
    ['a.txt', {}, 'read'],
    ['link', {}, 'read'],
    ['link', { noFollow: true }, 'is a symbolic link'],
    ['pipe', {}, 'is a named pipe, not a regular file'],
    ['zero', {}, 'is a device, not a regular file'],
    ['sub', {}, 'is a directory, not a file'],
    ['dangling', {}, 'is a link to a file that does not exist'],
    ['nothing', {}, 'does not exist'],
    ['big.txt', {}, 'is larger than 1 KiB (2048 bytes)'],
  ])('%s %j: %s', (path, options, expected) => expect(reason(path, options)).toBe(expected));
  it('reads only the first bytes of a large file when asked to', () => {
    expect(readInputFile(join(dir, 'big.txt'), { maxBytes: 10, truncate: true })).toBe('x'.repeat(10));
  });
});

describe('one writer at a time', () => {
  it('a second lock on the same directory is refused while the first is held, and free after', () => {
    const dir = makeProject({});
    const first = acquireLock(dir);
    expect(() => acquireLock(dir)).toThrow(
      /another create-go-docker run is in progress \(pid \d+ on .*; wait for it, or delete \.go-docker\.lock if no run is active/,
    );
    first.release();
    const second = acquireLock(dir);
    second.release();
    expect(existsSync(join(dir, LOCK_FILE))).toBe(false);
  });

  it('a lock left by a process that is gone is taken over', () => {
    const dir = makeProject({});
    const dead = spawnSync('true').pid;
    writeFileSync(join(dir, LOCK_FILE), JSON.stringify({ pid: dead, host: hostname(), boot: currentBoot(), started: 'then' }));
    const lock = acquireLock(dir);
    lock.release();
    expect(readdirSync(dir)).toEqual([]);
  });

  it('the lock is made whole in one step: a run killed while making it leaves only a record file, which the next run removes', () => {
    const dir = makeProject({});
    const dead = spawnSync('true').pid;
    // What a kill between writing the record and linking it to the lock name leaves.
    writeFileSync(
      join(dir, `${LOCK_FILE}.${dead}.tmp`),
      JSON.stringify({ pid: dead, host: hostname(), boot: currentBoot(), started: 'then' }),
    );
    const lock = acquireLock(dir);
    expect(JSON.parse(readFileSync(join(dir, LOCK_FILE), 'utf8'))).toMatchObject({
      pid: process.pid,
      host: hostname(),
      boot: currentBoot(),
    });
    expect(readdirSync(dir).sort()).toEqual([LOCK_FILE]);
    lock.release();
    expect(readdirSync(dir)).toEqual([]);
  });

  it(
    'eight runs started at once on one project: each either writes or says another run is in progress, and the result ' + 'is whole',
    async () => {
      const dir = makeProject(SIMPLE_SERVICE);
      const runs = await Promise.all(
        Array.from(
          { length: 8 },
          (_, index) =>
            new Promise<{ code: number; stderr: string }>((resolve) => {
              const child = spawn(process.execPath, [BIN, '--yes', '--force', '--base', index % 2 ? 'alpine' : 'distroless'], {
                cwd: dir,
                stdio: ['ignore', 'ignore', 'pipe'],
              });
              let stderr = '';
              child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
              child.on('close', (code) => resolve({ code: code ?? -1, stderr }));
            }),
        ),
      );
      for (const run of runs) {
        if (run.code !== 0) expect(run.stderr).toMatch(/another create-go-docker run (is in progress|is starting here)/);
      }
      expect(runs.some((run) => run.code === 0)).toBe(true);
      expect(readdirSync(dir).filter((name) => /tmp|lock|journal/.test(name))).toEqual([]);
      expect((await runCli(['regenerate', '--check'], { cwd: dir })).code).toBe(0);
    },
    60_000,
  );
});

describe('a run killed at any moment', () => {
  it('leaves the old files or the new ones, and the next run cleans up (kill -9 at 40 moments)', async () => {
    const dir = makeProject(SIMPLE_SERVICE);
    expect(runBin(['--yes'], dir).code).toBe(0);
    const bases = ['alpine', 'distroless'];
    let killedMidway = 0;
    for (let attempt = 0; attempt < 40; attempt++) {
      const child = spawn(process.execPath, [BIN, '--yes', '--base', bases[attempt % 2]!], { cwd: dir, stdio: 'ignore' });
      const closed = new Promise((resolve) => child.on('close', resolve));
      // Spread the kills over the run's whole life (start-up, detection, rendering, writing).
      await new Promise((resolve) => setTimeout(resolve, 40 + ((attempt * 37) % 260)));
      const exited = child.exitCode !== null;
      child.kill('SIGKILL');
      await closed;
      if (!exited) killedMidway++;
      // Whatever the moment, the next run sees a consistent project: no hand edit reported.
      const next = runBin(['regenerate'], dir);
      expect(next.stderr, `after kill ${attempt}`).toBe('');
      expect(next.code).toBe(0);
      expect(readdirSync(dir).filter((name) => /create-go-docker\.tmp|\.lock$|\.lock\.\d+\.tmp$|journal/.test(name))).toEqual([]);
      expect(readdirSync(join(dir, 'docker')).filter((name) => /\.tmp$/.test(name))).toEqual([]);
    }
    expect(killedMidway).toBeGreaterThan(10);
  }, 120_000);

  it('Ctrl-C (SIGINT) at any moment never leaves the lock or a journal behind', async () => {
    const dir = makeProject(SIMPLE_SERVICE);
    for (let attempt = 0; attempt < 12; attempt++) {
      const child = spawn(process.execPath, [BIN, '--yes', '--force'], { cwd: dir, stdio: 'ignore' });
      const closed = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
        child.on('close', (code, signal) => resolve({ code, signal })),
      );
      await new Promise((resolve) => setTimeout(resolve, 50 + attempt * 20));
      child.kill('SIGINT');
      const { code, signal } = await closed;
      // 130: our handler released the lock; killed by SIGINT: it came before any lock existed.
      expect(code === 0 || code === 130 || signal === 'SIGINT', `exit ${code} ${signal}`).toBe(true);
      expect(existsSync(join(dir, LOCK_FILE))).toBe(false);
      expect(existsSync(join(dir, JOURNAL_FILE))).toBe(false);
    }
  }, 60_000);

  it('a signal during the renames waits for them, then releases the lock', () => {
    const dir = makeProject({});
    const lock = acquireLock(dir);
    setCommitting(true);
    expect(interruptWrites('SIGTERM')).toBe(false);
    expect(existsSync(join(dir, LOCK_FILE))).toBe(true);
    expect(setCommitting(false)).toBe('SIGTERM');
    expect(interruptWrites('SIGTERM')).toBe(true);
    expect(existsSync(join(dir, LOCK_FILE))).toBe(false);
    lock.release();
  });
});

describe('links and line endings', () => {
  it('an --out directory reached through a link in the project is refused for its link, not written through', async () => {
    const outside = makeProject({});
    const dir = makeProject(SIMPLE_SERVICE);
    mkdirSync(join(dir, 'deploy'));
    symlinkSync(outside, join(dir, 'deploy', 'docker'));
    const before = snapshotTree(outside);
    const result = await runCli(['--yes', '--out', 'deploy'], { cwd: dir });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/deploy\/docker: is a symbolic link; create-go-docker never reads or writes managed files through links/);
    expect(snapshotTree(outside)).toEqual(before);
  });

  it('a CRLF checkout regenerates as unchanged, and a change is written back with CRLF', async () => {
    const dir = makeProject(SIMPLE_SERVICE);
    expect((await runCli(['--yes'], { cwd: dir })).code).toBe(0);
    for (const file of ['Dockerfile', '.dockerignore'])
      writeFileSync(join(dir, file), readFileSync(join(dir, file), 'utf8').replace(/\n/g, '\r\n'));
    expect((await runCli(['regenerate', '--check'], { cwd: dir })).stdout).toContain('ok: every managed file is up to date');
    writeFileSync(
      join(dir, '.go-docker.yaml'),
      readFileSync(join(dir, '.go-docker.yaml'), 'utf8').replace('schemaVersion: 2', 'schemaVersion: 2\nbase: alpine'),
    );
    const result = await runCli(['regenerate'], { cwd: dir });
    expect(result.code).toBe(0);
    const dockerfile = readFileSync(join(dir, 'Dockerfile'), 'utf8');
    expect(dockerfile).toContain('FROM alpine:3.23 AS svc\r\n');
    expect(dockerfile.replace(/\r\n/g, '')).not.toContain('\n');
  });
});
