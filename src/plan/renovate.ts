// renovate.json (--renovate): Renovate keeps the image pins current. Its own managers find the
// pinned images in the Dockerfile and GitLab's file; a regex manager finds the same pins in
// .go-docker.yaml. Digest updates of them go in one pull request, so the pins in the answers
// and in the files move together and regenerate --check passes (hashes leave digests out:
// write/managed.ts). Every other update Renovate could propose for these files is off: the next
// release or tag comes from regenerate.
import { ANSWERS_FILE, MANAGED_PATHS } from './paths.js';
import type { CiPlan } from './ci.js';

export interface RenovatePlan {
  /** Renovate's managerFilePatterns entry for the answers file (a regex between slashes). */
  answersFilePattern: string;
  /** The regex that reads a pin (a "- name:tag@sha256:..." list item) with Renovate's named groups. */
  pinPattern: string;
  /** The files create-go-docker writes that a Renovate manager reads, relative to the repository root. */
  fileNames: string[];
}

/** A pin as answers.ts writes it, in the block list under pins:. Flow lists (comments, a policy's pins) do not match. */
const PIN_PATTERN =
  '- (?<depName>[a-z0-9][^\\s:@]*(?::[0-9]+/[^\\s:@]+)?):(?<currentValue>[\\w][\\w.-]*)@(?<currentDigest>sha256:[a-f0-9]{64})';

export function renovatePlan(ci: CiPlan | undefined): RenovatePlan {
  const fileNames: string[] = [ANSWERS_FILE, MANAGED_PATHS.dockerfile];
  if (ci?.gitlab) fileNames.push(ci.gitlabFile);
  if (ci?.github) fileNames.push(MANAGED_PATHS.githubWorkflow, ...(ci.rollout ? [MANAGED_PATHS.githubRollout] : []));
  return { answersFilePattern: `/(^|/)${ANSWERS_FILE.replace(/\./g, '\\.')}$/`, pinPattern: PIN_PATTERN, fileNames };
}
