import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { detectProject } from '../src/detect/project.js';
import { RuntimeError } from '../src/errors.js';
import { makeProject, SIMPLE_SERVICE } from './helpers.js';

const detect = (files: Record<string, string>) => detectProject(makeProject(files));

describe('detectProject', () => {
  it('finds a root main with its port, version variable and go.sum', () => {
    const project = detect(SIMPLE_SERVICE);
    expect(project.goMod.modulePath).toBe('example.com/svc');
    expect(project.hasGoSum).toBe(true);
    expect(project.vendored).toBe(false);
    // SIMPLE_SERVICE's version has a value ("dev"): the project's own, never stamped.
    expect(project.mainPackages).toEqual([
      expect.objectContaining({ packagePath: '.', binaryName: 'svc', ports: [8080], versionTargets: [], role: 'main', serves: true }),
    ]);
    expect(project.cgoReasons).toEqual([]);
  });

  it('finds every main package under cmd/, skipping tests, build-ignored files, testdata and vendor', () => {
    const project = detect({
      'go.mod': 'module example.com/multi/v2\n\ngo 1.26\n',
      'cmd/api/main.go': 'package main\n\nvar (\n\tVersion string\n)\n\nfunc main() { _ = "0.0.0.0:9090" }\n',
      'cmd/worker/main.go': 'package main\n\nfunc main() {}\n',
      'cmd/worker/main_test.go': 'package main\n\nimport "C"\n',
      'internal/lib/lib.go': 'package lib\n\nfunc main() {}\n',
      'tools/gen.go': '//go:build ignore\n\npackage main\n\nfunc main() {}\n',
      'testdata/x/main.go': 'package main\n\nfunc main() {}\n',
      'vendor/y/main.go': 'package main\n\nfunc main() {}\n',
      'nested/go.mod': 'module example.com/nested\n',
      'nested/main.go': 'package main\n\nfunc main() {}\n',
    });
    expect(project.mainPackages).toEqual([
      expect.objectContaining({ packagePath: './cmd/api', binaryName: 'api', ports: [9090], versionTargets: ['main.Version'] }),
      expect.objectContaining({ packagePath: './cmd/worker', binaryName: 'worker', ports: [], versionTargets: [] }),
    ]);
    expect(project.nestedModules).toEqual(['nested']);
    expect(project.cgoReasons).toEqual([]);
  });

  it('a version variable filled by //go:embed is no -X target (the linker would overwrite the file); an empty one is', () => {
    const project = detect({
      'go.mod': 'module example.com/stamp\n\ngo 1.26\n',
      'main.go':
        'package main\n\nimport _ "embed"\n\n//go:embed VERSION\nvar version string\n\n' +
        'var (\n\t//go:embed VERSION\n\tVersion string\n)\n\nfunc main() {}\n',
      VERSION: '1.2.3\n',
      'cmd/other/main.go': 'package main\n\nvar (\n\t// set by the release\n\tversion string\n)\n\nfunc main() {}\n',
    });
    expect(project.mainPackages.map((main) => [main.packagePath, main.versionTargets])).toEqual([
      ['.', []],
      ['./cmd/other', ['main.version']],
    ]);
  });

  it('names a root binary after the module path without its major version suffix', () => {
    const project = detect({ 'go.mod': 'module example.com/tool/v3\n\ngo 1.26\n', 'main.go': 'package main\nfunc main() {}\n' });
    expect(project.mainPackages[0]!.binaryName).toBe('tool');
  });

  it('detects cgo from import "C" and from known cgo dependencies', () => {
    const own = detect({
      'go.mod': 'module example.com/c\n\ngo 1.26\n',
      'main.go': 'package main\n\n// #include <stdio.h>\nimport "C"\n\nfunc main() {}\n',
    });
    expect(own.cgoReasons).toEqual(['main.go imports "C"']);
    const dependency = detect({
      'go.mod': 'module example.com/c\n\ngo 1.26\n\nrequire github.com/mattn/go-sqlite3 v1.14.22\n',
      'go.sum': '',
      'main.go': 'package main\n\nimport (\n\t_ "github.com/mattn/go-sqlite3"\n)\n\nfunc main() {}\n',
    });
    expect(dependency.cgoReasons).toEqual(['imports github.com/mattn/go-sqlite3']);
    const commentOnly = detect({
      'go.mod': 'module example.com/c\n\ngo 1.26\n',
      'main.go': 'package main\n\n// import "C"\nfunc main() {}\n',
    });
    expect(commentOnly.cgoReasons).toEqual([]);
  });

  it('collects //go:embed patterns relative to the module root', () => {
    const project = detect({
      'go.mod': 'module example.com/e\n\ngo 1.26\n',
      'main.go': 'package main\n\nimport "embed"\n\n//go:embed static/* "with space.txt"\nvar files embed.FS\n\nfunc main() {}\n',
      'web/web.go': 'package web\n\nimport "embed"\n\n//go:embed all:dist\nvar Dist embed.FS\n',
    });
    expect(project.embedPatterns).toEqual(['static/*', 'with space.txt', 'web/dist']);
  });

  it("reads a //go:embed indented in a var block (the shape of ntfy's server/site)", () => {
    const project = detect({
      'go.mod': 'module example.com/e\n\ngo 1.26\n',
      'main.go': 'package main\n\nimport "embed"\n\nvar (\n\t//go:embed site\n\twebFs embed.FS\n)\n\nfunc main() {}\n',
    });
    expect(project.embedPatterns).toEqual(['site']);
    expect(project.assetProblems).toMatchObject([{ kind: 'nothing', expected: 'site', embed: { where: 'main.go:6' } }]);
  });

  it('notices vendor/modules.txt, go.work and in-context replaces', () => {
    const project = detect({
      'go.mod': 'module example.com/v\n\ngo 1.26\n\nrequire example.com/lib v0.0.0\n\nreplace example.com/lib => ./lib\n',
      'go.work': 'go 1.26\n\nuse .\n',
      'vendor/modules.txt': '# example.com/lib v0.0.0 => ./lib\n',
      'lib/go.mod': 'module example.com/lib\n',
      'main.go': 'package main\nfunc main() {}\n',
    });
    expect(project.vendored).toBe(true);
    expect(project.hasGoWork).toBe(true);
    expect(project.localReplaceDirs).toEqual(['lib']);
  });

  const failures: [string, Record<string, string>, RegExp][] = [
    ['no go.mod', { 'main.go': 'package main\n' }, /no go\.mod found; run create-go-docker in a Go module/],
    [
      'a use outside the workspace root',
      { 'go.work': 'go 1.26\n\nuse ../elsewhere\n' },
      /go\.work:3: use \.\.\/elsewhere is outside the build context proj/,
    ],
    [
      'several modules below and none here',
      { 'svc-a/go.mod': 'module a\n', 'svc-b/go.mod': 'module b\n' },
      /no go\.mod here, but 2 modules below \(svc-a, svc-b\); run create-go-docker in one of them/,
    ],
    [
      'a replace outside the directory',
      { 'go.mod': 'module a\n\ngo 1.26\n\nrequire example.com/lib v0.0.0\n\nreplace example.com/lib => ../lib\n' },
      /go\.mod:7: replace example\.com\/lib => \.\.\/lib points outside the build context proj; vendor it \(go mod vendor\), publish the module, or run create-go-docker in a parent directory that holds both/,
    ],
    [
      'requires without go.sum',
      { 'go.mod': 'module a\n\ngo 1.26\n\nrequire github.com/google/uuid v1.6.0\n' },
      /go\.sum: missing, but go\.mod requires 1 module; run go mod tidy/,
    ],
    ['a malformed go.mod', { 'go.mod': 'module a\nrequire (\n' }, /go\.mod:2: unclosed "require \(" block/],
  ];
  it.each(failures)('fails clearly on %s', (_name, files, message) => {
    const dir = makeProject(files);
    expect(() => detectProject(dir, 'proj')).toThrow(RuntimeError);
    expect(() => detectProject(dir, 'proj')).toThrow(message);
  });

  it('from a sub-directory of a module, names the module instead of advising go mod init', () => {
    const dir = makeProject({ ...SIMPLE_SERVICE, 'internal/x/x.go': 'package x\n' });
    expect(() => detectProject(resolve(dir, 'internal/x'), 'internal/x')).toThrow(
      /internal\/x: no go\.mod here; it is inside the module at \.\.\/\.\.: run create-go-docker there/,
    );
  });

  it('a workspace root: the mains of every module it uses, the modules its go.work names', () => {
    const project = detect({
      'go.work': 'go 1.26\n\nuse (\n\t.\n\t./server\n\t./api\n)\n',
      'go.mod': 'module example.com/kv\n\ngo 1.26\n',
      'examples/client/main.go': 'package main\n\nfunc main() {}\n',
      'server/go.mod':
        'module example.com/kv/server\n\ngo 1.26\n\nrequire example.com/kv/api v0.0.0\n\nreplace example.com/kv/api => ../api\n',
      'server/main.go':
        'package main\n\nimport (\n\t"net/http"\n\n\t"example.com/kv/api"\n)\n\nfunc main() { ' +
        'http.ListenAndServe(":2379", api.Handler()) }\n',
      'api/go.mod': 'module example.com/kv/api\n\ngo 1.26\n',
      'api/api.go': 'package api\n\nimport "net/http"\n\nfunc Handler() http.Handler { return http.NotFoundHandler() }\n',
      'tools/go.mod': 'module example.com/kv/tools\n',
    });
    expect(project.workspace?.uses.map((use) => use.dir)).toEqual(['', 'server', 'api']);
    expect(project.mainPackages.map((main) => [main.packagePath, main.moduleDir, main.role, main.binaryName])).toEqual([
      ['./examples/client', '', 'example', 'client'],
      ['./server', 'server', 'main', 'server'],
    ]);
    expect(project.mainPackages[1]!.ports).toEqual([2379]);
    expect(project.nestedModules).toEqual(['tools']);
    // The replace points at a module of the workspace: nothing extra to mount.
    expect(project.localReplaceDirs).toEqual([]);
  });

  it('a module inside a workspace, with a replace outside it: the fix names the workspace root', () => {
    const root = makeProject({
      'go.work': 'go 1.26\n\nuse ./svc\n',
      'lib/go.mod': 'module example.com/lib\n',
      'svc/go.mod': 'module example.com/svc\n\ngo 1.26\n\nrequire example.com/lib v0.0.0\n\nreplace example.com/lib => ../lib\n',
      'svc/main.go': 'package main\nfunc main() {}\n',
    });
    expect(() => detectProject(resolve(root, 'svc'), 'svc')).toThrow(
      /run create-go-docker in the workspace root \.\. \(the build context must hold \.\.\/lib\) and choose this module's main with --main, or vendor it/,
    );
    // Vendored, the replace's code is in vendor/: no need for the directory.
    mkdirSync(dirname(join(root, 'svc/vendor/modules.txt')), { recursive: true });
    writeFileSync(join(root, 'svc/vendor/modules.txt'), '# example.com/lib v0.0.0 => ../lib\n');
    expect(detectProject(resolve(root, 'svc'), 'svc').vendored).toBe(true);
  });

  it('fails on a directory that does not exist', () => {
    expect(() => detectProject(resolve('/nonexistent/dir'), 'nope')).toThrow(/nope: no such directory/);
  });
});
