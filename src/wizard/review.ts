// What the wizard shows besides its questions: what was detected, before the first question, and
// the answers, before anything is written. Pure: data in, lines out.
import type { Project } from '../detect/project.js';
import { rankMains } from '../detect/ranking.js';

export function banner(project: Project): string[] {
  const ranked = rankMains(project.mainPackages, project.module.path, project.buildInfo);
  const mains = ranked.map((item) => `${item.main.packagePath}${item.main.listen.port ? ` (port ${item.main.listen.port})` : ''}`);
  const lines = [
    `create-go-docker: ${project.module.path}${project.workspace ? ` (a workspace of ${project.modules.length} modules)` : ''}`,
  ];
  const go = project.workspace?.toolchain ?? project.module.toolchain ?? project.module.goVersion ?? 'no go line';
  lines.push(`  Go: ${go}${project.module.toolchain ? ' (toolchain line)' : ''}`);
  lines.push(`  main packages: ${mains.length > 0 ? mains.join(', ') : 'none'}`);
  const facts = [
    project.vendored ? 'vendor/' : '',
    project.cgoReasons.length > 0 ? `cgo (${project.cgoReasons[0]})` : '',
    project.embedPatterns.length > 0 ? `//go:embed ${project.embedPatterns.slice(0, 3).join(' ')}` : '',
    project.tags.length > 0 ? `build tags ${project.tags.join(',')}` : '',
  ].filter(Boolean);
  if (facts.length > 0) lines.push(`  ${facts.join('; ')}`);
  lines.push('');
  return lines;
}

/** What the review shows of an answer: options hold text, numbers, switches and lists. */
export type ReviewedValue = string | number | boolean | readonly string[] | undefined;

export function review(answers: readonly { label: string; value: ReviewedValue }[]): string[] {
  const width = Math.max(...answers.map((answer) => answer.label.length)) + 2;
  const show = (value: ReviewedValue) =>
    value === undefined || (Array.isArray(value) && value.length === 0) ? '(none)' : Array.isArray(value) ? value.join(',') : String(value);
  return ['', 'Your answers:', ...answers.map((answer) => `  ${answer.label.padEnd(width)}${show(answer.value)}`), ''];
}
