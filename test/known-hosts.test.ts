// SSH host keys decided at generation time: the known_hosts parser (untrusted input), the order
// of the sources, and what a run writes, records and refuses.
import { createHmac, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { UsageError } from '../src/errors.js';
import { PUBLISHED_HOST_KEYS, readUserKnownHosts, resolveHostKeys, type HostKeysInput } from '../src/options/host-keys.js';
import type { HostName, KnownHostLine } from '../src/values/kinds.js';
import {
  fingerprint,
  hostFieldMatches,
  knownHostLineProblem,
  knownHostsName,
  parseKnownHosts,
  trustedKeysFor,
} from '../src/values/known-hosts.js';
import { makeProject, parseDockerfile, PRIVATE_SERVICE, runCli, snapshotTree } from './helpers.js';

/** A syntactically real ed25519 public key blob: the type name, then 32 bytes. */
function ed25519Key(fill: number): string {
  const name = Buffer.from('ssh-ed25519');
  const body = Buffer.alloc(32, fill);
  const blob = Buffer.concat([lengthPrefixed(name), lengthPrefixed(body)]);
  return blob.toString('base64');
}

function lengthPrefixed(bytes: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(bytes.length);
  return Buffer.concat([length, bytes]);
}

/** A hashed host field as `ssh-keygen -H` writes it. */
function hashedHost(name: string): string {
  const salt = randomBytes(20);
  return `|1|${salt.toString('base64')}|${createHmac('sha1', salt).update(name).digest('base64')}`;
}

const KEY_A = ed25519Key(1);
const KEY_B = ed25519Key(2);
const KEY_C = ed25519Key(3);
const DSA_KEY = Buffer.concat([lengthPrefixed(Buffer.from('ssh-dss')), lengthPrefixed(Buffer.alloc(20, 1))]).toString('base64');

describe('known_hosts parser (untrusted input)', () => {
  it('matches plain names, pattern lists, wildcards and negations, case-insensitively', () => {
    const { entries } = parseKnownHosts(
      [
        `git.corp.example,10.0.0.5 ssh-ed25519 ${KEY_A} comment here`,
        `*.build.example,!evil.build.example ssh-ed25519 ${KEY_B}`,
        `GIT.OTHER.EXAMPLE ssh-ed25519 ${KEY_C}`,
      ].join('\n'),
    );
    expect(trustedKeysFor(entries, 'git.corp.example')).toEqual([{ keyType: 'ssh-ed25519', key: KEY_A }]);
    expect(trustedKeysFor(entries, 'ci.build.example')).toEqual([{ keyType: 'ssh-ed25519', key: KEY_B }]);
    expect(trustedKeysFor(entries, 'evil.build.example')).toEqual([]);
    expect(trustedKeysFor(entries, 'git.other.example')).toEqual([{ keyType: 'ssh-ed25519', key: KEY_C }]);
    expect(trustedKeysFor(entries, 'corp.example')).toEqual([]);
  });

  it('matches a hashed name by HMAC-SHA1 of the name, and nothing else', () => {
    const field = hashedHost('git.corp.example');
    expect(hostFieldMatches(field, 'git.corp.example')).toBe(true);
    expect(hostFieldMatches(field, 'git.corp.example.evil')).toBe(false);
    expect(hostFieldMatches('|1|bm90LWEtc2FsdA==', 'git.corp.example')).toBe(false);
    const { entries } = parseKnownHosts(`${field} ssh-ed25519 ${KEY_A}\n`);
    expect(trustedKeysFor(entries, 'git.corp.example')).toEqual([{ keyType: 'ssh-ed25519', key: KEY_A }]);
  });

  it('reads [host]:port entries for their port only, hashed or plain', () => {
    const { entries } = parseKnownHosts(
      [`[git.corp.example]:2222 ssh-ed25519 ${KEY_A}`, `${hashedHost('[git.other.example]:2200')} ssh-ed25519 ${KEY_B}`].join('\n'),
    );
    expect(knownHostsName('git.corp.example:2222')).toBe('[git.corp.example]:2222');
    expect(trustedKeysFor(entries, knownHostsName('git.corp.example:2222'))).toEqual([{ keyType: 'ssh-ed25519', key: KEY_A }]);
    expect(trustedKeysFor(entries, knownHostsName('git.corp.example'))).toEqual([]);
    expect(trustedKeysFor(entries, knownHostsName('git.other.example:2200'))).toEqual([{ keyType: 'ssh-ed25519', key: KEY_B }]);
    expect(trustedKeysFor(entries, knownHostsName('git.other.example'))).toEqual([]);
  });

  it('never trusts a @revoked key, and leaves @cert-authority keys out', () => {
    const { entries, skipped } = parseKnownHosts(
      [
        `git.corp.example ssh-ed25519 ${KEY_A}`,
        `git.corp.example ssh-ed25519 ${KEY_B}`,
        `@revoked * ssh-ed25519 ${KEY_A}`,
        `@cert-authority *.corp.example ssh-ed25519 ${KEY_C}`,
        `@trusted git.corp.example ssh-ed25519 ${KEY_C}`,
      ].join('\n'),
    );
    expect(trustedKeysFor(entries, 'git.corp.example')).toEqual([{ keyType: 'ssh-ed25519', key: KEY_B }]);
    expect(skipped).toEqual([{ line: 5, reason: 'unknown marker "@trusted"' }]);
  });

  it('skips each bad line with a reason and keeps the good ones', () => {
    const typeMismatch = `git.corp.example ssh-rsa ${KEY_A}`;
    const { entries, skipped } = parseKnownHosts(
      [
        '# a comment',
        '',
        `git.corp.example ssh-ed25519 ${KEY_A}`,
        `git.corp.example ssh-dss ${DSA_KEY}`,
        'git.corp.example ssh-ed25519 not*base64',
        `git.corp.example ssh-ed25519 ${KEY_A.slice(0, -4)}`,
        typeMismatch,
        'git.corp.example ssh-ed25519',
        `git.corp.example ssh-ed25519 ${KEY_B}\r`,
      ].join('\n'),
    );
    expect(entries.map((entry) => entry.line)).toEqual([3, 9]);
    expect(skipped.map((item) => item.line)).toEqual([4, 5, 6, 7, 8]);
    expect(skipped[0]!.reason).toMatch(/"ssh-dss" is not a host key type/);
    expect(skipped[1]!.reason).toBe('its key is not base64');
    expect(skipped[2]!.reason).toBe('its key is not a well-formed ssh-ed25519 key');
    expect(skipped[3]!.reason).toMatch(/not an ssh-rsa key/);
    expect(skipped[4]!.reason).toMatch(/fewer than three fields/);
  });

  it('admits only "host keytype key" lines into a file we write', () => {
    expect(knownHostLineProblem(`git.corp.example ssh-ed25519 ${KEY_A}`)).toBeUndefined();
    expect(knownHostLineProblem(`[git.corp.example]:2222 ssh-ed25519 ${KEY_A}`)).toBeUndefined();
    for (const bad of [
      `git.corp.example  ssh-ed25519 ${KEY_A}`,
      `git.corp.example ssh-ed25519 ${KEY_A} comment`,
      `Git.Corp.Example ssh-ed25519 ${KEY_A}`,
      `git.corp.example,other ssh-ed25519 ${KEY_A}`,
      `[git.corp.example]:22 ssh-ed25519 ${KEY_A}`,
      `@revoked git.corp.example ssh-ed25519 ${KEY_A}`,
      `git.corp.example ssh-ed25519 ${KEY_A}\nevil ssh-ed25519 ${KEY_B}`,
      `git.corp.example ssh-rsa ${KEY_A}`,
    ])
      expect(knownHostLineProblem(bad), bad).toBeDefined();
  });

  it('prints the fingerprint ssh-keygen -lf prints, and every published key has its published fingerprint', () => {
    // ssh-keygen -lf of this line prints SHA256:+DiY3wvvV6TuJJhbpZisF/zLDA0zPMSvHdkr4UvCOqU (GitHub's page says so too).
    expect(fingerprint('AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl')).toBe(
      'SHA256:+DiY3wvvV6TuJJhbpZisF/zLDA0zPMSvHdkr4UvCOqU',
    );
    for (const [host, published] of Object.entries(PUBLISHED_HOST_KEYS)) {
      expect(published.keys.map((key) => key.keyType).sort(), host).toEqual(['ecdsa-sha2-nistp256', 'ssh-ed25519', 'ssh-rsa']);
      for (const key of published.keys) {
        expect(fingerprint(key.key), `${host} ${key.keyType}`).toBe(key.fingerprint);
        expect(knownHostLineProblem(`${host} ${key.keyType} ${key.key}`), `${host} ${key.keyType}`).toBeUndefined();
      }
    }
  });
});

describe('~/.ssh/known_hosts is read as untrusted input', () => {
  const home = (files: Record<string, string> = {}) => {
    const dir = mkdtempSync(join(tmpdir(), 'cgd-home-'));
    mkdirSync(join(dir, '.ssh'));
    for (const [name, content] of Object.entries(files)) writeFileSync(join(dir, '.ssh', name), content);
    return dir;
  };

  it('reads a regular file', () => {
    const user = readUserKnownHosts(home({ known_hosts: `git.corp.example ssh-ed25519 ${KEY_A}\n` }));
    expect(user && 'parsed' in user && user.parsed.entries.length).toBe(1);
  });

  it('has none without HOME or without the file', () => {
    expect(readUserKnownHosts(undefined)).toBeUndefined();
    expect(readUserKnownHosts(home())).toBeUndefined();
  });

  it('refuses a symbolic link, even to a good file', () => {
    const dir = home({ elsewhere: `git.corp.example ssh-ed25519 ${KEY_A}\n` });
    symlinkSync(join(dir, '.ssh', 'elsewhere'), join(dir, '.ssh', 'known_hosts'));
    expect(readUserKnownHosts(dir)).toEqual({ problem: 'is a symbolic link' });
  });

  it('refuses a file over 1 MiB, and a directory', () => {
    expect(readUserKnownHosts(home({ known_hosts: `# ${'x'.repeat(1024 * 1024)}\n` }))).toEqual({
      problem: expect.stringMatching(/^is larger than 1 MiB/) as unknown,
    });
    const dir = home();
    mkdirSync(join(dir, '.ssh', 'known_hosts'));
    expect(readUserKnownHosts(dir)).toEqual({ problem: 'is a directory, not a file' });
  });
});

describe('where host keys come from, in order', () => {
  const host = (name: string) => name as HostName;
  const line = (text: string) => text as KnownHostLine;
  const input = (overrides: Partial<HostKeysInput>): HostKeysInput => ({
    hosts: [],
    keep: [],
    recorded: [],
    userKnownHosts: () => undefined,
    keyscan: false,
    hostsFrom: '--private',
    ...overrides,
  });
  const userFile = (text: string) => () => ({ parsed: parseKnownHosts(text) });

  it('the answers first, even for a published host and over the user file', () => {
    const recorded = [line(`github.com ssh-ed25519 ${KEY_A}`), line(`git.corp.example ssh-ed25519 ${KEY_B}`)];
    const keys = resolveHostKeys(
      input({
        hosts: [host('github.com'), host('git.corp.example')],
        recorded,
        userKnownHosts: () => {
          throw new Error('read although every host was recorded');
        },
      }),
    );
    expect(keys.lines).toEqual([...recorded].sort());
    expect(keys.notes.join('\n')).toMatch(/github\.com, recorded in \.go-docker\.yaml \(known-hosts\): ssh-ed25519 SHA256:/);
  });

  it('then the published keys, then the user file', () => {
    const keys = resolveHostKeys(
      input({
        hosts: [host('gitlab.com'), host('git.corp.example')],
        userKnownHosts: userFile(`gitlab.com ssh-ed25519 ${KEY_A}\ngit.corp.example ssh-ed25519 ${KEY_B}\n`),
      }),
    );
    const published = PUBLISHED_HOST_KEYS['gitlab.com']!.keys.map((key) => `gitlab.com ${key.keyType} ${key.key}`);
    expect(keys.lines).toEqual([...published, `git.corp.example ssh-ed25519 ${KEY_B}`].sort());
    expect(keys.notes).toEqual([
      expect.stringMatching(/^SSH host keys for gitlab\.com, published by GitLab \(https:\/\/docs\.gitlab\.com\/.*SHA256:eUXGGm1Y/),
      `SSH host keys for git.corp.example, from your ~/.ssh/known_hosts: ssh-ed25519 ${fingerprint(KEY_B)}.`,
    ]);
    expect(keys.keyscan).toEqual([]);
  });

  it('refuses a host with no key, naming it and both fixes', () => {
    const run = () =>
      resolveHostKeys(input({ hosts: [host('git.corp.example')], userKnownHosts: userFile(`other ssh-ed25519 ${KEY_A}\n`) }));
    expect(run).toThrow(UsageError);
    expect(run).toThrow(
      /no SSH host key for git\.corp\.example \(a private git host, from --private\).*~\/\.ssh\/known_hosts has none; add it to ~\/\.ssh\/known_hosts after checking its fingerprint \(ssh-keyscan git\.corp\.example >> ~\/\.ssh\/known_hosts.*or pass --ssh-keyscan/,
    );
    expect(() =>
      resolveHostKeys(input({ hosts: [host('git.corp.example')], userKnownHosts: () => ({ problem: 'is a symbolic link' }) })),
    ).toThrow(/~\/\.ssh\/known_hosts is a symbolic link \(not read\)/);
  });

  it('scans at build time only with --ssh-keyscan, and warns', () => {
    const keys = resolveHostKeys(input({ hosts: [host('git.corp.example'), host('github.com')], keyscan: true }));
    expect(keys.keyscan).toEqual(['git.corp.example']);
    expect(keys.lines.every((text) => text.startsWith('github.com '))).toBe(true);
    expect(keys.warnings.join('\n')).toMatch(
      /ssh-keyscan git\.corp\.example runs in every build \(--ssh-keyscan\): it trusts the first key/,
    );
  });

  it('records the keys in use and keeps recorded ones of other private hosts only', () => {
    const keys = resolveHostKeys(
      input({
        hosts: [],
        keep: [host('git.corp.example')],
        recorded: [line(`git.corp.example ssh-ed25519 ${KEY_A}`), line(`git.gone.example ssh-ed25519 ${KEY_B}`)],
      }),
    );
    expect(keys.lines).toEqual([]);
    expect(keys.recorded).toEqual([`git.corp.example ssh-ed25519 ${KEY_A}`]);
  });
});

describe('a run with --auth ssh', () => {
  const flags = ['--yes', '--private', 'git.corp.example/*', '--auth', 'ssh'];
  const homeWith = (knownHosts?: string) => {
    const dir = mkdtempSync(join(tmpdir(), 'cgd-home-'));
    if (knownHosts !== undefined) {
      mkdirSync(join(dir, '.ssh'));
      writeFileSync(join(dir, '.ssh', 'known_hosts'), knownHosts);
    }
    return dir;
  };
  const read = (dir: string, path: string) => readFileSync(join(dir, path), 'utf8');

  it('without a key: one line naming the host and the fix, exit 2, nothing written', async () => {
    const dir = makeProject(PRIVATE_SERVICE);
    const before = snapshotTree(dir);
    const result = await runCli(flags, { cwd: dir, env: { HOME: homeWith() } });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(
      /^create-go-docker: auth ssh: no SSH host key for git\.corp\.example .*~\/\.ssh\/known_hosts does not exist; .* or pass --ssh-keyscan .*\n$/,
    );
    expect(snapshotTree(dir)).toEqual(before);
  });

  it('copies the keys from ~/.ssh/known_hosts, records them, and regenerates them on a machine without it', async () => {
    const dir = makeProject(PRIVATE_SERVICE);
    const home = homeWith(`${hashedHost('git.corp.example')} ssh-ed25519 ${KEY_A}\n`);
    const result = await runCli(flags, { cwd: dir, env: { HOME: home } });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`SSH host keys for git.corp.example, from your ~/.ssh/known_hosts: ssh-ed25519 ${fingerprint(KEY_A)}.`);
    expect(result.stdout).toMatch(/created\s+docker\/known_hosts/);

    const knownHosts = read(dir, 'docker/known_hosts');
    expect(knownHosts.split('\n').filter((text) => !text.startsWith('#') && text !== '')).toEqual([
      `git.corp.example ssh-ed25519 ${KEY_A}`,
    ]);
    expect(knownHosts).toMatch(/^# create-go-docker hash: sha256:[0-9a-f]{64}$/m);

    const dockerfile = read(dir, 'Dockerfile');
    expect(dockerfile).not.toMatch(/ssh-keyscan/);
    const build = parseDockerfile(dockerfile).getInstructions();
    const copy = build.find(
      (instruction) => instruction.getKeyword() === 'COPY' && instruction.getArgumentsContent()?.includes('known_hosts'),
    );
    expect(copy?.getArgumentsContent()).toBe('docker/known_hosts /root/.ssh/known_hosts');
    // The build context holds it: .dockerignore leaves out only its backups.
    const ignore = read(dir, '.dockerignore').split('\n');
    expect(ignore).not.toContain('docker/known_hosts');
    expect(ignore).toContain('docker/known_hosts.orig*');

    expect(read(dir, '.go-docker.yaml')).toContain(`known-hosts:\n  - git.corp.example ssh-ed25519 ${KEY_A}\n`);

    // CI: no ~/.ssh at all. The recorded key gives the same bytes.
    const emptyHome = homeWith();
    expect(await runCli(['regenerate', '--check'], { cwd: dir, env: { HOME: emptyHome } })).toMatchObject({ code: 0 });
    // A recorded key is a decision: another key in the user's file changes nothing.
    const otherHome = homeWith(`git.corp.example ssh-ed25519 ${KEY_B}\n`);
    expect(await runCli(['regenerate', '--check'], { cwd: dir, env: { HOME: otherHome } })).toMatchObject({ code: 0 });
    const before = snapshotTree(dir);
    expect((await runCli(['regenerate'], { cwd: dir, env: { HOME: otherHome } })).code).toBe(0);
    expect(snapshotTree(dir)).toEqual(before);
  });

  it('uses the published keys of github.com with no ~/.ssh', async () => {
    const dir = makeProject({
      ...PRIVATE_SERVICE,
      'go.mod': 'module example.com/svc\n\ngo 1.26\n\nrequire github.com/acme/auth v1.2.0\n',
      'go.sum': 'github.com/acme/auth v1.2.0 h1:x=\ngithub.com/acme/auth v1.2.0/go.mod h1:y=\n',
      'main.go': 'package main\n\nfunc main() {}\n',
    });
    const result = await runCli(['--yes', '--private', 'github.com/acme/*', '--auth', 'ssh'], { cwd: dir, env: {} });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(
      /SSH host keys for github\.com, published by GitHub \(https:\/\/docs\.github\.com\/.*SHA256:\+DiY3wvvV6TuJJhbpZisF/,
    );
    const lines = read(dir, 'docker/known_hosts')
      .split('\n')
      .filter((text) => text.startsWith('github.com '));
    expect(lines).toHaveLength(3);
  });

  it('--ssh-keyscan: scans at build time, with its comment and a warning; recorded as an answer', async () => {
    const dir = makeProject(PRIVATE_SERVICE);
    const result = await runCli([...flags, '--ssh-keyscan'], { cwd: dir, env: { HOME: homeWith() } });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/ssh-keyscan git\.corp\.example runs in every build \(--ssh-keyscan\): it trusts the first key/);
    const dockerfile = read(dir, 'Dockerfile');
    expect(dockerfile).toMatch(/trusts the first key it is shown/);
    expect(dockerfile).toMatch(/&& ssh-keyscan git\.corp\.example >> \/root\/\.ssh\/known_hosts\n/);
    expect(dockerfile).not.toMatch(/COPY docker\/known_hosts/);
    expect(existsSync(join(dir, 'docker/known_hosts'))).toBe(false);
    expect(read(dir, '.go-docker.yaml')).toMatch(/^ssh-keyscan: true$/m);
    expect((await runCli(['regenerate', '--check'], { cwd: dir, env: {} })).code).toBe(0);
  });

  it('refuses a known-hosts entry in .go-docker.yaml that is not a host key line', async () => {
    const dir = makeProject(PRIVATE_SERVICE);
    expect((await runCli(flags, { cwd: dir, env: { HOME: homeWith(`git.corp.example ssh-ed25519 ${KEY_A}\n`) } })).code).toBe(0);
    const answers = read(dir, '.go-docker.yaml');
    writeFileSync(join(dir, '.go-docker.yaml'), answers.replace(`ssh-ed25519 ${KEY_A}`, `ssh-rsa ${KEY_A}`));
    const before = snapshotTree(dir);
    const result = await runCli(['regenerate'], { cwd: dir, env: {} });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/\.go-docker\.yaml:\d+: known-hosts entry 1: its key is not an ssh-rsa key/);
    expect(snapshotTree(dir)).toEqual(before);
  });
});
