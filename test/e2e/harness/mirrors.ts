// Public repositories from their mirrors (MIRROR_DIR/owner+name/repo, bare git directories that
// the fetch tool brings), for the scripts that build them: bench:build's real repositories and
// real-images. Their modules come from this machine's Go module proxy once, into a module cache
// served as the builds' GOPROXY (the same file layout as the e2e suite's).
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { CACHE_DIR } from './index.js';
import { run } from './servers.js';

const MIRRORS = process.env.MIRROR_DIR ?? '/work/.mirror';

/** The mirror's git directory of owner/name. */
export function mirrorOf(repo: string): string {
  return join(MIRRORS, repo.replace('/', '+'), 'repo');
}

/** The repository at its mirror's HEAD in a new directory, with placeholder files its own build would make first. */
export function exportMirror(repo: string, placeholders: readonly string[] = []): { dir: string; commit: string } {
  const gitDir = mirrorOf(repo);
  const dir = mkdtempSync(join(tmpdir(), `cgd-${repo.replace('/', '-')}-`));
  run('sh', ['-c', 'git --git-dir "$1" archive HEAD | tar -x -C "$2"', 'sh', gitDir, dir]);
  for (const placeholder of placeholders) {
    mkdirSync(dirname(join(dir, placeholder)), { recursive: true });
    writeFileSync(join(dir, placeholder), '<!doctype html><title>placeholder</title>\n');
  }
  return { dir, commit: run('git', ['--git-dir', gitDir, 'rev-parse', 'HEAD']).trim() };
}

/** The module cache that holds every module these checkouts need; its download folder is a GOPROXY. */
export function mirrorModules(dirs: readonly string[]): { modcache: string; downloadDir: string } {
  const modcache = join(CACHE_DIR, 'mirror-modcache');
  for (const dir of dirs) {
    run('go', ['mod', 'download'], { cwd: dir, env: { ...process.env, GOMODCACHE: modcache, GOFLAGS: '-modcacherw', GOWORK: 'off' } });
  }
  return { modcache, downloadDir: join(modcache, 'cache', 'download') };
}
