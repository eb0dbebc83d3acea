// daemon.json is laid out without prettier at run time (start-up cost); this checks the layout
// against prettier itself, on the shapes daemon.json has and on random ones around 80 columns.
import { format } from 'prettier/standalone';
import * as babel from 'prettier/plugins/babel';
import * as estree from 'prettier/plugins/estree';
import { describe, expect, it } from 'vitest';
import { formatJson } from '../src/render/json.js';

type Json = Parameters<typeof formatJson>[0];

const prettierJson = (value: Json) => format(JSON.stringify(value, null, 2), { parser: 'json', plugins: [babel, estree as never] });

/** A deterministic generator (mulberry32), so a failure names a reproducible case. */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function randomValue(next: () => number, depth: number): Json {
  const pick = Math.floor(next() * (depth > 2 ? 4 : 7));
  const text = () => 'abcdefghij.-/:'.repeat(8).slice(0, Math.floor(next() * 40));
  switch (pick) {
    case 0:
      return text();
    case 1:
      return Math.floor(next() * 100000);
    case 2:
      return next() < 0.5;
    case 3:
      return null;
    case 4:
      return Array.from({ length: Math.floor(next() * 5) }, () => (next() < 0.8 ? text() : randomValue(next, depth + 1)));
    default:
      return Object.fromEntries(
        Array.from({ length: Math.floor(next() * 4) }, (_, index) => [`${text().slice(0, 12)}${index}`, randomValue(next, depth + 1)]),
      );
  }
}

describe('daemon.json layout matches prettier', () => {
  it('on the settings create-go-docker writes', async () => {
    const settings: Json = {
      'registry-mirrors': ['https://docker.m.daocloud.io'],
      dns: ['223.5.5.5', '119.29.29.29'],
      proxies: {
        'http-proxy': 'http://proxy.corp.example:3128',
        'https-proxy': 'http://proxy.corp.example:3128',
        'no-proxy': 'localhost,127.0.0.1,::1,git.corp.example,other.corp.example,more.corp.example',
      },
      'log-driver': 'json-file',
      'log-opts': { 'max-size': '10m', 'max-file': '3' },
      features: { buildkit: true },
      builder: { gc: { enabled: true, defaultKeepStorage: '20GB' } },
    };
    expect(formatJson(settings)).toBe(await prettierJson(settings));
  });

  it('on 2000 random shapes, arrays crossing the 80-column line included', async () => {
    for (let seed = 1; seed <= 2000; seed++) {
      const next = random(seed);
      const value: Json = {
        root: randomValue(next, 0),
        list: Array.from({ length: Math.floor(next() * 6) }, () => 'x'.repeat(Math.floor(next() * 30))),
      };
      expect(formatJson(value), `seed ${seed}`).toBe(await prettierJson(value));
    }
  });
});
