// Embedded files that are not in the checkout (detect/assets.ts): each recognizer of the ways
// out on a small fixture of its shape (frp's web/frps/dist and noweb, ntfy's server/site and
// server/docs, alist's all:dist with a README), and the warning the plan prints.
import { describe, expect, it } from 'vitest';
import type { EmbedUse } from '../src/detect/analyze.js';
import { checkEmbeds, type ContextView } from '../src/detect/assets.js';
import { makeProject, runCli } from './helpers.js';

/** A build context in memory: file paths to text; a path ending in "/" is an empty directory. */
function view(files: Record<string, string>): ContextView {
  const paths = Object.keys(files);
  return {
    list(dir) {
      const prefix = dir === '' ? '' : `${dir}/`;
      if (dir !== '' && !paths.some((path) => path.startsWith(prefix))) return undefined;
      const names = new Map<string, boolean>();
      for (const path of paths.filter((item) => item.startsWith(prefix))) {
        const [name, ...rest] = path.slice(prefix.length).split('/');
        if (name) names.set(name, names.get(name) === true || rest.length > 0);
      }
      return [...names].map(([name, isDir]) => ({ name, dir: isDir }));
    },
    read: (path) => files[path],
  };
}

const embed = (pattern: string, where: string, extra: Partial<EmbedUse> = {}): EmbedUse => {
  const packageDir = where.includes('/') ? where.slice(0, where.lastIndexOf('/')) : '';
  const written = pattern.slice(packageDir === '' ? 0 : packageDir.length + 1);
  return { pattern, written, where, packageDir, all: false, ...extra };
};

describe('embed patterns against the build context', () => {
  it('files that are there are no problem; a glob that matches a real file neither', () => {
    const context = view({ 'web/dist/index.html': '<html>', 'static/app.css': 'x', 'static/README.md': '#' });
    expect(checkEmbeds([embed('web/dist', 'web/embed.go:5'), embed('static/*', 'assets.go:3')], context)).toEqual([]);
  });

  it("frp: web/frps/dist made by the frps-web target, package.json's build, or dropped with noweb", () => {
    const context = view({
      Makefile:
        'web: frps-web frpc-web\n\nfrps-web:\n\t$(MAKE) -C web/frps build\n\nfrpc-web:\n\t$(MAKE) -C web/frpc build\n\nfrps:\n\t' +
        'env CGO_ENABLED=0 go build -tags "frps$(NOWEB_TAG)" -o bin/frps ./cmd/frps\n',
      'web/package-lock.json': '{}',
      'web/frps/package.json': '{\n  "scripts": {\n    "dev": "vite",\n    "build": "run-p type-check build-only"\n  }\n}\n',
      'web/frps/embed.go': '//go:build !noweb\n\npackage frps\n\nimport "embed"\n\n//go:embed dist\nvar content embed.FS\n',
      'web/frps/embed_stub.go': '//go:build noweb\n\npackage frps\n',
    });
    const [problem] = checkEmbeds([embed('web/frps/dist', 'web/frps/embed.go:7', { buildLine: '!noweb' })], context);
    expect(problem).toMatchObject({ kind: 'nothing', expected: 'web/frps/dist' });
    expect(problem!.waysOut).toEqual([
      { text: 'make web (Makefile)', makes: true },
      { text: 'npm ci && npm run build in web/frps/ (package.json)', makes: true },
      { text: '--tags noweb (web/frps/embed.go is //go:build !noweb)', makes: false },
    ]);
  });

  it('ntfy: server/site written by web-build (run by web), server/docs by mkdocs; a mkdir in another recipe writes nothing', () => {
    const context = view({
      Makefile:
        'docs: docs-deps docs-build\n\ndocs-build: docs-venv\n\t(. venv/bin/activate && mkdocs build)\n\nweb: web-deps web-build\n\n' +
        'web-build:\n\tcd web \\\n\t\t&& npm run build \\\n\t\t&& rm -rf ../server/site \\\n\t\t&& mv build ../server/site\n\n' +
        'web-deps:\n\tcd web && npm install\n\ncli-linux-server:\n\tmkdir -p dist/ntfy_linux_server server/docs\n',
      'mkdocs.yml': 'site_name: ntfy\nsite_dir: server/docs\n',
      'server/server.go': 'package server\n',
    });
    const problems = checkEmbeds([embed('server/site', 'server/server.go:114'), embed('server/docs', 'server/server.go:120')], context);
    expect(problems.map((problem) => problem.waysOut.map((way) => way.text))).toEqual([
      ['make web (Makefile)'],
      ['mkdocs build (mkdocs.yml site_dir)'],
    ]);
  });

  it('alist: all:dist holding only a README is a placeholder; build.sh fetches the files', () => {
    const context = view({
      'public/dist/README.md': 'Put the frontend here',
      'public/public.go': 'package public\n',
      'build.sh':
        'FetchWebDev() {\n  curl -L https://example.com/dist.tar.gz -o dist.tar.gz\n  rm -rf public/dist\n  mv -f dist public/dist\n}\n',
    });
    const [problem] = checkEmbeds([embed('public/dist', 'public/public.go:5', { all: true, written: 'all:dist' })], context);
    expect(problem).toMatchObject({ kind: 'placeholders', placeholders: ['public/dist/README.md'] });
    expect(problem!.waysOut).toEqual([{ text: './build.sh (it writes public/dist)', makes: true }]);
  });

  it('a directory with only a .gitkeep: without all: go build fails (no embeddable files); with all: a placeholder', () => {
    const context = view({ 'ui/build/.gitkeep': '', 'ui/package.json': '{"scripts": {"build": "vite build"}}', 'ui/pnpm-lock.yaml': '' });
    const [fails] = checkEmbeds([embed('ui/build', 'ui/ui.go:3')], context);
    expect(fails).toMatchObject({
      kind: 'nothing',
      waysOut: [{ text: 'pnpm install && pnpm run build in ui/ (package.json)', makes: true }],
    });
    const [empty] = checkEmbeds([embed('ui/build', 'ui/ui.go:3', { all: true })], context);
    expect(empty).toMatchObject({ kind: 'placeholders', placeholders: ['ui/build/.gitkeep'] });
  });

  it('a README named by the pattern is the asset; a glob that matches nothing is a problem with no way out found', () => {
    const context = view({ 'README.md': '# x', 'templates/.gitkeep': '' });
    expect(checkEmbeds([embed('README.md', 'docs.go:3')], context)).toEqual([]);
    expect(checkEmbeds([embed('templates/*.html', 'views.go:3')], context)).toMatchObject([
      { kind: 'nothing', expected: 'templates', waysOut: [] },
    ]);
  });
});

