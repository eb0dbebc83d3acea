// Main packages are ranked, not sorted: what the project's own release config builds (goreleaser,
// promu) first, then a name that matches the module or sits at cmd/<name>, then whether it
// serves; examples, test helpers, dev scripts and generators last. plan/targets.ts picks the
// images from the ranking, and the wizard asks in its order.
import type { MainPackage, MainRole } from './analyze.js';
import type { BuildInfo, DeclaredBuild } from './buildinfo.js';

export interface RankedMain {
  main: MainPackage;
  score: number;
  /** Why it ranks where it does, for the summary ("serves", "cmd/<name>"). */
  reasons: string[];
  /** The project's release config declares it, with this binary name. */
  declared?: DeclaredBuild;
  /** A product: its role is "main", or the release config builds it whatever its path says. */
  product: boolean;
}

export const ROLE_WORDS: Record<Exclude<MainRole, 'main'>, string> = {
  example: 'an example',
  test: 'a test helper',
  script: 'a dev script',
  generator: 'a code or docs generator',
  internal: 'an internal tool',
};

/** The module's own name: example.com/svc/v2 -> svc. */
function moduleName(modulePath: string): string {
  const elements = modulePath.split('/');
  const last = elements[elements.length - 1]!;
  return /^v\d+$/.test(last) && elements.length > 1 ? elements[elements.length - 2]! : last;
}

/** A release config's main as a package path: "./cmd/x/", "cmd/x", "./x/main.go" -> "./cmd/x", "./x". */
function normalise(path: string): string {
  const trimmed = path
    .replace(/\/[^/]*\.go$/, '')
    .replace(/^[^/]*\.go$/, '.')
    .replace(/\/+$/, '')
    .replace(/^\.\//, '');
  return trimmed === '' || trimmed === '.' ? '.' : `./${trimmed}`;
}

export function rankMains(mains: readonly MainPackage[], modulePath: string, buildInfo: BuildInfo): RankedMain[] {
  const name = moduleName(modulePath).toLowerCase();
  return mains
    .map((main): RankedMain => {
      const reasons: string[] = [];
      let score = 0;
      const declaredIndex = buildInfo.builds.findIndex(
        (build) => normalise(build.dir ? `${build.dir}/${build.main}` : build.main) === main.packagePath,
      );
      const declared = declaredIndex >= 0 ? buildInfo.builds[declaredIndex] : undefined;
      if (declared) {
        score += declaredIndex === 0 ? 100 : 60;
        reasons.push('built by the release config');
      }
      const elements = main.packagePath === '.' ? [] : main.packagePath.slice(2).split('/');
      const last = (elements[elements.length - 1] ?? '').toLowerCase();
      if (last === name || main.binaryName.toLowerCase() === name || declared?.binary?.toLowerCase() === name) {
        score += 40;
        reasons.push(`named like the module (${name})`);
      }
      if (elements.length === 2 && elements[0] === 'cmd') {
        score += 20;
        reasons.push('cmd/<name>');
      } else if (main.packagePath === '.') {
        score += 15;
        reasons.push('the module root');
      }
      if (main.serves) {
        score += 30;
        reasons.push('serves');
      }
      score -= 2 * elements.length;
      const product = main.role === 'main' || declared !== undefined;
      if (!product) score -= 200;
      return { main, score, reasons, product, ...(declared ? { declared } : {}) };
    })
    .sort((a, b) => b.score - a.score || (a.main.packagePath < b.main.packagePath ? -1 : a.main.packagePath > b.main.packagePath ? 1 : 0));
}
