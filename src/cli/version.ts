// The package's own version, read once from package.json beside templates/.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { findTemplatesDir } from '../render/templates-dir.js';

let version: string | undefined;

export function toolVersion(): string {
  version ??= (JSON.parse(readFileSync(join(dirname(findTemplatesDir()), 'package.json'), 'utf8')) as { version: string }).version;
  return version;
}
