// Public repositories from their mirrors (MIRROR_DIR/owner+name/repo, bare git directories that
// the fetch tool brings), for the scripts that build them: bench:build's real repositories and
// real-images. Their modules come from this machine's Go module proxy once, into a module cache
// served as the builds' GOPROXY (the same file layout as the e2e suite's).
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { CACHE_DIR } from './index.js';
import { run } from './servers.js';

const MIRRORS = process.env.MIRROR_DIR ?? '/work/.mirror';

/** The mirror's git directory of owner/name. */
export function mirrorOf(repo: string): string {
  return join(MIRRORS, repo.replace('/', '+'), 'repo');
}

export interface MirrorExport {
  dir: string;
  commit: string;
  /** Files the mirror lists but does not hold (a large blob it was not given), left out of the export. */
  absent: string[];
}

/**
 * The repository at its mirror's HEAD in a new directory, with placeholder files its own build
 * would make first. A file whose blob the mirror lacks is left out and named; any other failure
 * of git archive throws "export failed: <git's first line>".
 */
export function exportMirror(repo: string, placeholders: readonly string[] = []): MirrorExport {
  const gitDir = mirrorOf(repo);
  const git = (args: readonly string[]) =>
    spawnSync('git', ['--git-dir', gitDir, ...args], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  const dir = mkdtempSync(join(tmpdir(), `cgd-${repo.replace('/', '-')}-`));
  const tar = `${dir}.tar`;
  const absent: string[] = [];
  let archive = git(['archive', '-o', tar, 'HEAD']);
  // git prints the error even when the path is left out, so only a failed run is retried.
  const missingIn = (stderr: string) => /invalid object \S+ \S+ for '([^']+)'/.exec(stderr);
  for (let missing = missingIn(archive.stderr); archive.status !== 0 && missing && absent.length < 20;) {
    absent.push(missing[1]!);
    archive = git(['archive', '-o', tar, 'HEAD', '--', '.', ...absent.map((path) => `:!${path}`)]);
    missing = missingIn(archive.stderr);
  }
  try {
    if (archive.status !== 0) {
      rmSync(dir, { recursive: true, force: true });
      throw new Error(`export failed: ${archive.stderr.trim().split('\n')[0] ?? ''}`);
    }
    run('tar', ['-xf', tar, '-C', dir]);
  } finally {
    rmSync(tar, { force: true });
  }
  for (const placeholder of placeholders) {
    mkdirSync(dirname(join(dir, placeholder)), { recursive: true });
    writeFileSync(join(dir, placeholder), '<!doctype html><title>placeholder</title>\n');
  }
  return { dir, commit: git(['rev-parse', 'HEAD']).stdout.trim(), absent };
}

/** The module cache that holds every module these checkouts need; its download folder is a GOPROXY. */
export function mirrorModules(dirs: readonly string[]): { modcache: string; downloadDir: string } {
  const modcache = join(CACHE_DIR, 'mirror-modcache');
  for (const dir of dirs) {
    run('go', ['mod', 'download'], { cwd: dir, env: { ...process.env, GOMODCACHE: modcache, GOFLAGS: '-modcacherw', GOWORK: 'off' } });
  }
  return { modcache, downloadDir: join(modcache, 'cache', 'download') };
}
