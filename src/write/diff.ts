// A unified diff of two texts, as `diff -u` prints it, for showing a hand edit or a drift.
// Written by hand (about 70 lines) rather than bundling a diff library: the files we manage
// are a few hundred lines at most, so a plain longest-common-subsequence table is fast enough.

type Edit = { kind: ' ' | '-' | '+'; line: string };

const CONTEXT_LINES = 3;

/** Line edits turning `before` into `after`, from a longest-common-subsequence table. */
function lineEdits(before: string[], after: string[]): Edit[] {
  const rows = before.length + 1;
  const columns = after.length + 1;
  // common[i * columns + j]: length of the LCS of before[i..] and after[j..].
  const common = new Uint32Array(rows * columns);
  for (let i = before.length - 1; i >= 0; i--) {
    for (let j = after.length - 1; j >= 0; j--) {
      common[i * columns + j] =
        before[i] === after[j]
          ? common[(i + 1) * columns + j + 1]! + 1
          : Math.max(common[(i + 1) * columns + j]!, common[i * columns + j + 1]!);
    }
  }
  const edits: Edit[] = [];
  let i = 0;
  let j = 0;
  while (i < before.length || j < after.length) {
    if (i < before.length && j < after.length && before[i] === after[j]) {
      edits.push({ kind: ' ', line: before[i++]! });
      j++;
    } else if (i < before.length && (j === after.length || common[(i + 1) * columns + j]! >= common[i * columns + j + 1]!)) {
      // Removals before additions, as diff -u prints them.
      edits.push({ kind: '-', line: before[i++]! });
    } else {
      edits.push({ kind: '+', line: after[j++]! });
    }
  }
  return edits;
}

/** Lines as a reader sees them: a CRLF file's "\r" is its line ending, not text to show. */
function splitLines(text: string): string[] {
  if (text === '') return [];
  const lines = text.split('\n').map((line) => (line.endsWith('\r') ? line.slice(0, -1) : line));
  if (lines[lines.length - 1] === '') lines.pop();
  else lines.push(`${lines.pop() ?? ''}\n\\ No newline at end of file`);
  return lines;
}

/** `diff -u` output from `beforeLabel` to `afterLabel`; empty when the texts are equal. */
export function unifiedDiff(before: string, after: string, beforeLabel: string, afterLabel: string): string {
  if (before === after) return '';
  const edits = lineEdits(splitLines(before), splitLines(after));
  const changed = edits.map((edit, index) => (edit.kind === ' ' ? -1 : index)).filter((index) => index >= 0);
  const output = [`--- ${beforeLabel}`, `+++ ${afterLabel}`];
  let next = 0;
  while (next < changed.length) {
    // A hunk: changes closer than two context windows share one.
    const first = changed[next]!;
    let last = first;
    while (next + 1 < changed.length && changed[next + 1]! - last <= 2 * CONTEXT_LINES) last = changed[++next]!;
    next++;
    const start = Math.max(0, first - CONTEXT_LINES);
    const end = Math.min(edits.length, last + CONTEXT_LINES + 1);
    let beforeLine = 1 + edits.slice(0, start).filter((edit) => edit.kind !== '+').length;
    let afterLine = 1 + edits.slice(0, start).filter((edit) => edit.kind !== '-').length;
    const hunk = edits.slice(start, end);
    const beforeCount = hunk.filter((edit) => edit.kind !== '+').length;
    const afterCount = hunk.filter((edit) => edit.kind !== '-').length;
    // diff -u numbers an empty side from the line before it.
    if (beforeCount === 0) beforeLine--;
    if (afterCount === 0) afterLine--;
    output.push(`@@ -${beforeLine},${beforeCount} +${afterLine},${afterCount} @@`);
    for (const edit of hunk) output.push(`${edit.kind}${edit.line}`);
  }
  return `${output.join('\n')}\n`;
}
