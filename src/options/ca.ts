// The corporate root CA (--ca-cert): only X.509 certificates in PEM reach a build context or an
// image. Any other PEM block (a private key), text that is not a comment, or a certificate that
// does not parse is refused, and nothing is copied; what is copied is the certificates alone,
// re-encoded.
import { X509Certificate } from 'node:crypto';
import { UsageError } from '../errors.js';
import { InputFileError, MIB, readInputFile } from '../io/read.js';
import { shown } from '../values/text.js';

const CA_MAX_BYTES = 1 * MIB;
const PEM_BLOCK = /-----BEGIN ([A-Z0-9 ]+)-----\r?\n([\s\S]*?)-----END \1-----/g;

/** The certificates of a PEM file, normalised, or a UsageError naming the flag and the problem. */
export function readCaCertificates(path: string, input = '--ca-cert'): string {
  const named = `${input} ${shown(path)}`;
  let text: string;
  try {
    text = readInputFile(path, { maxBytes: CA_MAX_BYTES });
  } catch (error) {
    if (!(error instanceof InputFileError)) throw error;
    throw new UsageError(
      `${named}: cannot read it (${error.code === 'ENOENT' ? 'ENOENT' : error.reason}); give the PEM file of your root CA.`,
    );
  }
  const certificates: string[] = [];
  let outside = text;
  for (const match of text.matchAll(PEM_BLOCK)) {
    const label = match[1]!;
    if (label !== 'CERTIFICATE') {
      const what = /PRIVATE KEY/.test(label) ? 'a private key, which must never reach an image' : `a ${label} block, not a certificate`;
      throw new UsageError(`${named}: contains ${what}; give the certificate alone.`);
    }
    try {
      certificates.push(new X509Certificate(match[0]).toString().trim());
    } catch {
      throw new UsageError(`${named}: certificate ${certificates.length + 1} does not parse as X.509; export the root CA again as PEM.`);
    }
    outside = outside.replace(match[0], '');
  }
  if (/-----(BEGIN|END) /.test(outside))
    throw new UsageError(`${named}: has an unterminated or mismatched PEM block; export the root CA again as PEM.`);
  if (certificates.length === 0) {
    throw new UsageError(`${named}: not a PEM certificate (no BEGIN CERTIFICATE block); export the root CA as PEM.`);
  }
  const stray = outside
    .split(/\r?\n/)
    .find((line) => line.trim() !== '' && !line.trimStart().startsWith('#') && !/^(subject|issuer)=/.test(line.trim()));
  if (stray !== undefined) {
    throw new UsageError(
      `${named}: has text outside its certificates, which would be copied into the image; keep only the BEGIN/END CERTIFICATE blocks.`,
    );
  }
  return `${certificates.join('\n')}\n`;
}
