// Where templates/ is: beside the package root, two levels up from src/render, one from dist/.
// Its own module, so commands that only need the path (--help, --version) do not load Handlebars.
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { findUp, levelsUp } from '../io/paths.js';

let templatesDir: string | undefined;

export function findTemplatesDir(): string {
  if (templatesDir) return templatesDir;
  const templates = (dir: string) => (existsSync(join(dir, 'templates', 'Dockerfile.hbs')) ? join(dir, 'templates') : undefined);
  templatesDir = findUp(dirname(fileURLToPath(import.meta.url)), templates, levelsUp(3));
  if (templatesDir) return templatesDir;
  throw new Error('create-go-docker is installed without its templates/ folder; reinstall the package.');
}
