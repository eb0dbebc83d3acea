// The secrets property (issue 18): generated credentials, in every shape and context, never come
// out of the one masking function (redactSecrets, behind quoted, safeLine and safeJson), nor out
// of anything that uses it, while module@version, digests, git@host:path and GOPROXY protocol
// paths stay readable.
import { describe, expect, it } from 'vitest';
import { hostAndPath, quoted, redactSecrets, safeJson, safeLine } from '../src/values/text.js';
import { credential, notCredential, type Credential } from './safety/credentials.js';
import { seededRandom } from './safety/hostile.js';

const SEED = Number(process.env.CGD_SAFETY_SEED ?? 20261125);

/** The chunks of the secret that `text` still shows. */
function leaked(text: string, item: Credential): string[] {
  return item.chunks.filter((chunk) => text.includes(chunk));
}

describe('redactSecrets on generated credentials', () => {
  it('no chunk of a secret survives, in any shape or context (3000 cases)', () => {
    const random = seededRandom(SEED);
    const failures: string[] = [];
    for (let index = 0; index < 3000; index++) {
      const item = credential(random);
      const outputs = {
        redactSecrets: redactSecrets(item.text),
        quoted: quoted(item.text),
        safeLine: safeLine(`create-go-docker: --proxy: ${item.text} is not valid`),
        safeJson: safeJson(JSON.stringify({ goproxy: item.text, note: `x ${item.text}` }, null, 2)),
        hostAndPath: hostAndPath(item.text),
      };
      for (const [name, output] of Object.entries(outputs)) {
        const chunks = leaked(output, item);
        if (chunks.length > 0) failures.push(`${name}(${JSON.stringify(item.text)}) [${item.shape}] -> ${JSON.stringify(output)}`);
      }
      // Masking twice changes nothing: a message quoting an already masked value stays as it is.
      if (redactSecrets(outputs.redactSecrets) !== outputs.redactSecrets) failures.push(`not idempotent on ${JSON.stringify(outputs.redactSecrets)}`);
      expect(() => JSON.parse(outputs.safeJson)).not.toThrow();
    }
    expect(failures.slice(0, 20)).toEqual([]);
  });

  it('leaves what is not a credential readable (1000 cases)', () => {
    const random = seededRandom(SEED + 1);
    for (let index = 0; index < 1000; index++) {
      const text = notCredential(random);
      expect(redactSecrets(text), text).toBe(text);
      expect(redactSecrets(`"${text}" and ${text}`)).toBe(`"${text}" and ${text}`);
    }
  });
});
