// scripts/real-repos.ts reads the default image back out of a generated Dockerfile; these pin
// that reading on fixtures' Dockerfiles, and the argument shapes it compares.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { argShape, compare } from '../scripts/real-repos/compare.js';
import { parseDefaultImage } from '../scripts/real-repos/dockerfile.js';
import { REPO_ROOT, runCli } from './helpers.js';

async function defaultImage(fixture: string) {
  const result = await runCli(['--yes', '--dry-run', '--force', '--json'], { cwd: join(REPO_ROOT, 'test', 'fixtures', fixture) });
  const output = JSON.parse(result.stdout) as { files: { path: string; content: string }[] };
  return parseDefaultImage(output.files.find((file) => file.path === 'Dockerfile')!.content);
}

describe('real-repos: reading the default image', () => {
  it('takes the last stage, its binary, the build line’s package and tags, EXPOSE and CMD', async () => {
    const image = await defaultImage('tagged');
    expect(image.binaries).toEqual([{ name: 'probe', pkg: './cmd/probe', cgo: false, tags: ['withbanner'] }]);
    expect(image.ports).toEqual([7070]);
    expect(image.cmd).toEqual(['--listen=0.0.0.0:7070']);
  });

  it('reads cgo from the binary’s own stage, and the default image among several', async () => {
    expect((await defaultImage('cgo')).binaries[0]?.cgo).toBe(true);
    const multi = await defaultImage('multi');
    expect(multi.binaries.map((binary) => binary.pkg)).toEqual(['./cmd/api']);
    expect(multi.ports).toEqual([8080]);
  });

  it('compares arguments by shape and names each mismatch', async () => {
    expect(argShape(['serve', '--http=0.0.0.0:8090'])).toBe(argShape(['serve', '--http', ':8090']));
    expect(argShape(['-c', 'config/', '/data'])).toBe('--c +1 positional');
    const image = await defaultImage('loopback');
    const want = {
      repo: 'x/y',
      commit: '',
      main: '.',
      ports: [8080],
      args: ['--address=::'],
      cgo: false,
      tags: [],
      evidence: [],
      limit: '',
    };
    expect(compare(want, image)).toEqual([]);
    expect(compare({ ...want, main: './cmd/x', cgo: true, tags: ['netgo'] }, image).map((m) => m.field)).toEqual(['main', 'cgo', 'tags']);
  });
});
