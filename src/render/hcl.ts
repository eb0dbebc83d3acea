// HCL string literals for docker-bake.hcl: whatever the value, buildx reads back exactly that
// text, never an interpolation (${...}) or a template directive (%{...}).
//
// A quoted HCL string is a template: "${" starts an interpolation and "%{" a directive, and
// they are written literally as "$${" and "%%{". Its escapes are \n \r \t \" \\ \uNNNN and
// \UNNNNNNNN only: JSON's \b and \f are errors there, and so is a \u escape of a lone surrogate
// (HCL cannot encode it in UTF-8).

const ESCAPES: Record<string, string> = { '"': '\\"', '\\': '\\\\', '\n': '\\n', '\r': '\\r', '\t': '\\t' };

/** The value as a double-quoted HCL string that evaluates to it (a lone surrogate becomes U+FFFD). */
export function hclString(value: string): string {
  let body = '';
  for (let index = 0; index < value.length; index++) {
    const char = value[index]!;
    const code = char.charCodeAt(0);
    if (ESCAPES[char] !== undefined) body += ESCAPES[char];
    else if (code < 0x20 || code === 0x7f) body += `\\u${code.toString(16).padStart(4, '0')}`;
    else if (code >= 0xd800 && code <= 0xdbff && /[\udc00-\udfff]/.test(value[index + 1] ?? '')) body += char + value[++index]!;
    // A surrogate without its pair is no character: written as UTF-8 it would be U+FFFD anyway.
    else if (code >= 0xd800 && code <= 0xdfff) body += '\ufffd';
    else if ((char === '$' || char === '%') && value[index + 1] === '{') body += `${char}${char}`;
    else body += char;
  }
  return `"${body}"`;
}
