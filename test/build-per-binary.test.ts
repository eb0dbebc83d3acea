// Build tags and cgo per binary, for linux: each image compiles with its own linux release
// build's tags, and turns cgo on only for what its own main reaches (fixtures in the shapes of
// ntfy, alist and a repository with a C SDK beside its server).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { detectProject } from '../src/detect/project.js';
import { makeProject, runCli } from './helpers.js';

const goSum = (path: string, version: string) => `${path} ${version} h1:x=\n${path} ${version}/go.mod h1:y=\n`;

/** Generated with --yes: the summary and the Dockerfile. */
async function generated(files: Record<string, string>): Promise<{ stdout: string; dockerfile: string }> {
  const dir = makeProject(files);
  const result = await runCli(['--yes'], { cwd: dir });
  expect(result.code, result.stderr).toBe(0);
  return { stdout: result.stdout, dockerfile: readFileSync(join(dir, 'Dockerfile'), 'utf8') };
}

/** The RUN line that compiles the binary, and the comment block before it, of one stage. */
function stage(dockerfile: string, name: string): string {
  const start = dockerfile.indexOf(`FROM build AS ${name}\n`);
  expect(start, name).toBeGreaterThan(0);
  return dockerfile.slice(start, dockerfile.indexOf('\n\n', start));
}

describe('cgo from what a main reaches (CGO_IMPORTS)', () => {
  const project = (dependency: string, version: string) =>
    detectProject(
      makeProject({
        'go.mod': `module example.com/app\n\ngo 1.26\n\nrequire ${dependency.split('/').slice(0, 3).join('/')} ${version}\n`,
        'go.sum': goSum(dependency.split('/').slice(0, 3).join('/'), version),
        'main.go': 'package main\n\nimport "example.com/app/internal/db"\n\nfunc main() { db.Open() }\n',
        'internal/db/db.go':
          `package db\n\nimport (\n\t"gorm.io/gorm"\n\t"${dependency}"\n)\n\n` + 'func Open() { _ = gorm.Open; _ = sqlite.Open }\n',
      }),
    );
  it("gorm's sqlite driver imports go-sqlite3: cgo, or the binary is a stub that fails at run time (the shape of alist)", () => {
    expect(project('gorm.io/driver/sqlite', 'v1.5.6').cgoReasons).toEqual([
      'imports gorm.io/driver/sqlite, which imports github.com/mattn/go-sqlite3',
    ]);
  });
  it('the pure-Go drivers need no cgo', () => {
    expect(project('github.com/glebarez/sqlite', 'v1.11.0').cgoReasons).toEqual([]);
    expect(project('modernc.org/sqlite', 'v1.30.0').cgoReasons).toEqual([]);
  });
  it('a C library for an SDK (//export, import "C") is no image and does not turn cgo on for the server', async () => {
    const { stdout, dockerfile } = await generated({
      'go.mod': 'module example.com/svc\n\ngo 1.26\n',
      'main.go': 'package main\n\nimport "net/http"\n\nfunc main() { http.ListenAndServe(":8080", nil) }\n',
      'sdk/cshared/main.go':
        'package main\n\n// #include <stdlib.h>\nimport "C"\n\n//export Add\nfunc Add(a, b C.int) C.int { return a + b }\n\n' +
        'func main() {}\n',
    });
    expect(stdout).toContain(
      '"./sdk/cshared": skipped, a C library (//export with import "C", built with -buildmode=c-shared), not a program.',
    );
    expect(dockerfile).toContain('export CGO_ENABLED=0 ');
    expect(dockerfile).not.toContain('CGO_ENABLED=1');
  });
});

