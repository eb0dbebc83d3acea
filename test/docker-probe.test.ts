// The probe asks the daemon's /_ping for its Builder-Version with one HTTP/1.0 request on the
// Unix socket (src/cli/docker.ts); here a socket answers as dockerd does, headers in any case.
import { createServer, type Server } from 'node:net';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ping } from '../src/cli/docker.js';

let server: Server | undefined;
afterEach(() => server?.close());

function daemon(answer: string): Promise<string> {
  const socket = join(mkdtempSync(join(tmpdir(), 'cgd-ping-')), 'docker.sock');
  server = createServer((connection) => {
    let request = '';
    connection.on('data', (chunk) => {
      if (request.includes('\r\n\r\n')) return;
      request += chunk.toString();
      if (request.includes('\r\n\r\n'))
        connection.end(request.startsWith('GET /_ping HTTP/1.0\r\n') ? answer : 'HTTP/1.1 400 Bad Request\r\n\r\n');
    });
  });
  return new Promise((resolve) => server!.listen(socket, () => resolve(socket)));
}

describe("the daemon's builder version", () => {
  it.each([
    ['BuildKit by default', 'HTTP/1.1 200 OK\r\nApi-Version: 1.41\r\nBuilder-Version: 2\r\nContent-Length: 2\r\n\r\nOK', '2'],
    ['the classic builder, header in lower case', 'HTTP/1.1 200 OK\r\nbuilder-version: 1\r\n\r\nOK', '1'],
    ['no header', 'HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nOK', undefined],
    ['an error status', 'HTTP/1.1 500 Internal Server Error\r\nBuilder-Version: 2\r\n\r\n', undefined],
  ])('%s', async (_name, answer, expected) => {
    const socket = await daemon(answer);
    expect(await ping({ DOCKER_HOST: `unix://${socket}` })).toBe(expected);
  });
});

it('no daemon behind the socket: no answer, at once', async () => {
  expect(await ping({ DOCKER_HOST: `unix://${join(mkdtempSync(join(tmpdir(), 'cgd-ping-')), 'none.sock')}` })).toBeUndefined();
});
