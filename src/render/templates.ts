// The compiled templates, by file name. From the templates/ folder here (tests, a checkout);
// the published build replaces this module with the same templates precompiled at build time
// (scripts/build.mjs), so a run loads Handlebars' small runtime and compiles nothing: compiling
// was a third of a --yes run. Both ways compile with the same options (COMPILE_OPTIONS).
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import Handlebars from 'handlebars';
import { findTemplatesDir } from './templates-dir.js';

export type TemplateHelpers = Record<string, (...values: unknown[]) => string>;
export type RenderTemplate = (name: string, context: object) => string;

/** noEscape: a Dockerfile is not HTML. */
const COMPILE_OPTIONS = { noEscape: true } as const;

export function loadTemplates(helpers: TemplateHelpers): RenderTemplate {
  const environment = Handlebars.create();
  for (const [name, helper] of Object.entries(helpers)) environment.registerHelper(name, helper);
  const partialsDir = join(findTemplatesDir(), 'partials');
  for (const file of readdirSync(partialsDir).sort()) {
    if (file.endsWith('.hbs'))
      environment.registerPartial(file.slice(0, -4), environment.compile(readFileSync(join(partialsDir, file), 'utf8'), COMPILE_OPTIONS));
  }
  const compiled = new Map<string, HandlebarsTemplateDelegate>();
  return (name, context) => {
    let template = compiled.get(name);
    if (!template) {
      template = environment.compile(readFileSync(join(findTemplatesDir(), name), 'utf8'), COMPILE_OPTIONS);
      compiled.set(name, template);
    }
    return template(context);
  };
}
