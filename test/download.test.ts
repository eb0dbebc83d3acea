// The download step's module list, computed by the awk program in the generated Dockerfile and
// run here as the builder images run it: mawk (Debian's awk, in golang:*-bookworm) and BusyBox
// awk (Alpine's, in golang:*-alpine). What `go mod download` would fetch, never a module go.sum
// does not vouch for.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseGoMod } from '../src/detect/gomod.js';
import { makeProject, runCli } from './helpers.js';

const FIXTURES = join(import.meta.dirname, 'fixtures');
const AWKS: { name: string; command: string[] }[] = [
  { name: 'mawk', command: ['awk'] },
  ...(existsSync('/bin/busybox') ? [{ name: 'busybox awk', command: ['/bin/busybox', 'awk'] }] : []),
];

/** The shell text of the download step that writes /tmp/modules, as the builder's shell gets it. */
function listCommand(dockerfile: string): string {
  const joined = dockerfile.replace(/\\\n/g, '');
  const step = joined.split('\n').find((line) => line.startsWith('RUN ') && line.includes('go mod download'));
  if (!step) throw new Error('no download step');
  const command = /(awk '.*?'(?:\s+[^\s>]+)+)\s+> \/tmp\/modules/.exec(step);
  if (!command) throw new Error(`no module list in: ${step}`);
  return command[1]!;
}

/** Generates for the files, then runs the step's list command with each awk in that directory. */
async function moduleList(files: Record<string, string>): Promise<{ dockerfile: string; lists: Map<string, string[]> }> {
  const dir = makeProject(files);
  const result = await runCli(['--yes'], { cwd: dir });
  expect(result.code, result.stderr).toBe(0);
  const dockerfile = readFileSync(join(dir, 'Dockerfile'), 'utf8');
  const command = listCommand(dockerfile);
  const lists = new Map<string, string[]>();
  for (const awk of AWKS) {
    // The program's own words, with the awk of that image in front.
    const run = spawnSync('sh', ['-c', command.replace(/^awk /, `${awk.command.join(' ')} `)], { cwd: dir, encoding: 'utf8' });
    expect(run.stderr, awk.name).toBe('');
    expect(run.status, awk.name).toBe(0);
    lists.set(awk.name, run.stdout.split('\n').filter(Boolean).sort());
  }
  return { dockerfile, lists };
}

function fixtureFiles(name: string): Record<string, string> {
  const read = (file: string) => readFileSync(join(FIXTURES, name, file), 'utf8');
  return {
    'go.mod': read('go.mod'),
    'go.sum': read('go.sum'),
    'main.go': read('main.go'),
    'internal/notes/notes.go': read('internal/notes/notes.go'),
  };
}

const MAIN = 'package main\n\nfunc main() {}\n';

