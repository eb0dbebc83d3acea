// Text that round-trips any bytes. A file's bytes that are not valid UTF-8 (a Latin-1 "é" in a
// custom block) decode to lone surrogates U+DC80..U+DCFF, one per byte, and encode back to the
// same byte, as Python's "surrogateescape" does; valid UTF-8 never decodes to a lone surrogate,
// so the mapping is exact both ways. Anything create-go-docker keeps of a user's file (custom
// block lines, a --force backup) goes through here, so it is written back byte for byte.

const ESCAPE_BASE = 0xdc00;

/** Decodes UTF-8, escaping each byte of an invalid sequence as a lone surrogate. */
export function decodeBytes(bytes: Uint8Array): string {
  const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8');
  // Fast path: valid UTF-8 decodes without U+FFFD, or with U+FFFD that the file really holds.
  if (!text.includes('\ufffd') || Buffer.from(text, 'utf8').equals(bytes)) return text;
  let result = '';
  let index = 0;
  while (index < bytes.length) {
    const length = sequenceLength(bytes, index);
    if (length === 0) {
      result += String.fromCharCode(ESCAPE_BASE + bytes[index]!);
      index += 1;
    } else {
      result += Buffer.from(bytes.subarray(index, index + length)).toString('utf8');
      index += length;
    }
  }
  return result;
}

/** Encodes text as UTF-8, writing each escaped byte (a lone U+DC80..U+DCFF) back as itself. */
export function encodeText(text: string): Buffer {
  if (!/[\udc80-\udcff]/.test(text)) return Buffer.from(text, 'utf8');
  const parts: Buffer[] = [];
  let start = 0;
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index);
    const lone = code >= 0xdc80 && code <= 0xdcff && !(index > 0 && isHighSurrogate(text.charCodeAt(index - 1)));
    if (!lone) continue;
    parts.push(Buffer.from(text.slice(start, index), 'utf8'), Buffer.from([code - ESCAPE_BASE]));
    start = index + 1;
  }
  parts.push(Buffer.from(text.slice(start), 'utf8'));
  return Buffer.concat(parts);
}

const isHighSurrogate = (code: number): boolean => code >= 0xd800 && code <= 0xdbff;
const isContinuation = (byte: number | undefined): boolean => byte !== undefined && byte >= 0x80 && byte <= 0xbf;

/** The length of the valid UTF-8 sequence at `index` (RFC 3629: no overlongs, no surrogates), or 0. */
function sequenceLength(bytes: Uint8Array, index: number): number {
  const first = bytes[index]!;
  if (first < 0x80) return 1;
  const second = bytes[index + 1];
  if (first >= 0xc2 && first <= 0xdf) return isContinuation(second) ? 1 + 1 : 0;
  if (first >= 0xe0 && first <= 0xef) {
    const low = first === 0xe0 ? 0xa0 : 0x80;
    const high = first === 0xed ? 0x9f : 0xbf;
    if (second === undefined || second < low || second > high || !isContinuation(bytes[index + 2])) return 0;
    return 3;
  }
  if (first >= 0xf0 && first <= 0xf4) {
    const low = first === 0xf0 ? 0x90 : 0x80;
    const high = first === 0xf4 ? 0x8f : 0xbf;
    if (second === undefined || second < low || second > high || !isContinuation(bytes[index + 2]) || !isContinuation(bytes[index + 3]))
      return 0;
    return 4;
  }
  return 0;
}
