// Where templates/ is: beside the package root, two levels up from src/render, one from dist/.
// Its own module, so commands that only need the path (--help, --version) do not load Handlebars.
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

let templatesDir: string | undefined;

export function findTemplatesDir(): string {
  if (templatesDir) return templatesDir;
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let depth = 0; depth < 4; depth++) {
    if (existsSync(join(dir, 'templates', 'Dockerfile.hbs'))) return (templatesDir = join(dir, 'templates'));
    dir = dirname(dir);
  }
  throw new Error('create-go-docker is installed without its templates/ folder; reinstall the package.');
}