describe('download step: what go mod download would fetch, from go.mod and go.sum alone', () => {
  it('gin: the 30 modules go.mod requires, not the 37 go.sum vouches for', async () => {
    const files = fixtureFiles('gin');
    const { lists } = await moduleList(files);
    const required = parseGoMod(files['go.mod']!)
      .requires.map((requirement) => `${requirement.path}@${requirement.version}`)
      .sort();
    const zips = new Set(
      files['go.sum']!.split('\n')
        .filter((line) => line && !line.split(' ')[1]!.endsWith('/go.mod'))
        .map((line) => line.split(' ').slice(0, 2).join('@')),
    );
    expect(required).toHaveLength(30);
    expect(zips.size).toBe(37);
    for (const [awk, list] of lists) expect(list, awk).toEqual(required);
  });

  it('replace targets, local replacements, unvouched modules, comments, quotes and CRLF', async () => {
    const goMod = [
      'module example.com/m',
      '',
      'go 1.22',
      '',
      'require "a.com/quoted" v1.0.0',
      'require b.com/one v1.1.0 // indirect',
      '',
      'require (',
      '\tc.com/x v1.2.0',
      '\td.com/local v0.0.0',
      '\te.com/forked v1.0.0 // indirect',
      '\tf.com/specific v1.0.0',
      '\tg.com/other v1.5.0',
      '\th.com/unvouched v1.0.0',
      ')',
      '',
      'replace d.com/local => ./local',
      'replace (',
      '\te.com/forked => fork.com/forked v1.0.1',
      '\tf.com/specific v1.0.0 => fork.com/specific v2.0.0',
      '\tg.com/other v9.9.9 => fork.com/other v1.0.0 // another version: not this one',
      ')',
      'retract (',
      '\tv0.1.0 // published by mistake',
      ')',
      '',
    ].join('\r\n');
    const goSum = [
      'a.com/quoted v1.0.0 h1:x=',
      'b.com/one v1.1.0 h1:x=',
      'c.com/x v1.1.0 h1:x=',
      'c.com/x v1.2.0 h1:x=',
      'c.com/x v1.2.0/go.mod h1:x=',
      'e.com/forked v1.0.0 h1:x=',
      'fork.com/forked v1.0.1 h1:x=',
      'fork.com/specific v2.0.0 h1:x=',
      'fork.com/other v1.0.0 h1:x=',
      'g.com/other v1.5.0 h1:x=',
      'h.com/unvouched v1.0.0/go.mod h1:x=',
      'z.com/tests-only v1.0.0 h1:x=',
      '',
    ].join('\r\n');
    const { lists } = await moduleList({ 'go.mod': goMod, 'go.sum': goSum, 'main.go': MAIN, 'local/go.mod': 'module d.com/local\n' });
    for (const [awk, list] of lists) {
      expect(list, awk).toEqual([
        'a.com/quoted@v1.0.0',
        'b.com/one@v1.1.0',
        'c.com/x@v1.2.0',
        'fork.com/forked@v1.0.1',
        'fork.com/specific@v2.0.0',
        'g.com/other@v1.5.0',
      ]);
    }
  });

  it("a workspace: every module's requirements, vouched by any go.sum or go.work.sum; go.work's replace wins", async () => {
    const { dockerfile, lists } = await moduleList({
      'go.work': 'go 1.26\n\nuse (\n\t./api\n\t./server\n)\n\nreplace b.com/lib => fork.com/lib v1.0.1\n',
      'go.work.sum': 'c.com/tool v0.3.0 h1:x=\n',
      'api/go.mod': 'module example.com/api\n\ngo 1.26\n\nrequire a.com/types v1.0.0\n',
      'api/go.sum': 'a.com/types v1.0.0 h1:x=\n',
      'api/api.go': 'package api\n',
      'server/go.mod':
        'module example.com/server\n\ngo 1.26\n\nrequire (\n\texample.com/api v0.0.0\n\tb.com/lib v1.0.0\n\tc.com/tool ' +
        'v0.3.0\n)\n\nreplace b.com/lib => other.com/lib v9.0.0\n',
      'server/go.sum': 'b.com/lib v1.0.0 h1:x=\nfork.com/lib v1.0.1 h1:x=\nother.com/lib v9.0.0 h1:x=\n',
      'server/main.go': MAIN,
    });
    expect(dockerfile).toContain(' api/go.sum server/go.sum go.work.sum api/go.mod server/go.mod go.work > /tmp/modules');
    for (const [awk, list] of lists) expect(list, awk).toEqual(['a.com/types@v1.0.0', 'c.com/tool@v0.3.0', 'fork.com/lib@v1.0.1']);
  });

  it('before go 1.17 (no module graph pruning): every module go.sum vouches for', async () => {
    const { dockerfile, lists } = await moduleList({
      'go.mod': 'module example.com/old\n\ngo 1.16\n\nrequire a.com/x v1.0.0\n',
      'go.sum':
        'a.com/x v1.0.0 h1:x=\na.com/x v1.0.0/go.mod h1:x=\n\nb.com/deep v0.1.0 h1:x=\nb.com/deep v0.1.0/go.mod ' +
        'h1:x=\nc.com/graph-only v0.2.0/go.mod h1:x=\n',
      'main.go': MAIN,
    });
    expect(dockerfile).toMatch(/before go 1\.17, go\.mod need not list every module the build uses/);
    for (const [awk, list] of lists) expect(list, awk).toEqual(['a.com/x@v1.0.0', 'b.com/deep@v0.1.0']);
    // The module graph's go.mod files, fetched by go mod graph (no zips) so that deps-list's go
    // list (GOPROXY=off) can read the whole graph, as the go command before 1.17 does.
    // First into the mount (linked as the module cache's download directory), then, from it
    // alone, into the layer.
    const step = dockerfile.replace(/\\\n/g, '');
    const graph = ' && go mod graph -C "$(dirname go.mod)" > /dev/null ';
    expect(step).toContain(`; fi ${graph} && if [ -L /go/pkg/mod/cache/download ]; then rm`);
    expect(step).toContain(`GONOPROXY=none  && if [ -s /tmp/modules ]; then go mod download $(cat /tmp/modules); fi ${graph} && find`);
  });

  it('go.sum vouches for none of the requirements: an empty list, and the step fetches nothing', async () => {
    const { dockerfile, lists } = await moduleList({
      'go.mod': 'module example.com/m\n\ngo 1.26\n\nrequire a.com/x v1.0.0\n',
      'go.sum': '',
      'main.go': MAIN,
    });
    for (const [awk, list] of lists) expect(list, awk).toEqual([]);
    // Without this guard, go mod download would fetch every requirement, vouched for or not.
    const guarded = ' && if [ -s /tmp/modules ]; then go mod download $(cat /tmp/modules); fi \\\n';
    expect(dockerfile.split(guarded)).toHaveLength(3);
    expect(dockerfile).not.toMatch(/^ && go mod download/m);
  });
});
