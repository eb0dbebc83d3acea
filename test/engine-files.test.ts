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
