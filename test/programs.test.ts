// Programs a main runs (issue 21, class 9): one Go fixture per entry of PROGRAM_RECOGNIZERS, the
// own-module closure, what each runtime can hold (PROGRAM_PACKAGES), and what --yes and a chosen
// base write.
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyzePackages } from '../src/detect/analyze.js';
import { findPrograms, OTHER_SYSTEM_PROGRAMS, PROGRAM_RECOGNIZERS } from '../src/detect/programs.js';
import { PROGRAM_PACKAGES, runtimePrograms } from '../src/plan/programs.js';
import { makeProject, runCli } from './helpers.js';

const FIXTURES: Record<string, { go: string; programs: string[] }> = {
  'exec.Command': { go: 'out, err := exec.Command("git", "rev-parse", "HEAD").Output()', programs: ['git'] },
  'exec.CommandContext': { go: 'cmd := exec.CommandContext(r.Context(), "ffmpeg", "-i", in, out)', programs: ['ffmpeg'] },
  'exec.LookPath': { go: 'if _, err := exec.LookPath("docker"); err != nil {\n\treturn err\n}', programs: ['docker'] },
  'shell -c command': { go: 'exec.Command("/bin/sh", "-c", "rsync -a src/ dst/").Run()', programs: ['sh', 'rsync'] },
  'process start': { go: 'syscall.Exec("/usr/bin/ssh", args, os.Environ())', programs: ['ssh'] },
  'wrapper call': {
    go:
      'goJSON(&env, "go", "env", "-json")\n\trun("git", "pull")\n}\n\nfunc goJSON(dst any, command ...string) error {\n' +
      '\tcmd := exec.Command(command[0], command[1:]...)\n\treturn cmd.Run()\n}\n\n' +
      'func run(name string, args ...string) error {\n\treturn exec.CommandContext(ctx, name, args...).Run()',
    programs: ['go', 'git'],
  },
};

const file = (go: string) => [{ path: 'main.go', text: `package main\n\nfunc run() {\n\t${go}\n}\n` }];

describe('PROGRAM_RECOGNIZERS: one named entry per idiom, each with its fixture', () => {
  it('every entry has a fixture here, and every fixture an entry', () => {
    expect(PROGRAM_RECOGNIZERS.map((recognizer) => recognizer.name).sort()).toEqual(Object.keys(FIXTURES).sort());
  });

  it.each(PROGRAM_RECOGNIZERS.map((recognizer) => [recognizer.name, recognizer] as const))('%s', (name, recognizer) => {
    const { go, programs } = FIXTURES[name]!;
    expect(findPrograms(file(go)).map((use) => use.program)).toEqual(programs);
    const own = recognizer.find(file(go)[0]!.text).map((found) => found.program.split('/').pop());
    expect(own).toContain(programs[programs.length - 1]);
  });

  it('keeps where each program is first called; names that are not literals or not programs are skipped', () => {
    const uses = findPrograms([
      {
        path: 'a.go',
        text: 'package a\n\nfunc f() {\n\texec.Command(bin, "x")\n\texec.Command("git", "a")\n\texec.Command("git", "b")\n}\n',
      },
      { path: 'b.go', text: 'package a\n\nfunc g() {\n\texec.Command("two words")\n}\n' },
    ]);
    expect(uses).toEqual([{ program: 'git', where: 'a.go:5', how: 'exec.Command' }]);
  });
});

describe('OTHER_SYSTEM_PROGRAMS: what a Linux server image never runs', () => {
  it("Windows', macOS's and the desktop's programs are not needs; the Linux branch beside them is", () => {
    const uses = findPrograms([
      {
        path: 'daemon.go',
        text:
          'package daemon\n\nfunc status() {\n\tif !common.IsWindows() {\n\t\tcmd = exec.Command("/bin/sh", "-c", "ps -ax | grep x")\n' +
          '\t} else {\n\t\tcmd = exec.Command("tasklist")\n\t}\n\texec.Command("taskkill", "/F")\n\texec.Command("xdg-open", url)\n' +
          '\texec.Command("osascript", "-e", script)\n}\n',
      },
    ]);
    expect(uses.map((use) => use.program)).toEqual(['sh', 'ps']);
    expect(Object.keys(OTHER_SYSTEM_PROGRAMS)).toEqual(expect.arrayContaining(['tasklist', 'taskkill', 'xdg-open', 'osascript']));
    // Nothing is both skipped and installable.
    expect(Object.keys(OTHER_SYSTEM_PROGRAMS).filter((program) => program in PROGRAM_PACKAGES)).toEqual([]);
    expect(PROGRAM_PACKAGES.ps).toEqual({ debian: 'procps', alpine: 'in the base' });
    // pgweb's shape: `which open` then `open url` (macOS's browser opener), and pg_dump for a backup.
    const pgweb = findPrograms([
      {
        path: 'cli.go',
        text:
          'package cli\n\nfunc f() {\n\texec.Command("which", "open").Output()\n\texec.Command("open", url)\n' +
          '\texec.Command("pg_dump", dsn)\n}\n',
      },
    ]);
    expect(pgweb.map((use) => use.program)).toEqual(['which', 'pg_dump']);
    expect(PROGRAM_PACKAGES.pg_dump).toEqual({ debian: 'postgresql-client', alpine: 'postgresql-client' });
    expect(PROGRAM_PACKAGES.which).toEqual({ debian: 'in the base', alpine: 'in the base' });
  });
});

