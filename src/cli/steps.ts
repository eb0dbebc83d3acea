// The next steps a run prints: only those that apply to this user, each once. Pure: plan and
// context in, lines out.
import type { Plan } from '../plan/plan.js';
import type { CiPlan } from '../plan/ci.js';
import { MANAGED_PATHS } from '../plan/paths.js';
import { shellWord } from '../plan/commands.js';

function listed(items: readonly string[]): string {
  return items.length > 1 ? `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}` : (items[0] ?? '');
}

/** What the next steps depend on besides the plan. */
export interface StepContext {
  /** Docker Desktop configures its engine in Settings, not in /etc/docker. */
  desktop: boolean;
  /** Whether /etc/docker/daemon.json exists here (undefined: not known): install it, or merge into it. */
  machineDaemonJson?: 'present' | 'missing';
  /** How the user reaches a written file from where they are (--out elsewhere). */
  shown: (path: string) => string;
  /** The managed files, as the plan writes them. */
  files: readonly string[];
  /** Backups of files --force replaced (Dockerfile.orig): the user's, not to be committed. */
  backups: readonly string[];
  /** regenerate: the files it changed; only steps about them apply (generate: undefined, all apply). */
  changed?: readonly string[];
}

/** The steps that apply, each once: nothing for a step that changes nothing for this user. */
export function nextSteps(plan: Plan, context: StepContext): string[] {
  const steps: string[] = [];
  const first = context.changed === undefined;
  if (first && plan.auth.token) {
    const host = plan.privateHosts[0] ?? 'YOUR-GIT-HOST';
    const others = plan.privateHosts.length > 1 ? ` (one line per host: ${plan.privateHosts.join(', ')})` : '';
    steps.push(
      `Token auth: ~/.netrc needs "machine ${host} login USER password TOKEN"${others}; the build mounts it as a ` +
        `BuildKit secret and never stores it in the image.`,
    );
  }
  if (first && plan.auth.ssh)
    steps.push('SSH auth: start ssh-agent and ssh-add a key that can read your private repositories before building.');
  if (plan.daemonKeys.length > 0 && (first || context.changed!.includes(MANAGED_PATHS.daemonJson))) {
    const keys = listed(plan.daemonKeys);
    steps.push(
      context.desktop
        ? `Docker Desktop: open Settings > Docker Engine, add ${keys} from ${context.shown(MANAGED_PATHS.daemonJson)} ` +
            `to the JSON there, then Apply & restart.`
        : daemonStep(keys, shellWord(context.shown(MANAGED_PATHS.daemonJson)), context.machineDaemonJson),
    );
  }
  if (plan.engineProxy && (first || context.changed!.includes(MANAGED_PATHS.engineProxy))) {
    const dropIn = context.shown(MANAGED_PATHS.engineProxy);
    steps.push(
      context.desktop
        ? `Docker Desktop: open Settings > Resources > Proxies, set the web server and the bypass list from ${dropIn}, ` +
            `then Apply & restart.`
        : `Docker daemon proxy (any engine version): sudo mkdir -p /etc/systemd/system/docker.service.d && sudo cp ` +
            `${shellWord(dropIn)} /etc/systemd/system/docker.service.d/http-proxy.conf && sudo systemctl daemon-reload && ` +
            `sudo systemctl restart docker`,
    );
  }
  // regenerate: only when a CI file changed (a new secret may be needed).
  if (plan.ci && (first || context.changed!.some((path) => path.startsWith('.github/') || path.includes('gitlab'))))
    steps.push(ciStep(plan.ci, context));
  if (first && plan.platforms.length > 1)
    steps.push('Multi-platform images cannot be loaded into the local image store: add --push to the buildx command.');
  if (context.backups.length > 0) {
    const many = context.backups.length > 1;
    steps.push(
      `${listed(context.backups.map(context.shown))} ${many ? 'hold' : 'holds'} what --force replaced: move what you ` +
        `still need into the custom blocks, then delete ${many ? 'them' : 'it'} (do not commit ${many ? 'them' : 'it'}).`,
    );
  }
  if (first) {
    steps.push(
      `Commit ${listed(context.files.map(context.shown))}; run create-go-docker regenerate after changing go.mod, the ` +
        `policy or your answers (lines in custom:begin/custom:end blocks are kept).`,
    );
  } else if (context.changed!.length > 0) {
    steps.push(`Commit ${listed(context.changed!.map(context.shown))}.`);
  }
  return steps;
}

