// The git hosts behind GOPRIVATE patterns: the literal first element of a pattern, else the
// hosts of required modules its glob matches (Go's path.Match). Only valid host names.
import { pathMatch, BadPatternError } from '../values/glob.js';
import { brandValid, type HostName, type ModulePath, type ModulePattern } from '../values/kinds.js';
import { hostProblem } from '../values/network.js';

export function privateGitHosts(patterns: readonly ModulePattern[], requires: readonly ModulePath[]): HostName[] {
  const hosts = new Set<string>();
  for (const pattern of patterns) {
    const first = pattern.split('/')[0]!;
    if (!/[*?[\\]/.test(first)) {
      hosts.add(first);
      continue;
    }
    for (const path of requires) {
      const host = path.split('/')[0]!;
      try {
        if (pathMatch(first, host)) hosts.add(host);
      } catch (error) {
        if (!(error instanceof BadPatternError)) throw error;
      }
    }
  }
  return brandValid<HostName>([...hosts].sort(), hostProblem);
}
