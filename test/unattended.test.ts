// Runs nobody watches (issue 19, items 3 and 5): --yes and a run without a terminal take the
// values the wizard would have offered, from the same detection; what they cannot decide they
// name in one line; what the wizard refuses they refuse; doctor agrees with what they write.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { NO_TERMINAL_NOTE } from '../src/cli/generate.js';
import { classifyHost, moduleHosts } from '../src/detect/private.js';
import { parseGoMod } from '../src/detect/gomod.js';
import { BASE_LIBC, imageLibc } from '../src/options/libc.js';
import { BASES } from '../src/options/model.js';
import { runtimeImageFor } from '../src/plan/images.js';
import { makeProject, runCli, SIMPLE_SERVICE } from './helpers.js';

const withRequires = (...paths: string[]): Record<string, string> => ({
  ...SIMPLE_SERVICE,
  'go.mod': `module example.com/svc\n\ngo 1.26\n\nrequire (\n${paths.map((path) => `\t${path} v1.0.0\n`).join('')})\n`,
});
const CGO_SERVICE: Record<string, string> = { ...SIMPLE_SERVICE, 'sqlite.go': 'package main\n\n// #include <stdio.h>\nimport "C"\n' };

describe('which hosts are private', () => {
  it.each([
    ['github.com', 'public'],
    ['golang.org', 'public'],
    ['go.googlesource.com', 'public'],
    ['gitea.com', 'public'],
    ['git.sr.ht', 'public'],
    ['git.corp.example.com', 'private'],
    ['gitlab.acme.com', 'private'],
    ['github.acme.com', 'private'],
    ['svc.internal', 'private'],
    ['code.acme.lan', 'private'],
    ['go.acme.io', 'unsure'],
    ['acme.com', 'unsure'],
    ['mycorp', 'not fetched'],
    ['example.com', 'not fetched'],
  ])('%s is %s', (host, kind) => expect(classifyHost(host)).toBe(kind));

  it('looks at what the build downloads: replacements, not local directories or the workspace itself', () => {
    const goMod = parseGoMod(
      'module example.com/a\n\ngo 1.26\n\nrequire (\n\tgit.corp.example/local v1.0.0\n\tgit.corp.example/moved ' +
        'v1.0.0\n\texample.com/b v1.0.0\n\tgo.acme.io/x v1.0.0\n)\n\nreplace git.corp.example/local => ./local\n\nreplace ' +
        'git.corp.example/moved => gitlab.acme.com/fork/moved v1.0.1\n',
    );
    const member = parseGoMod('module example.com/b\n\ngo 1.26\n');
    const hosts = moduleHosts([goMod, member]);
    expect(hosts.private).toEqual(['gitlab.acme.com']);
    expect(hosts.unsure).toEqual(['go.acme.io']);
  });
});

describe('--yes and a run without a terminal take what the wizard offers', () => {
  it('GOPRIVATE from go.mod and a .netrc secret to fetch with; doctor finds nothing', async () => {
    const dir = makeProject(withRequires('github.com/google/uuid', 'git.corp.example/team/auth'));
    const result = await runCli(['--yes'], { cwd: dir });
    expect(result.code, result.stderr).toBe(0);
    const dockerfile = readFileSync(join(dir, 'Dockerfile'), 'utf8');
    expect(dockerfile).toMatch(/^ARG GOPRIVATE=git\.corp\.example$/m);
    expect(dockerfile).toMatch(/--mount=type=secret,id=netrc,target=\/root\/\.netrc,required=true/);
    expect(result.stdout).toContain('docker build --secret id=netrc,src=$HOME/.netrc -t svc .');
    expect(result.stdout).not.toContain('Warnings:');
    // Detected, not chosen: .go-docker.yaml records no answer, so regenerate detects again.
    expect(readFileSync(join(dir, '.go-docker.yaml'), 'utf8')).not.toMatch(/^(private|auth):/m);
    const doctor = await runCli(['doctor', '--offline'], { cwd: dir });
    expect(doctor.code, doctor.stdout).toBe(0);
  });

  it('a vendored module downloads nothing: no GOPRIVATE, no secret', async () => {
    const dir = makeProject({
      ...withRequires('git.corp.example/team/auth'),
      'vendor/modules.txt': '# git.corp.example/team/auth v1.0.0\n## explicit\ngit.corp.example/team/auth\n',
    });
    expect((await runCli(['--yes'], { cwd: dir })).code).toBe(0);
    const dockerfile = readFileSync(join(dir, 'Dockerfile'), 'utf8');
    expect(dockerfile).not.toContain('git.corp.example');
    expect(dockerfile).not.toContain('id=netrc');
  });

  it('a host it cannot decide: one warning naming it and the flag; the flag silences it', async () => {
    const files = withRequires('go.acme.io/auth', 'go.acme.io/log', 'github.com/google/uuid');
    const result = await runCli(['--yes', '--dry-run'], { cwd: makeProject(files) });
    expect(result.stdout).toContain(
      `\nWarnings:\n  ! go.mod requires go.acme.io/auth and 1 more from go.acme.io, which create-go-docker cannot tell ` +
        `public or private: if private, pass --private 'go.acme.io' (else the build asks the public proxy for them: "410 Gone").\n`,
    );
    const given = await runCli(['--yes', '--dry-run', '--private', 'go.acme.io'], { cwd: makeProject(files) });
    expect(given.stdout).not.toContain('cannot tell public or private');
  });

  it('without a terminal and without --yes, says so in one line; --yes and --json do not', async () => {
    const piped = await runCli([], { cwd: makeProject(SIMPLE_SERVICE) });
    expect(piped.code).toBe(0);
    expect(piped.stdout.split('\n').filter((line) => line.includes(NO_TERMINAL_NOTE))).toEqual([`  - ${NO_TERMINAL_NOTE}`]);
    expect(NO_TERMINAL_NOTE).toMatch(/--yes/);
    expect((await runCli(['--yes'], { cwd: makeProject(SIMPLE_SERVICE) })).stdout).not.toContain('no terminal');
    expect((await runCli(['--json'], { cwd: makeProject(SIMPLE_SERVICE) })).stdout).not.toContain('no terminal');
  });
});

