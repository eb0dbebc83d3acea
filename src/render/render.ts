// Plan -> file contents. Templates hold the text; this file only feeds them plan fields.
import { formatJson } from './json.js';
import { hclString } from './hcl.js';
import { shellWord } from '../plan/commands.js';
import type { Plan } from '../plan/plan.js';
import { loadTemplates, type RenderTemplate, type TemplateHelpers } from './templates.js';
import { hasControlCharacter } from '../values/text.js';

export interface RenderedFile {
  /** Relative to the output directory, with forward slashes. */
  path: string;
  content: string;
}

/**
 * A value in a Dockerfile instruction's argument (ARG name=value): as it is when the parser
 * reads it literally, else double-quoted with \\, " and $ escaped. Checked kinds never hold a
 * line break; if one ever got here it is a bug, and nothing is written.
 */
function dockerfileValue(value: string): string {
  if (hasControlCharacter(value)) throw new Error(`a control character reached the Dockerfile renderer in ${JSON.stringify(value)}`);
  if (/^[^\s"'\\$`]*$/.test(value)) return value;
  return `"${value.replace(/[\\"$]/g, '\\$&')}"`;
}

/**
 * The last line of defence: every string a template can print is one line. Validators make
 * this so; a plan that breaks it is a bug, reported before any file is written.
 */
function assertOneLineValues(value: unknown, path = 'plan'): void {
  if (typeof value === 'string') {
    if (hasControlCharacter(value)) throw new Error(`${path} holds a control character: ${JSON.stringify(value)}`);
  } else if (Array.isArray(value)) value.forEach((item, index) => assertOneLineValues(item, `${path}[${index}]`));
  else if (value !== null && typeof value === 'object')
    for (const [key, item] of Object.entries(value)) assertOneLineValues(item, `${path}.${key}`);
}

/** A plan value a template prints: text, a number or a switch (none: empty); anything else is a template's bug. */
function templateText(value: unknown): string {
  if (value === undefined || value === null) return '';
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return String(value);
  throw new Error(`internal: a template printed a value of type ${typeof value}`);
}

/** The helpers templates call: each escapes a plan value for its file's format. */
const HELPERS: TemplateHelpers = {
  dockerfileValue: (value) => dockerfileValue(templateText(value)),
  // CMD/ENTRYPOINT exec form is JSON: JSON escapes quotes and backslashes.
  // A YAML double-quoted scalar: JSON's string syntax is a subset of it.
  yamlString: (value) => JSON.stringify(templateText(value)),
  // A string literal in a GitHub Actions expression: single quotes, doubled inside.
  githubLiteral: (value) => `'${templateText(value).replace(/'/g, "''")}'`,
  concat: (...values) => values.slice(0, -1).map(templateText).join(''),
  // A string in HCL (docker-bake.hcl): nothing in it interpolates (hcl.ts).
  hclString: (value) => hclString(templateText(value)),
  // A TOML basic string: JSON's escapes are TOML's (control characters never get here).
  tomlString: (value) => JSON.stringify(templateText(value)),
  // A value inside a systemd unit's double quotes: backslash and quote escaped, and % doubled
  // (systemd reads %x as a specifier).
  systemdValue: (value) => templateText(value).replace(/[\\"]/g, '\\$&').replace(/%/g, '%%'),
  // A word a POSIX shell reads literally (GitLab's script lines).
  shellWord: (value) => shellWord(templateText(value)),
  execForm: (values) => JSON.stringify((values as unknown[]).map(templateText)),
  // A JSON string (renovate.json).
  jsonString: (value) => JSON.stringify(templateText(value)),
};

let templates: RenderTemplate | undefined;

function renderTemplate(name: string, context: object): string {
  templates ??= loadTemplates(HELPERS);
  return templates(name, context);
}

export function renderDockerfile(plan: Plan): string {
  assertOneLineValues(plan);
  return renderTemplate('Dockerfile.hbs', plan);
}

export function renderCompose(plan: Plan): string {
  assertOneLineValues(plan);
  return renderTemplate('compose.yaml.hbs', plan);
}

export function renderCiFile(
  plan: Plan,
  template:
    | 'github-workflow.yml.hbs'
    | 'github-rollout.yml.hbs'
    | 'gitlab-ci.yml.hbs'
    | 'docker-bake.hcl.hbs'
    | 'buildkitd.toml.hbs'
    | 'http-proxy.conf.hbs'
    | 'renovate.json.hbs',
): string {
  assertOneLineValues(plan);
  return renderTemplate(template, plan);
}

/** docker/known_hosts: the SSH host keys the Dockerfile COPYs (auth ssh with keys decided). */
export function renderKnownHosts(plan: Plan): string {
  assertOneLineValues(plan);
  return renderTemplate('known_hosts.hbs', plan);
}

export function renderDockerignore(plan: Plan): string {
  assertOneLineValues(plan);
  return renderTemplate('dockerignore.hbs', plan);
}

/** daemon.json, laid out as prettier lays out JSON (see json.ts). */
export function renderDaemonJson(settings: Record<string, unknown>): string {
  // The settings come from the plan: strings, numbers, booleans, arrays and objects of them.
  return formatJson(JSON.parse(JSON.stringify(settings)) as Parameters<typeof formatJson>[0]);
}