describe('release-config tags per binary, for linux', () => {
  it("a darwin/windows build's noserver tag does not reach the linux image (the shape of ntfy)", async () => {
    const { dockerfile } = await generated({
      'go.mod': 'module example.com/ntfy\n\ngo 1.26\n\nrequire github.com/mattn/go-sqlite3 v1.14.22\n',
      'go.sum': goSum('github.com/mattn/go-sqlite3', 'v1.14.22'),
      'main.go': 'package main\n\nimport "example.com/ntfy/cmd"\n\nfunc main() { cmd.Execute() }\n',
      'cmd/app.go': 'package cmd\n\nfunc Execute() {}\n',
      'cmd/serve.go': '//go:build !noserver\n\npackage cmd\n\nimport "example.com/ntfy/server"\n\nfunc init() { server.Run() }\n',
      'server/server.go':
        'package server\n\nimport (\n\t"net/http"\n\n\t_ "github.com/mattn/go-sqlite3"\n)\n\n' +
        'func Run() { http.ListenAndServe(":80", nil) }\n',
      '.goreleaser.yml':
        'builds:\n  - id: ntfy_linux_amd64\n    binary: ntfy\n    env:\n      - CGO_ENABLED=1\n' +
        '    tags: [ sqlite_omit_load_extension,osusergo,netgo ]\n' +
        '    goos: [ linux ]\n  - id: ntfy_windows_amd64\n    binary: ntfy\n    tags: [ noserver ]\n    goos: [ windows ]\n' +
        '  - id: ntfy_darwin_all\n    binary: ntfy\n    tags: [ noserver ]\n    goos: [ darwin ]\n',
    });
    expect(dockerfile).not.toContain('noserver');
    expect(dockerfile).toMatch(/-tags=sqlite_omit_load_extension,osusergo,netgo[ ,]/);
    expect(dockerfile).toContain('# cgo is on (imports github.com/mattn/go-sqlite3)');
    expect(dockerfile).toContain('export CGO_ENABLED=1 ');
  });

  it('two linux builds with their own tags and cgo: each stage compiles as its build does', async () => {
    const { stdout, dockerfile } = await generated({
      'go.mod': 'module example.com/app\n\ngo 1.26\n\nrequire gorm.io/driver/sqlite v1.5.6\n',
      'go.sum': goSum('gorm.io/driver/sqlite', 'v1.5.6'),
      'cmd/server/main.go': 'package main\n\nimport "example.com/app/internal/store"\n\nfunc main() { store.Serve() }\n',
      'internal/store/store.go':
        '//go:build server\n\npackage store\n\nimport (\n\t"net/http"\n\n\t"gorm.io/driver/sqlite"\n)\n\nfunc Serve() { _ = sqlite.Open; ' +
        'http.ListenAndServe(":8080", nil) }\n',
      'internal/store/none.go': '//go:build !server\n\npackage store\n\nfunc Serve() {}\n',
      'cmd/cli/main.go': 'package main\n\nimport "example.com/app/internal/store"\n\nfunc main() { store.Serve() }\n',
      '.goreleaser.yml':
        'builds:\n  - id: server\n    main: ./cmd/server\n    flags:\n      - -trimpath\n      - -tags=server\n' +
        '  - id: cli\n    main: ./cmd/cli\n' +
        '    goos: [linux, darwin, windows]\n',
    });
    const server = stage(dockerfile, 'build-server');
    const cli = stage(dockerfile, 'build-cli');
    expect(server).toContain('export CGO_ENABLED=1 ');
    expect(server).toMatch(/-tags=server[ ,]/);
    expect(cli).toContain('export CGO_ENABLED=0 ');
    expect(cli).not.toContain('server');
    expect(stdout).toContain('build-cli compiles ./cmd/cli with no tags and CGO_ENABLED=0');
    expect(stdout).toContain("(the release config's linux build cli)");
  });

  it('no release config: each main gets the tags its own Dockerfile builds it with, deps-list too (the shape of frp)', async () => {
    const { stdout, dockerfile } = await generated({
      'go.mod': 'module example.com/frp\n\ngo 1.26\n\nrequire github.com/pion/stun v0.6.1\n',
      'go.sum': goSum('github.com/pion/stun', 'v0.6.1'),
      'cmd/frps/main.go': 'package main\n\nimport "example.com/frp/server"\n\nfunc main() { server.Run() }\n',
      'cmd/frpc/main.go': 'package main\n\nimport "example.com/frp/client"\n\nfunc main() { client.Run() }\n',
      'server/server.go':
        'package server\n\nimport (\n\t"net"\n\n\t"example.com/frp/client"\n)\n\nfunc Run() { client.Run(); net.Listen("tcp", ":7000") }\n',
      // The client code a server binary leaves out with -tags frps.
      'client/udp.go': '//go:build !frps\n\npackage client\n\nimport "github.com/pion/stun"\n\nfunc Run() { _ = stun.NewClient }\n',
      'client/none.go': '//go:build frps\n\npackage client\n\nfunc Run() {}\n',
      'dockerfiles/Dockerfile-for-frps':
        'FROM golang:1.26\nCOPY . /src\nRUN env CGO_ENABLED=0 go build -trimpath -tags frps -o bin/frps ./cmd/frps\n',
      Makefile: 'frpc:\n\tgo build -trimpath -tags "frpc$(NOWEB)" -o bin/frpc ./cmd/frpc\n',
    });
    expect(stage(dockerfile, 'build-frps')).toMatch(/-tags=frps[ ,]/);
    expect(stage(dockerfile, 'build-frpc')).toMatch(/-tags=frpc[ ,]/);
    expect(stdout).toContain('build-frps compiles ./cmd/frps with -tags=frps (as dockerfiles/Dockerfile-for-frps builds it).');
    expect(stdout).toContain('build-frpc compiles ./cmd/frpc with -tags=frpc (as Makefile: frpc builds it), unlike the default image');
    // One go list per tag set, each main with its own: a single -tags=frps list would leave out what frpc imports.
    const list = dockerfile.slice(dockerfile.indexOf('FROM build AS deps-list'), dockerfile.indexOf('FROM build AS deps\n'));
    expect(list).toMatch(/go list -deps -tags=frpc[ ,][^\n]*\n[^\n]*\n[^\n]*' \.\/cmd\/frpc >> \/tmp\/imports/);
    expect(list).toMatch(/go list -deps -tags=frps[ ,][^\n]*\n[^\n]*\n[^\n]*' \.\/cmd\/frps >> \/tmp\/imports/);
    expect(list).toContain('sort -u -o /deps-packages');
  });

  it("a release build that names the main decides over the project's Dockerfile, untagged too (the shape of litestream)", async () => {
    const { dockerfile } = await generated({
      'go.mod': 'module example.com/app\n\ngo 1.26\n',
      'cmd/app/main.go': 'package main\n\nimport "net/http"\n\nfunc main() { http.ListenAndServe(":8080", nil) }\n',
      '.goreleaser.yml': 'builds:\n  - id: app\n    main: ./cmd/app\n',
      'Dockerfile.dev': 'FROM golang:1.26\nRUN go build -tags osusergo,netgo -o /usr/local/bin/app ./cmd/app\n',
    });
    expect(stage(dockerfile, 'build-app')).not.toContain('osusergo');
  });

  it('--tags applies to every binary', async () => {
    const dir = makeProject({
      'go.mod': 'module example.com/app\n\ngo 1.26\n',
      'cmd/server/main.go': 'package main\n\nimport "net/http"\n\nfunc main() { http.ListenAndServe(":8080", nil) }\n',
      'cmd/cli/main.go': 'package main\n\nfunc main() {}\n',
      '.goreleaser.yml':
        'builds:\n  - id: server\n    main: ./cmd/server\n    tags: [a]\n  - id: cli\n    main: ./cmd/cli\n    tags: [b]\n',
    });
    const result = await runCli(['--yes', '--tags', 'given'], { cwd: dir });
    expect(result.code, result.stderr).toBe(0);
    const dockerfile = readFileSync(join(dir, 'Dockerfile'), 'utf8');
    expect(stage(dockerfile, 'build-server')).toMatch(/-tags=given[ ,]/);
    expect(stage(dockerfile, 'build-cli')).toMatch(/-tags=given[ ,]/);
  });
});