describe('runtime images and their C library', () => {
  it.each([
    ['scratch', 'none'],
    ['gcr.io/distroless/static-debian12:nonroot', 'none'],
    ['harbor.example.cn/proxy/gcr.io/distroless/static-debian12:nonroot', 'none'],
    ['cgr.dev/chainguard/static:latest', 'none'],
    ['registry.corp.example/base/static:1', 'none'],
    ['gcr.io/distroless/base-debian12:nonroot', 'glibc'],
    ['gcr.io/distroless/cc-debian12', 'glibc'],
    ['debian:bookworm-slim', 'glibc'],
    ['ubuntu:24.04', 'glibc'],
    ['registry.access.redhat.com/ubi9/ubi-minimal:9.5', 'glibc'],
    ['alpine:3.23', 'musl'],
    ['harbor.example.cn/proxy/library/alpine:3.23', 'musl'],
    ['node:22-alpine', 'musl'],
    ['registry.corp.example/base/runtime:1', undefined],
    ['${RUNTIME_IMAGE}', undefined],
  ])('%s: %s', (image, libc) => expect(imageLibc(image)?.libc).toBe(libc));

  it('each base family has the C library its cgo image has', () => {
    for (const base of BASES) expect(imageLibc(runtimeImageFor(base, true))?.libc, base).toBe(BASE_LIBC[base]);
  });

  it('a cgo binary for a musl --base-image is built on Alpine, for a glibc one on Debian', async () => {
    const alpine = await runCli(['--yes', '--dry-run', '--base-image', 'alpine:3.22'], { cwd: makeProject(CGO_SERVICE) });
    expect(alpine.stdout).toMatch(/^FROM golang:1\.26-alpine3\.23 AS build$/m);
    expect(alpine.stdout).toMatch(/^FROM alpine:3\.22 AS svc$/m);
    const debian = await runCli(['--yes', '--dry-run', '--base', 'alpine', '--base-image', 'debian:bookworm-slim'], {
      cwd: makeProject(CGO_SERVICE),
    });
    expect(debian.stdout).toMatch(/^FROM golang:1\.26-bookworm AS build$/m);
  });

  it('an image it does not know: taken to be like its family, said in one warning', async () => {
    const result = await runCli(['--yes', '--dry-run', '--base-image', 'registry.corp.example/base/runtime:1'], {
      cwd: makeProject(CGO_SERVICE),
    });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain(
      '  ! base-image registry.corp.example/base/runtime:1 (--base-image): create-go-docker cannot tell its C library, ' +
        'so the cgo binary (sqlite.go imports "C") is linked against glibc, as for base distroless; if the image has no C ' +
        'library it does not start: set --base to the family it is built on (debian, alpine), or --cgo off.',
    );
  });

  it('a policy that allows scratch first gets the first allowed base that runs a cgo binary', async () => {
    const dir = makeProject({ ...CGO_SERVICE, 'policy.yaml': 'schemaVersion: 2\nallowed-bases: [scratch, alpine]\n' });
    const result = await runCli(['--yes', '--dry-run', '--policy', join(dir, 'policy.yaml')], { cwd: dir });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/^FROM alpine:3\.23 AS svc$/m);
  });

  it('doctor reads the same table: a company static image with cgo code is an error, one it does not know is not', async () => {
    for (const [image, errors] of [
      ['registry.corp.example/base/static:1', ['GCD026', 'GCD027']],
      ['registry.corp.example/base/runtime:1', []],
    ] as const) {
      const dir = makeProject({ ...CGO_SERVICE, 'go.sum': SIMPLE_SERVICE['go.sum']! });
      expect((await runCli(['--yes', '--base-image', 'debian:bookworm-slim'], { cwd: dir })).code).toBe(0);
      const dockerfile = readFileSync(join(dir, 'Dockerfile'), 'utf8').replace('FROM debian:bookworm-slim AS svc', `FROM ${image} AS svc`);
      const edited = makeProject({
        ...CGO_SERVICE,
        Dockerfile: dockerfile,
        '.dockerignore': readFileSync(join(dir, '.dockerignore'), 'utf8'),
      });
      const report = await runCli(['doctor', '--offline', '--json'], { cwd: edited });
      const found = (JSON.parse(report.stdout) as { findings: { id: string; severity: string }[] }).findings
        .filter((finding) => finding.severity === 'error')
        .map((finding) => finding.id);
      expect(found, image).toEqual(errors);
    }
  });
});
