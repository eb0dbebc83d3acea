// Issue 22: the files around the Dockerfile must be accepted by the programs that read them.
// BuildKit's TOML parser refuses a table written twice; the e2e suite starts buildkitd with
// every variant, these tests pin the shape.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { generatedProject, SIMPLE_SERVICE, TEST_CA } from './helpers.js';

const read = (dir: string, path: string): string => readFileSync(join(dir, path), 'utf8');
const tables = (toml: string): string[] => [...toml.matchAll(/^\[(.+)\]$/gm)].map((match) => match[1]!);

describe('docker/buildkitd.toml: one table per registry', () => {
  it('mainland China with a corporate CA: docker.io carries its mirrors and the CA in one table', async () => {
    const dir = await generatedProject(['--region', 'cn', '--ca-cert', 'corp.pem'], { ...SIMPLE_SERVICE, 'corp.pem': TEST_CA });
    const toml = read(dir, 'docker/buildkitd.toml');
    expect(tables(toml)).toEqual(['registry."docker.io"', 'registry."docker.m.daocloud.io"']);
    expect(toml).toContain('[registry."docker.io"]\n  mirrors = ["docker.m.daocloud.io"]\n  ca = ["corp.pem"]\n');
    // The TLS-inspecting proxy stands between the builder and the mirror too.
    expect(toml).toContain('[registry."docker.m.daocloud.io"]\n  ca = ["corp.pem"]\n');
  });

  it('a corporate CA with distroless: every registry the images come from, each once', async () => {
    const dir = await generatedProject(['--ca-cert', 'corp.pem'], { ...SIMPLE_SERVICE, 'corp.pem': TEST_CA });
    const found = tables(read(dir, 'docker/buildkitd.toml'));
    expect(found).toEqual(['registry."docker.io"', 'registry."gcr.io"']);
  });

  it('mainland China without a CA: the mirror table alone', async () => {
    const dir = await generatedProject(['--region', 'cn']);
    expect(tables(read(dir, 'docker/buildkitd.toml'))).toEqual(['registry."docker.io"']);
  });

  it('no mirror and no CA: no file', async () => {
    const dir = await generatedProject();
    expect(() => read(dir, 'docker/buildkitd.toml')).toThrow(/ENOENT/);
    expect(read(dir, 'Dockerfile')).toContain('FROM gcr.io/distroless/static-debian12:nonroot');
  });
});

