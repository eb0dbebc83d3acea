// .dockerignore rules as Docker reads them: the plan decides which kept paths need a "!" line
// with them, and doctor checks a project's file with them. Pure (no file, no template): doctor
// imports it without loading the renderer.

/** The rules of a .dockerignore text: every line but blank lines and comments, trimmed. */
export function dockerignoreRules(text: string | undefined): string[] {
  return (text ?? '')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'));
}

/** Docker's rule: the last matching pattern decides; "!" patterns re-include. */
export function isIgnored(rules: readonly string[], path: string): boolean {
  return ignoreMatcher(rules)(path);
}

/**
 * isIgnored with every rule compiled once, for a walk that asks about each path of a tree
 * (compiling the rules per path made doctor's context walk 10 times slower). A walk that never
 * enters an ignored directory passes parentsKept: with no "!" rule, no rule matched a parent,
 * so only the whole path needs testing.
 */
export function ignoreMatcher(rules: readonly string[]): (path: string, parentsKept?: boolean) => boolean {
  const compiled = rules.map((rule) => {
    const negated = rule.startsWith('!');
    return { negated, ...compileRule(negated ? rule.slice(1) : rule) };
  });
  const hasNegation = compiled.some((rule) => rule.negated);
  return (path, parentsKept = false) => {
    let ignored = false;
    for (const rule of compiled) if (parentsKept && !hasNegation ? rule.whole(path) : rule.matches(path)) ignored = !rule.negated;
    return ignored;
  };
}

/**
 * Whether a .dockerignore rule excludes `path` or one of its parent directories (Docker
 * matches rules with Go's filepath.Match per path, plus "**" for any number of directories).
 */
export function ignoreRuleMatches(rule: string, path: string): boolean {
  return compileRule(rule).matches(path);
}

/** Whether any of the rules (none negated) excludes `path` or a parent, each rule compiled once for many paths. */
export function anyRuleMatcher(rules: readonly string[]): (path: string) => boolean {
  const compiled = rules.map(compileRule);
  return (path) => compiled.some((rule) => rule.matches(path));
}

/** A rule compiled: whether it matches the path or a parent, and whether it matches the whole path. */
function compileRule(rule: string): { matches: (path: string) => boolean; whole: (path: string) => boolean } {
  const pattern = rule.replace(/^\/+/, '').replace(/\/+$/, '');
  let regex = '';
  for (let index = 0; index < pattern.length; index++) {
    const char = pattern[index]!;
    if (char === '*' && pattern[index + 1] === '*') {
      regex += pattern[index + 2] === '/' ? '(?:.*/)?' : '.*';
      index += pattern[index + 2] === '/' ? 2 : 1;
    } else if (char === '*') regex += '[^/]*';
    else if (char === '?') regex += '[^/]';
    else regex += char.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  const matcher = new RegExp(`^${regex}$`);
  return {
    matches: (path) => {
      const segments = path.replace(/^\.\//, '').split('/');
      for (let length = 1; length <= segments.length; length++) {
        if (matcher.test(segments.slice(0, length).join('/'))) return true;
      }
      return false;
    },
    whole: (path) => matcher.test(path.replace(/^\.\//, '')),
  };
}
