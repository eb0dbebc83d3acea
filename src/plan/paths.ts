// Where each managed file goes, relative to the output directory: one place, for the plan that
// names them, the renderer that writes them, the conflict check and the messages.

export const MANAGED_PATHS = {
  dockerfile: 'Dockerfile',
  daemonJson: 'docker/daemon.json',
  buildkitdToml: 'docker/buildkitd.toml',
  compose: 'compose.yaml',
  bake: 'docker-bake.hcl',
  githubWorkflow: '.github/workflows/docker.yml',
  githubRollout: '.github/workflows/docker-policy-rollout.yml',
  gitlabCi: '.gitlab-ci.yml',
  /** Where GitLab's file goes when the project has its own .gitlab-ci.yml, which includes it. */
  gitlabIncluded: '.gitlab/create-go-docker.gitlab-ci.yml',
} as const;
