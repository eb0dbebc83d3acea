// Shared test helpers: throwaway Go projects, a byte-exact directory snapshot, and the CLI
// run in-process (fast) or as the bundled binary (as a user runs it).
import { spawnSync } from 'node:child_process';
import { lstatSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, readlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { DockerfileParser, type Dockerfile } from 'dockerfile-ast';
import { main, type CliIo } from '../src/cli/main.js';
import { roleOf, type MainPackage } from '../src/detect/analyze.js';
import type { PackagePath } from '../src/values/kinds.js';
import type { PromptApi } from '../src/wizard/wizard.js';

export const REPO_ROOT = join(import.meta.dirname, '..');

/** A detected main package for ranking tests: named after its directory (`rootName` for "."), its role from its path. */
export function fakeMain(packagePath: string, extra: Partial<MainPackage> = {}, rootName = 'svc'): MainPackage {
  return {
    packagePath: packagePath as PackagePath,
    binaryName: packagePath === '.' ? rootName : packagePath.split('/').pop()!,
    moduleDir: '',
    role: roleOf(packagePath),
    serves: false,
    listen: {},
    ports: [],
    versionTargets: [],
    cgoReasons: [],
    tags: [],
    embeds: [],
    ...extra,
  };
}
export const BIN = join(REPO_ROOT, 'index.js');

export function makeProject(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'cgd-test-'));
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), content);
  }
  return dir;
}

/** The smallest buildable service: root main listening on :8080, one dependency. */
export const SIMPLE_SERVICE: Record<string, string> = {
  'go.mod': 'module example.com/svc\n\ngo 1.26\n\nrequire github.com/google/uuid v1.6.0\n',
  'go.sum':
    'github.com/google/uuid v1.6.0 h1:NIvaJDMOsjHA8n1jAhLSgzrAzy1Hgr+hNrb57e+94F0=\ngithub.com/google/uuid ' +
    'v1.6.0/go.mod h1:TIyPZe4MgqvfeYDBFedMoGGpEw/LqOeaOT+nhxU+yHo=\n',
  'main.go':
    'package main\n\nimport (\n\t"net/http"\n\n\t"github.com/google/uuid"\n)\n\nvar version = "dev"\n\nfunc main() ' +
    '{\n\t_ = uuid.NewString()\n\thttp.ListenAndServe(":8080", nil)\n}\n',
};

/** SIMPLE_SERVICE that also requires a private module, so --auth token|ssh has something to fetch. */
export const PRIVATE_SERVICE: Record<string, string> = {
  ...SIMPLE_SERVICE,
  'go.mod': 'module example.com/svc\n\ngo 1.26\n\nrequire (\n\tgit.corp.example/team/auth v1.2.0\n\tgithub.com/google/uuid v1.6.0\n)\n',
  'go.sum': `git.corp.example/team/auth v1.2.0 h1:x=\ngit.corp.example/team/auth v1.2.0/go.mod h1:y=\n${SIMPLE_SERVICE['go.sum']}`,
};

/** A real ed25519 host public key (its private half discarded), for the private git hosts tests name. */
const TEST_SSH_HOST_KEY = 'AAAAC3NzaC1lZDI1NTE5AAAAILR+ugZkC7X/1MgItYe64rDUi0iigFOgU0N4yv8NJYXD';

/**
 * A HOME whose ~/.ssh/known_hosts trusts TEST_SSH_HOST_KEY for git.corp.example and git.corp.test,
 * as a developer's does after their first clone: --auth ssh then records that key.
 */
export function sshHome(): string {
  const home = mkdtempSync(join(tmpdir(), 'cgd-home-'));
  mkdirSync(join(home, '.ssh'));
  writeFileSync(join(home, '.ssh', 'known_hosts'), `git.corp.example,git.corp.test ssh-ed25519 ${TEST_SSH_HOST_KEY}\n`);
  return home;
}