describe("the main's own-module closure", () => {
  it('a program run by a package the main imports counts, with its file:line; one the main does not import does not', () => {
    const analysis = analyzePackages(
      [
        {
          dir: '',
          modulePath: 'example.com/m',
          moduleDir: '',
          files: [{ name: 'main.go', text: 'package main\n\nimport "example.com/m/internal/repo"\n\nfunc main() { repo.Clone() }\n' }],
        },
        {
          dir: 'internal/repo',
          modulePath: 'example.com/m',
          moduleDir: '',
          files: [
            { name: 'repo.go', text: 'package repo\n\nimport "os/exec"\n\nfunc Clone() {\n\texec.Command("git", "clone").Run()\n}\n' },
          ],
        },
        {
          dir: 'cmd/tool',
          modulePath: 'example.com/m',
          moduleDir: '',
          files: [{ name: 'main.go', text: 'package main\n\nfunc main() {}\n' }],
        },
        {
          dir: 'internal/unused',
          modulePath: 'example.com/m',
          moduleDir: '',
          files: [{ name: 'x.go', text: 'package unused\n\nfunc F() { exec.LookPath("ffmpeg") }\n' }],
        },
      ],
      [],
    );
    const byPath = Object.fromEntries(analysis.mainPackages.map((main) => [main.packagePath, main.programs]));
    expect(byPath['.']).toEqual([{ program: 'git', where: 'internal/repo/repo.go:6', how: 'exec.Command' }]);
    expect(byPath['./cmd/tool']).toBeUndefined();
  });
});

describe('what each runtime can hold', () => {
  const git = { program: 'git', where: 'repo.go:6', how: 'exec.Command' };
  const sh = { program: 'sh', where: 'hook.go:3', how: 'exec.Command' };
  const tool = { program: 'frobnicate', where: 'x.go:1', how: 'exec.Command' };

  it('debian and alpine install the packages; the shell is already there', () => {
    expect(runtimePrograms([git, sh], 'debian', undefined, 'app')).toEqual({
      packages: ['git'],
      manager: 'apt',
      provided: ['git (repo.go:6)', 'sh (hook.go:3)'],
      missing: [],
    });
    expect(runtimePrograms([{ ...git, program: 'docker' }], 'alpine', undefined, 'app')).toMatchObject({
      packages: ['docker-cli'],
      manager: 'apk',
    });
    expect(runtimePrograms([sh], 'debian', undefined, 'app').manager).toBeUndefined();
  });

  it('scratch and distroless cannot: the fix names --base debian and the install line; an unknown program or image is named', () => {
    const [missing] = runtimePrograms([git], 'distroless', undefined, 'app').missing;
    expect(missing).toMatchObject({ why: 'the distroless runtime has no git and no package manager to add it' });
    expect(missing!.fix).toContain('--base debian and, in the runtime-app custom block, RUN apt-get update && apt-get install -y');
    expect(runtimePrograms([sh], 'scratch', undefined, 'app').missing[0]).toMatchObject({
      why: 'the scratch runtime has no shell and no package manager to add it',
      fix: '--base debian (it has a shell)',
    });
    expect(runtimePrograms([tool], 'debian', undefined, 'app').missing[0]!.why).toBe(
      'create-go-docker does not know which debian package provides it',
    );
    expect(runtimePrograms([git], 'debian', 'example.com/base:1', 'app')).toMatchObject({ packages: [], missing: [{ use: git }] });
  });

  it('every package name in the table is a package name', () => {
    for (const entry of Object.values(PROGRAM_PACKAGES))
      for (const name of Object.values(entry)) expect(name).toMatch(/^[a-z0-9][a-z0-9+. -]*$/);
  });
});

describe('--yes and a chosen base', () => {
  const project = {
    'go.mod': 'module example.com/mirror\n\ngo 1.26\n',
    'main.go':
      'package main\n\nimport (\n\t"net/http"\n\t"os/exec"\n)\n\nfunc main() {\n' +
      '\thttp.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {\n' +
      '\t\t_ = exec.CommandContext(r.Context(), "git", "fetch").Run()\n\t})\n\thttp.ListenAndServe(":8080", nil)\n}\n',
  };

  it('--yes: Debian slim with git installed, said in a note (a container that exits at its first exec is no default)', async () => {
    const dir = makeProject(project);
    try {
      const result = await runCli(['--yes'], { cwd: dir });
      expect(result.code, result.stderr).toBe(0);
      const dockerfile = readFileSync(join(dir, 'Dockerfile'), 'utf8');
      expect(dockerfile).toContain('FROM debian:bookworm-slim AS mirror');
      expect(dockerfile).toContain("# mirror runs git (main.go:10): installed from Debian's packages.");
      expect(dockerfile).toContain(' && apt-get install -y --no-install-recommends git \\\n');
      expect(result.stdout).toContain("mirror runs git (main.go:10): its runtime installs Debian's git");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('--base distroless is kept: a warning names the program, where, and the fix; nothing is installed', async () => {
    const dir = makeProject(project);
    try {
      const result = await runCli(['--yes', '--base', 'distroless'], { cwd: dir });
      expect(result.code, result.stderr).toBe(0);
      const output = result.stdout + result.stderr;
      expect(output).toContain('mirror runs git (main.go:10) but the distroless runtime has no git and no package manager to add it');
      expect(output).toContain('Fix: --base debian and, in the runtime-mirror custom block, RUN apt-get update');
      expect(readFileSync(join(dir, 'Dockerfile'), 'utf8')).not.toContain('apt-get install');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