describe('files a local build made, which .gitignore leaves out of a fresh checkout', () => {
  it("ntfy's server/site/ in the root .gitignore, frp's dist in web/frps/.gitignore", () => {
    const ntfy = view({
      '.gitignore': 'dist/\nserver/site/\n',
      'server/site/app.html': '<html>',
      Makefile: 'web-build:\n\tmv build server/site\n',
    });
    expect(checkEmbeds([embed('server/site', 'server/server.go:114')], ntfy)).toMatchObject([
      { kind: 'untracked', waysOut: [{ text: 'make web-build (Makefile)' }] },
    ]);
    const frp = view({ 'web/frps/.gitignore': 'node_modules\ndist\n', 'web/frps/dist/index.html': '<html>' });
    expect(checkEmbeds([embed('web/frps/dist', 'web/frps/embed.go:11')], frp)).toMatchObject([{ kind: 'untracked' }]);
    const committed = view({ '.gitignore': '/bin\nweb/dist-old\n', 'web/dist/index.html': '<html>' });
    expect(checkEmbeds([embed('web/dist', 'web/embed.go:5')], committed)).toEqual([]);
  });
});

describe('the warning', () => {
  it('names the pattern, file:line and the way out; the image of a main that does not embed it is not warned', async () => {
    const dir = makeProject({
      'go.mod': 'module example.com/frp\n\ngo 1.26\n',
      'cmd/frps/main.go':
        'package main\n\nimport (\n\t"net/http"\n\n\t"example.com/frp/web/frps"\n)\n\nfunc main() { _ = frps.Content; ' +
        'http.ListenAndServe(":7500", nil) }\n',
      'cmd/frpc/main.go': 'package main\n\nfunc main() {}\n',
      'web/frps/embed.go': '//go:build !noweb\n\npackage frps\n\nimport "embed"\n\n//go:embed dist\nvar Content embed.FS\n',
      'web/frps/embed_stub.go': '//go:build noweb\n\npackage frps\n\nimport "embed"\n\nvar Content embed.FS\n',
      'web/frps/package.json': '{"scripts": {"build": "vite build"}}',
      'web/unused/embed.go': 'package unused\n\nimport "embed"\n\n//go:embed dist\nvar Content embed.FS\n',
    });
    const result = await runCli(['--yes'], { cwd: dir });
    expect(result.code, result.stderr).toBe(0);
    const output = result.stdout + result.stderr;
    expect(output).toContain(
      'web/frps/embed.go:7: //go:embed dist matches nothing in the build context (web/frps/dist is not in the checkout: a build ' +
        'step makes it), so docker build fails at go build; make them before docker build: npm install && npm run build in ' +
        'web/frps/ (package.json); or pass --tags noweb (web/frps/embed.go is //go:build !noweb) to build without them.',
    );
    expect(output).not.toContain('web/unused');
  });
});