/** A real self-signed root CA certificate (no key anywhere), for --ca-cert tests. */
export const TEST_CA = `-----BEGIN CERTIFICATE-----
MIIBqDCCAU2gAwIBAgIURF22vzlRsBqIeqQxv/m/Bz+Ad6cwCgYIKoZIzj0EAwIw
KDEmMCQGA1UEAwwdY3JlYXRlLWdvLWRvY2tlciB0ZXN0IHJvb3QgQ0EwIBcNMjYx
MTI1MjM0NjI5WhgPMjEyNjExMDEyMzQ2MjlaMCgxJjAkBgNVBAMMHWNyZWF0ZS1n
by1kb2NrZXIgdGVzdCByb290IENBMFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE
TqdSeM1B9Y3irWHDiH7i+sMrZV0zA4D0DCqbPUZ+mbCH5I6u+LIq8INIeetxfTPf
kmG6c3f5+g8Yb8ptMdEg56NTMFEwHQYDVR0OBBYEFBwnBanM+sP0lsBwKEXvGu+c
H9sFMB8GA1UdIwQYMBaAFBwnBanM+sP0lsBwKEXvGu+cH9sFMA8GA1UdEwEB/wQF
MAMBAf8wCgYIKoZIzj0EAwIDSQAwRgIhAO+WnCe/kiIZMvDA1jT4mm0eiQAYdTzw
GP88ZoPI0XxWAiEA1z8N+Qm1pRzSQYDyK0q11fMaKUzb/gXm5RfbTM/Hm+4=
-----END CERTIFICATE-----
`;

/**
 * Every entry below dir with its bytes, to prove a failed run changed nothing. Links are
 * recorded as links (never followed), pipes and devices by their kind (never opened).
 */
export function snapshotTree(dir: string): Record<string, string> {
  const result: Record<string, string> = {};
  const walk = (current: string): void => {
    for (const name of readdirSync(current).sort()) {
      const path = join(current, name);
      const key = relative(dir, path);
      const stats = lstatSync(path);
      if (stats.isSymbolicLink()) result[key] = `link -> ${readlinkSync(path)}`;
      else if (stats.isDirectory()) {
        result[`${key}/`] = '';
        walk(path);
      } else if (stats.isFile()) result[key] = readFileSync(path, 'base64');
      else result[key] = `special ${stats.mode.toString(8)}`;
    }
  };
  walk(dir);
  return result;
}

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

export async function runCli(
  argv: string[],
  options: {
    cwd: string;
    interactive?: boolean;
    prompts?: PromptApi;
    env?: Record<string, string>;
    probeDocker?: CliIo['probeDocker'];
    policyTimeoutMs?: number;
  },
): Promise<CliResult> {
  let stdout = '';
  let stderr = '';
  const code = await main(argv, {
    cwd: options.cwd,
    stdout: (text) => (stdout += text),
    stderr: (text) => (stderr += text),
    interactive: options.interactive ?? false,
    // Hermetic: the developer's own CREATE_GO_DOCKER_POLICY must not leak into tests.
    env: options.env ?? {},
    ...(options.prompts ? { loadPrompts: async () => options.prompts! } : {}),
    ...(options.probeDocker ? { probeDocker: options.probeDocker } : {}),
    ...(options.policyTimeoutMs ? { policyTimeoutMs: options.policyTimeoutMs } : {}),
  });
  return { code, stdout, stderr };
}

/** Runs the bundled CLI as a child process with no terminal, like CI does. */
export function runBin(argv: string[], cwd: string, env: Record<string, string> = {}): CliResult {
  const result = spawnSync(process.execPath, [BIN, ...argv], {
    cwd,
    env: { ...process.env, ...env },
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    timeout: 20_000,
  });
  return { code: result.status ?? -1, stdout: result.stdout, stderr: result.stderr };
}

export function parseDockerfile(text: string): Dockerfile {
  return DockerfileParser.parse(text);
}

/** A project generated with --yes and the flags, which must succeed quietly. */
export async function generatedProject(flags: string[] = [], files: Record<string, string> = SIMPLE_SERVICE): Promise<string> {
  const dir = makeProject(files);
  // sshHome: --auth ssh finds the private host's key, as on a developer's machine.
  const result = await runCli(['--yes', ...flags], { cwd: dir, env: { HOME: sshHome() } });
  if (result.code !== 0 || result.stderr !== '') throw new Error(`generation failed (exit ${result.code}): ${result.stderr}`);
  return dir;
}