/**
 * The daemon.json step for a Linux engine, as a command to paste when this machine's file is
 * known: installed when there is none, merged with jq (ours wins key by key) when there is one.
 */
function daemonStep(keys: string, file: string, machine: 'present' | 'missing' | undefined): string {
  const restart = 'sudo systemctl restart docker';
  if (machine === 'missing')
    return `Docker daemon (no /etc/docker/daemon.json yet): sudo install -D -m 0644 ${file} /etc/docker/daemon.json && ${restart}`;
  if (machine === 'present')
    return (
      `Docker daemon (merges ${keys} into your /etc/docker/daemon.json; needs jq): sudo sh -c 'jq -s ".[0] * .[1]" ` +
      `/etc/docker/daemon.json ${file} > /etc/docker/daemon.json.new && ` +
      `mv /etc/docker/daemon.json.new /etc/docker/daemon.json' && ${restart}`
    );
  return (
    `Docker daemon: merge ${keys} from ${file} into /etc/docker/daemon.json (create-go-docker never touches /etc), then ` +
    `restart Docker (${restart}).`
  );
}

/** What the CI needs from the user (secrets, variables, an include), in one line. */
function ciStep(ci: CiPlan, context: StepContext): string {
  if (ci.github) {
    const secrets: string[] = [];
    if (!ci.registry.own) secrets.push(`REGISTRY_USERNAME and REGISTRY_PASSWORD (a push login for ${ci.registry.host})`);
    if (ci.netrc)
      secrets.push(
        `GO_MODULES_NETRC (.netrc lines for CI: "machine ${ci.privateHosts[0] ?? 'HOST'} login USER password ` +
          `TOKEN"${ci.privateHosts.length > 1 ? ', one per host' : ''})`,
      );
    if (ci.ssh) secrets.push('GO_MODULES_SSH_KEY (a deploy key that can read the private repositories)');
    if (ci.rollout?.repository) secrets.push(`POLICY_REPO_TOKEN if ${ci.rollout.repository} is private (contents: read on it)`);
    const where =
      `${context.shown(MANAGED_PATHS.githubWorkflow)} builds every pull request and pushes from the default ` +
      `branch and tags${ci.registry.own ? " to ghcr.io with the workflow's own token" : ''}`;
    return secrets.length === 0
      ? `GitHub Actions: ${where}; nothing to set up.`
      : `GitHub Actions: ${where}; create the repository secret${secrets.length > 1 ? 's' : ''} ${listed(secrets)} ` +
          `(Settings > Secrets and variables > Actions).`;
  }
  const needs: string[] = [];
  if (ci.gitlabInclude) needs.push(`add "include: [{ local: ${ci.gitlabFile} }]" to your .gitlab-ci.yml`);
  if (!ci.registry.own) needs.push(`CI/CD variables REGISTRY_USERNAME and REGISTRY_PASSWORD (a push login for ${ci.registry.host})`);
  if (ci.netrc)
    needs.push(
      `add this project to the CI/CD job token allowlist of the module projects on ${listed(ci.privateHosts)} (or a ` +
        `File variable GO_MODULES_NETRC with .netrc lines)`,
    );
  if (ci.ssh) needs.push('a File variable GO_MODULES_SSH_KEY holding a deploy key');
  if (ci.rollout) needs.push('a pipeline schedule with CREATE_GO_DOCKER_ROLLOUT=true, and "Git push requests" allowed for the job token');
  const where =
    `${context.shown(ci.gitlabFile)} builds with rootless BuildKit and pushes to ` +
    `${ci.registry.own ? "the project's container registry" : ci.registry.host} from the default branch and tags`;
  return needs.length === 0 ? `GitLab CI: ${where}; nothing to set up.` : `GitLab CI: ${where}; ${listed(needs)}.`;
}