describe('dockerd: daemon.json holds what 20.10 accepts; the proxy is a systemd drop-in', () => {
  const proxy = ['--proxy', 'http://proxy.corp.example:3128'];

  it('--proxy: docker/http-proxy.conf with the three variables, and no "proxies" in daemon.json', async () => {
    const dir = await generatedProject(['--region', 'cn', ...proxy]);
    const settings = JSON.parse(read(dir, 'docker/daemon.json')) as Record<string, unknown>;
    expect(settings).not.toHaveProperty('proxies');
    const dropIn = read(dir, 'docker/http-proxy.conf');
    expect(dropIn).toContain(
      '[Service]\nEnvironment="HTTP_PROXY=http://proxy.corp.example:3128"\nEnvironment="HTTPS_PROXY=http://proxy.corp.example:3128"\n' +
        'Environment="NO_PROXY=localhost,127.0.0.1,::1"\n',
    );
    expect(dropIn).toMatch(/^# create-go-docker hash: sha256:[0-9a-f]{64}$/m);
  });

  it('no --proxy, or --no-daemon-json: no drop-in', async () => {
    const plain = await generatedProject();
    expect(() => read(plain, 'docker/http-proxy.conf')).toThrow(/ENOENT/);
    const none = await generatedProject(['--no-daemon-json', ...proxy]);
    expect(() => read(none, 'docker/http-proxy.conf')).toThrow(/ENOENT/);
  });

  it("NO_PROXY: the company's module proxy skips the HTTP proxy; a public fallback goes through it", async () => {
    const dir = await generatedProject([
      '--region',
      'custom',
      '--goproxy',
      'https://athens.corp.example|https://proxy.golang.org,direct',
      ...proxy,
      '--private',
      'git.corp.example/*',
    ]);
    expect(read(dir, 'docker/http-proxy.conf')).toContain(
      'Environment="NO_PROXY=localhost,127.0.0.1,::1,athens.corp.example,git.corp.example"\n',
    );
    expect(read(dir, 'Dockerfile')).not.toContain('proxy.golang.org,git');
  });

  it('region cn: public DNS only when no private git host may need the company resolver; --dns always wins', async () => {
    const alone = await generatedProject(['--region', 'cn']);
    expect(JSON.parse(read(alone, 'docker/daemon.json'))).toMatchObject({ dns: ['223.5.5.5', '119.29.29.29'] });
    const privateHost = await generatedProject(['--region', 'cn', '--private', 'git.corp.example/*']);
    expect(JSON.parse(read(privateHost, 'docker/daemon.json'))).not.toHaveProperty('dns');
    const given = await generatedProject(['--region', 'cn', '--private', 'git.corp.example/*', '--dns', '10.0.0.53']);
    expect(JSON.parse(read(given, 'docker/daemon.json'))).toMatchObject({ dns: ['10.0.0.53'] });
  });
});

describe('CI in mainland China: every image through the mirror, npx through npmmirror, a current Node LTS', () => {
  it('GitLab, region cn: node and moby/buildkit through the registry mirror; npm_config_registry on the npx jobs', async () => {
    const dir = await generatedProject(['--region', 'cn', '--ci', 'gitlab']);
    const pipeline = read(dir, '.gitlab-ci.yml');
    const images = [...pipeline.matchAll(/^\s+(?:image|name): (\S+)$/gm)].map((match) => match[1]!);
    expect(images).toEqual(['docker.m.daocloud.io/library/node:24-bookworm-slim', 'docker.m.daocloud.io/moby/buildkit:v0.18.2-rootless']);
    expect(pipeline).toContain('    npm_config_registry: "https://registry.npmmirror.com"\n    npm_config_audit: "false"\n');
  });

  it('GitLab, --registry: the job images through that prefix; global: Docker Hub names, no npm mirror', async () => {
    const prefixed = read(
      await generatedProject(['--region', 'cn', '--registry', 'harbor.example.cn/hub', '--ci', 'gitlab']),
      '.gitlab-ci.yml',
    );
    expect(prefixed).toContain('image: harbor.example.cn/hub/library/node:24-bookworm-slim\n');
    expect(prefixed).toContain('name: harbor.example.cn/hub/moby/buildkit:v0.18.2-rootless\n');
    const global = read(await generatedProject(['--ci', 'gitlab']), '.gitlab-ci.yml');
    expect(global).toContain('image: node:24-bookworm-slim\n');
    expect(global).not.toContain('npm_config_registry');
  });

  it('GitHub: Node 24; region cn adds npmmirror as setup-node registry-url', async () => {
    const cn = read(await generatedProject(['--region', 'cn', '--ci', 'github']), '.github/workflows/docker.yml');
    expect(cn).toContain(
      "          node-version: 24\n          # npx through the region's npm mirror.\n" +
        '          registry-url: "https://registry.npmmirror.com"\n',
    );
    const global = read(await generatedProject(['--ci', 'github']), '.github/workflows/docker.yml');
    expect(global).toContain('          node-version: 24\n');
    expect(global).not.toContain('registry-url');
  });
});

describe('--registry-mirror: more than one Docker Hub mirror, in order', () => {
  it('daemon.json lists them all, buildkitd.toml mirrors docker.io through them, CI images use the first', async () => {
    const mirrors = 'https://mirror.corp.example,http://10.0.0.9:5000';
    const dir = await generatedProject(['--region', 'cn', '--registry-mirror', mirrors, '--ci', 'gitlab']);
    expect(JSON.parse(read(dir, 'docker/daemon.json'))).toMatchObject({ 'registry-mirrors': mirrors.split(',') });
    const toml = read(dir, 'docker/buildkitd.toml');
    expect(toml).toContain('[registry."docker.io"]\n  mirrors = ["mirror.corp.example", "10.0.0.9:5000"]\n');
    expect(toml).toContain('[registry."10.0.0.9:5000"]\n  http = true\n');
    expect(read(dir, '.gitlab-ci.yml')).toContain('image: mirror.corp.example/library/node:24-bookworm-slim\n');
    expect(read(dir, '.go-docker.yaml')).toMatch(/^registry-mirrors:/m);
  });

  it('any region: the mirrors apply without region cn; a mirror with a path is refused, naming it', async () => {
    const dir = await generatedProject(['--registry-mirror', 'https://mirror.corp.example']);
    expect(JSON.parse(read(dir, 'docker/daemon.json'))).toMatchObject({ 'registry-mirrors': ['https://mirror.corp.example'] });
    await expect(generatedProject(['--registry-mirror', 'https://mirror.corp.example/v2/hub'])).rejects.toThrow(
      /--registry-mirror: "https:\/\/mirror\.corp\.example\/v2\/hub" is not a registry mirror URL \(a mirror URL has no path\)/,
    );
  });
});
