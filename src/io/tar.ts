// One file out of an npm package tarball (a gzipped tar), without a tar dependency and without
// writing anything to disk: the archive is untrusted input, so its size after decompression is
// capped, only a regular file is taken, and its name is compared, never used as a path.
import { gunzipSync } from 'node:zlib';

const BLOCK = 512;

export type TarLookup = { found: Buffer } | { problem: string } | undefined;

/**
 * The file at `path` below the archive's top directory ("package/" in npm's tarballs, which npm
 * strips, whatever its name), or a problem, or undefined when there is no such entry.
 */
export function readTarGzEntry(archive: Buffer, path: string, limits: { unpackedBytes: number; fileBytes: number }): TarLookup {
  let tar: Buffer;
  try {
    tar = gunzipSync(archive, { maxOutputLength: limits.unpackedBytes });
  } catch (error) {
    return {
      problem:
        error instanceof RangeError ? `it unpacks to more than ${limits.unpackedBytes / (1024 * 1024)} MiB` : 'it is not a gzip archive',
    };
  }
  for (let offset = 0; offset + BLOCK <= tar.length;) {
    const header = tar.subarray(offset, offset + BLOCK);
    if (header.every((byte) => byte === 0)) return undefined;
    const sizeField = text(header, 124, 12).trim();
    if (!/^[0-7]*$/.test(sizeField)) return { problem: 'it is not a tar archive npm writes (an entry size is not octal)' };
    const size = sizeField === '' ? 0 : parseInt(sizeField, 8);
    const ustar = text(header, 257, 6).startsWith('ustar');
    const prefix = ustar ? text(header, 345, 155) : '';
    const name = prefix ? `${prefix}/${text(header, 0, 100)}` : text(header, 0, 100);
    const type = String.fromCharCode(header[156] ?? 0);
    const start = offset + BLOCK;
    if (start + size > tar.length) return { problem: 'the archive is truncated' };
    if (name.split('/').slice(1).join('/') === path) {
      if (type !== '0' && type !== '\0') return { problem: `${path} is not a regular file in it` };
      if (size > limits.fileBytes) return { problem: `${path} is larger than ${limits.fileBytes / (1024 * 1024)} MiB` };
      return { found: Buffer.from(tar.subarray(start, start + size)) };
    }
    offset = start + Math.ceil(size / BLOCK) * BLOCK;
  }
  return undefined;
}

/** A NUL-terminated header field. */
function text(header: Buffer, start: number, length: number): string {
  const field = header.subarray(start, start + length);
  const end = field.indexOf(0);
  return field.subarray(0, end < 0 ? field.length : end).toString('utf8');
}
