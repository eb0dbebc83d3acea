// What makes a generated file "managed": a hash marker in its header, and custom blocks whose
// lines belong to the user. The hash covers the file with the marker's value blanked and every
// custom block emptied, so an edit inside a custom block is not a hand edit, while any other
// change is. Custom block lines are kept exactly: each keeps its own line ending (a CRLF line
// pasted into an LF file stays CRLF, and the rest stays LF), and any bytes (io/bytes.ts). Pure
// text functions; reading and writing files is write.ts's job.
import { createHash } from 'node:crypto';

/** The header line that carries the hash, in files with # comments (Dockerfile, .dockerignore). */
const HASH_LINE = /^# create-go-docker hash: (\S+)$/m;
const HASH_PLACEHOLDER = '# create-go-docker hash: -';
// A marker line may end in "\r" (a CRLF file); "." stops at "\r", so it is matched explicitly.
const BLOCK_BEGIN = /^# custom:begin ([a-z0-9][a-z0-9._-]*)\b[^\r]*\r?$/;
const BLOCK_END = /^# custom:end ([a-z0-9][a-z0-9._-]*)[ \t]*\r?$/;

export function contentHash(content: string): string {
  return `sha256:${createHash('sha256').update(content).digest('hex')}`;
}

export interface CustomBlocks {
  /** Body lines of each block by name, as they are (a "\r" kept); none for an empty block. */
  bodies: Map<string, string[]>;
  /** Why the blocks cannot be read (unbalanced or repeated markers), if they cannot. */
  problem?: string;
}

/** The custom blocks of a text, with their bodies. */
export function readCustomBlocks(text: string): CustomBlocks {
  const bodies = new Map<string, string[]>();
  let open: { name: string; lines: string[]; line: number } | undefined;
  const lines = text.split('\n');
  for (const [index, line] of lines.entries()) {
    const begin = BLOCK_BEGIN.exec(line);
    const end = BLOCK_END.exec(line);
    if (begin) {
      if (open) return { bodies, problem: `line ${index + 1}: custom block "${begin[1]}" begins inside "${open.name}"` };
      if (bodies.has(begin[1]!)) return { bodies, problem: `line ${index + 1}: custom block "${begin[1]}" appears twice` };
      open = { name: begin[1]!, lines: [], line: index + 1 };
    } else if (end) {
      if (!open || open.name !== end[1]) return { bodies, problem: `line ${index + 1}: "custom:end ${end[1]}" without its custom:begin` };
      bodies.set(open.name, open.lines);
      open = undefined;
    } else if (open) {
      open.lines.push(line);
    }
  }
  if (open) return { bodies, problem: `line ${open.line}: custom block "${open.name}" has no custom:end` };
  return { bodies };
}

/** The text with every custom block's body replaced by the lines `bodyFor(name)` gives. */
function replaceBlockBodies(text: string, bodyFor: (name: string) => readonly string[]): string {
  const output: string[] = [];
  let inside = false;
  for (const line of text.split('\n')) {
    const begin = BLOCK_BEGIN.exec(line);
    if (begin) {
      output.push(line);
      output.push(...bodyFor(begin[1]!));
      inside = true;
    } else if (BLOCK_END.test(line)) {
      output.push(line);
      inside = false;
    } else if (!inside) {
      output.push(line);
    }
  }
  return output.join('\n');
}

/**
 * An image digest in a reference (name:tag@sha256:...). The hash leaves digests out: Renovate bumps
 * a pin in .go-docker.yaml and in the files that write it, in one change, and that is no hand
 * edit; a digest edited in the files alone still differs from what regenerate renders.
 */
const IMAGE_DIGEST_IN_TEXT = /@sha256:[0-9a-f]{64}\b/g;

/**
 * What the hash covers: the marker blanked, custom blocks emptied, image digests left out, line
 * endings as LF (a CRLF checkout is not an edit).
 */
function hashedText(text: string): string {
  return withLf(replaceBlockBodies(text.replace(HASH_LINE, HASH_PLACEHOLDER), () => [])).replace(IMAGE_DIGEST_IN_TEXT, '@sha256:');
}

export function withLf(text: string): string {
  return text.replace(/\r\n/g, '\n');
}

/** A file uses CRLF line endings when its first line does (our header; custom lines may differ). */
export function usesCrlf(text: string): boolean {
  const end = text.indexOf('\n');
  return end > 0 && text[end - 1] === '\r';
}

/** The hash of the generated part of a file: equal for a fresh render and for the same file with custom lines added. */
export function managedHash(text: string): string {
  return contentHash(hashedText(text));
}

/** Writes the hash of the generated part into the marker line (a no-op for files without one). */
export function stampHash(text: string): string {
  if (!HASH_LINE.test(text)) return text;
  const hash = managedHash(text);
  return text.replace(HASH_LINE, `# create-go-docker hash: ${hash}`);
}

/** The hash a file's own marker line records, if it has one. */
export function markedHash(text: string): string | undefined {
  const value = HASH_LINE.exec(text)?.[1];
  return value && value !== '-' ? value : undefined;
}

export interface MergedBlocks {
  content: string;
  /** Names of custom blocks with lines in `current` that the new render no longer has. */
  lost: string[];
}

/**
 * A fresh render (LF) with the custom block bodies of the current file put back as they are,
 * hash stamped; with `crlf`, every generated line ends in CRLF, as the file on disk does.
 */
export function keepCustomBlocks(rendered: string, current: CustomBlocks, crlf = false): MergedBlocks {
  const renderedBlocks = readCustomBlocks(rendered).bodies;
  const lost = [...current.bodies]
    .filter(([name, body]) => body.some((line) => line.trim() !== '') && !renderedBlocks.has(name))
    .map(([name]) => name);
  const generated = crlf ? rendered.replace(/\n/g, '\r\n') : rendered;
  const content = stampHash(replaceBlockBodies(generated, (name) => current.bodies.get(name) ?? []));
  return { content, lost };
}
