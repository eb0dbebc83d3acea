// Right by default on real repositories (issue 12): which files build, where a service listens,
// what the release config says, which main is the image, which golang tag the builder uses.
// The code shapes come from a survey of popular Go repositories (README: "Defaults").
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { adviseBuildCommand } from '../src/cli/docker.js';
import { analyzePackages, roleOf, type MainPackage, type PackageSources } from '../src/detect/analyze.js';
import {
  goBuildCommands,
  readGoreleaser,
  readMakefileBuilds,
  readMakefileTags,
  readPromu,
  readScriptBuilds,
  scriptTagsFor,
  shellWords,
} from '../src/detect/buildinfo.js';
import { buildLine, fileIsBuilt, parseBuildExpression } from '../src/detect/constraints.js';
import { listenPlan } from '../src/detect/listen.js';
import { findPorts, readAddress } from '../src/detect/ports.js';
import { rankMains } from '../src/detect/ranking.js';
import { builderImage, builderVersion } from '../src/plan/images.js';
import { chooseTargets } from '../src/plan/targets.js';
import type { GoVersion } from '../src/values/kinds.js';
import { fakeMain, makeProject, runCli, SIMPLE_SERVICE } from './helpers.js';

describe('build constraints: what go build compiles for linux/amd64 and linux/arm64', () => {
  const context = { tags: [] as string[], cgo: false };
  it.each([
    ['main.go', 'package main', true],
    ['main_test.go', 'package main', false],
    ['proc_freebsd.go', 'package native', false],
    ['proc_linux.go', 'package native', true],
    ['asm_arm64.go', 'package x', true],
    ['asm_386.go', 'package x', false],
    ['x_linux_riscv64.go', 'package x', false],
    ['gen.go', '//go:build ignore\n\npackage main', false],
    ['corpus.go', '//go:build fuzzing\n\npackage main', false],
    ['pse.go', '//go:build cgo && freebsd\n\npackage pse', false],
    ['ptrace.go', '//go:build darwin && macnative\n\npackage native', false],
    ['linux.go', '//go:build linux && (amd64 || arm64)\n\npackage x', true],
    ['unix.go', '//go:build unix\n\npackage x', true],
    ['old.go', '// +build linux,!cgo\n\npackage x', true],
    ['old2.go', '// +build windows darwin\n\npackage x', false],
    ['release.go', '//go:build go1.21\n\npackage x', true],
    ['broken.go', '//go:build linux &&\n\npackage x', false],
    ['snake_case_name.go', 'package x', true],
  ])('%s', (name, source, expected) => expect(fileIsBuilt(name, source, context)).toBe(expected));

  it('build tags turn tagged files on', () => {
    expect(fileIsBuilt('assets.go', '//go:build builtinassets\n\npackage ui', { tags: ['builtinassets'], cgo: false })).toBe(true);
    expect(fileIsBuilt('dev.go', '//go:build !dev\n\npackage ui', { tags: ['dev'], cgo: false })).toBe(false);
  });

  it('reads the old +build form and rejects malformed expressions', () => {
    expect(buildLine('// +build linux darwin\n// +build amd64\n\npackage x')).toBe('((linux) || (darwin)) && ((amd64))');
    expect(parseBuildExpression('a && (b || !c)')).toBeDefined();
    expect(parseBuildExpression('a && || b')).toBeUndefined();
    expect(parseBuildExpression('(a')).toBeUndefined();
  });
});

describe('ports: where a service listens, from the code shapes real repositories use', () => {
  const own = (text: string) => [{ path: 'main.go', text }];
  const plan = (text: string, imported: string[] = []) =>
    listenPlan(
      findPorts(
        own(text),
        imported.map((body, index) => ({ path: `pkg${index}/x.go`, text: body })),
      ),
    );
  it.each([
    ['flag.StringVar with an env helper fallback', 'flag.StringVar(&port, "port", getEnv("APP_PORT", "80"), "port")', { port: 80 }],
    ['flag.String host:port', 'addr := flag.String("addr", ":9090", "listen address")', { port: 9090 }],
    ['flag.Int', 'flag.IntVar(&opts.Port, "port", 4222, "port")', { port: 4222 }],
    ['pflag StringP with a shorthand', 'flags.StringP("port", "p", "8080", "port to listen on")', { port: 8080 }],
    ['cobra StringVarP', 'cmd.Flags().StringVarP(&addr, "listen", "l", "0.0.0.0:7070", "listen")', { port: 7070 }],
    ['urfave/cli', '&cli.StringFlag{Name: "addr", Value: ":3000", Usage: "listen"}', { port: 3000 }],
    ['kingpin', 'a.Flag("web.listen-address", "Address to listen on.").Default("0.0.0.0:9090").String()', { port: 9090 }],
    [
      'go-flags struct tag',
      'type Opts struct {\n\tPort int `long:"port" env:"APP_PORT" default:"8081" description:"port"`\n}',
      { port: 8081 },
    ],
    ['env fallback', 'port := os.Getenv("PORT")\nif port == "" {\n\tport = "8088"\n}\nhttp.ListenAndServe(":"+port, nil)', { port: 8088 }],
    ['a listen call', 'log.Fatal(http.ListenAndServe(":8080", mux))', { port: 8080 }],
    ['gin Run', 'r := gin.Default()\nr.Run(":8181")', { port: 8181 }],
    [
      'a URL literal with "//" in a flag default',
      'flag.String("listen", "http://0.0.0.0:8443", "listen URL") // a comment',
      { port: 8443 },
    ],
    [
      'a constant through two hops',
      'flag.StringVar(&port, "dns.port", DefaultPort, "port")\nconst DefaultPort = transport.Port\n',
      { port: 53 },
    ],
  ])('%s', (_name, text, expected) => {
    const imported = _name === 'a constant through two hops' ? ['package transport\n\nconst Port = "53"\n'] : [];
    expect(plan(`package main\n\n${text}\n`, imported)).toMatchObject(expected);
  });

  it('configuration defaults: viper SetDefault, a default config literal (not its SSL or database block)', () => {
    expect(
      plan(
        'package conf\nfunc init() {\n\tviper.SetDefault("address", "0.0.0.0")\n\tviper.SetDefault("port", ' +
          '4533)\n\tviper.SetDefault("database.port", 5432)\n}',
      ),
    ).toMatchObject({ port: 4533 });
    expect(plan('viper.SetDefault("metrics.port", 9090)\nviper.SetDefault("server.port", 8000)')).toMatchObject({ port: 8000 });
    const gotify =
      'c := &Configuration{\n\tServer: Server{\n\t\tSSL: SSL{\n\t\t\tPort: 443,\n\t\t},\n\t\tPort: ' +
      '80,\n\t},\n\tDatabase: Database{\n\t\tPort: 5432,\n\t},\n}';
    expect(plan(gotify)).toMatchObject({ port: 80 });
    expect(plan('cfg := Config{Database: DB{Port: 5432}}')).toEqual({});
    // prometheus: a service-discovery default names the port of the targets it scrapes.
    expect(plan('var DefaultEC2SDConfig = EC2SDConfig{\n\tPort: 80,\n\tRefreshInterval: model.Duration(60 * time.Second),\n}')).toEqual({});
  });

  it(
    'a settings table keyed by the environment variable, and an env helper on its own, give the variable that binds ' + 'all interfaces',
    () => {
      const miniflux =
        'var defaults = map[string]option{\n\t"LISTEN_ADDR": {\n\t\tparsedStringList: ' +
        '[]string{"127.0.0.1:8080"},\n\t\trawValue: "127.0.0.1:8080",\n\t},\n\t"DATABASE_URL": {\n\t\trawValue: ' +
        '"postgres://localhost:5432/db",\n\t},\n}';
      expect(plan(miniflux)).toMatchObject({ port: 8080, loopback: { env: { name: 'LISTEN_ADDR', value: '0.0.0.0:8080' } } });
      expect(plan('addr := getEnv("HTTP_BIND", "localhost:9000")')).toMatchObject({
        port: 9000,
        loopback: { env: { name: 'HTTP_BIND', value: '0.0.0.0:9000' } },
      });
      expect(plan('dsn := getEnv("REDIS_ADDR", "localhost:6379")')).toEqual({});
    },
  );

  it('etcd: a flag.Var value type around the default, the subcommand-less flag first, and a flag the program requires with it', () => {
    const config =
      'fs.Var(\n\tflags.NewUniqueURLsWithExceptions(DefaultListenPeerURLs, ""),\n\t"listen-peer-urls",\n\t"peer ' +
      'traffic",\n)\nfs.Var(\n\tflags.NewUniqueURLsWithExceptions(DefaultListenClientURLs, ""), ' +
      '"listen-client-urls",\n\t"client traffic",\n)\nconst DefaultListenClientURLs = "http://localhost:2379"\nconst ' +
      'DefaultListenPeerURLs = "http://localhost:2380"\n';
    const gateway =
      'func newGatewayStartCommand() *cobra.Command {\n\tcmd := cobra.Command{\n\t\tUse: ' +
      '"start",\n\t}\n\tcmd.Flags().StringVar(&addr, "listen-addr", "127.0.0.1:23790", "listen address")\n}\n';
    const errors = 'var ErrUnset = fmt.Errorf("--advertise-client-urls is required when --listen-client-urls is set explicitly")\n';
    const etcd = listenPlan(findPorts(own(`package main\n${gateway}`), [{ path: 'embed/config.go', text: config + errors }]));
    expect(etcd).toMatchObject({
      port: 2379,
      loopback: {
        flag: 'listen-client-urls',
        fix: '--listen-client-urls=http://0.0.0.0:2379',
        requires: { flag: 'advertise-client-urls', where: 'embed/config.go:12' },
      },
    });
    expect(
      listenPlan(findPorts(own(`package main\n${gateway}`), [{ path: 'embed/config.go', text: config }])).loopback?.requires,
    ).toBeUndefined();
  });

  it("a command type's method registers a subcommand's flags (hugo's serverCommand): a warning, never a root CMD", () => {
    const hugo =
      'func (c *serverCommand) Name() string {\n\treturn "server"\n}\n\nfunc (c *serverCommand) Init(cd ' +
      '*simplecobra.Commandeer) error {\n\tcmd := cd.CobraCommand\n\tcmd.Flags().IntVarP(&c.serverPort, "port", "p", 1313, ' +
      '"port on which the server will listen")\n\tcmd.Flags().StringVarP(&c.serverInterface, "bind", "", "127.0.0.1", ' +
      '"interface to which the server will bind")\n\treturn nil\n}\n';
    expect(plan(hugo)).toMatchObject({ port: 1313, loopback: { subcommand: 'server', fix: '--bind=0.0.0.0' } });
    expect(
      plan(
        'func (r *rootCommand) Init(cd *simplecobra.Commandeer) error {\n\tcd.CobraCommand.Flags().StringVar(&r.addr, ' +
          '"addr", "localhost:8080", "listen")\n\treturn nil\n}\n',
      ).loopback,
    ).toMatchObject({ fix: '--addr=0.0.0.0:8080' });
    expect(
      plan(
        'func (r *rootCommand) Init(cd *simplecobra.Commandeer) error {\n\tcd.CobraCommand.Flags().StringVar(&r.addr, ' +
          '"addr", "localhost:8080", "listen")\n\treturn nil\n}\n',
      ).loopback?.subcommand,
    ).toBeUndefined();
  });

  it('a listen call hard-coded to loopback (a pprof switch) is no service port', () => {
    expect(plan('if cliArgs.Profile {\n\tgo http.ListenAndServe("localhost:6060", nil)\n}')).toEqual({});
    expect(plan('go http.ListenAndServe("localhost:6060", nil)\nhttp.ListenAndServe(":8080", mux)')).toMatchObject({ port: 8080 });
  });

  it('a dial address is not a listen port', () => {
    expect(
      plan('flag.String("endpoint", "localhost:9090", "endpoint of the gRPC service")\nflag.String("db", "localhost:5432", "database")'),
    ).toEqual({});
  });

  it('a loopback default is found with the flag that changes it, in each form', () => {
    expect(plan('flag.String("addr", "localhost:8080", "listen")').loopback).toMatchObject({ flag: 'addr', fix: '--addr=0.0.0.0:8080' });
    expect(
      plan(
        'fs.Var(&urls, "listen-client-urls", "")\nflag.StringVar(&u, "listen-client-urls", DefaultListenClientURLs, ' +
          '"urls")\nconst DefaultListenClientURLs = "http://localhost:2379"',
      ).loopback,
    ).toMatchObject({ fix: '--listen-client-urls=http://0.0.0.0:2379' });
    // Separate host and port flags: the port from one, the loopback fix on the other.
    const split = plan(
      'flags.StringP("address", "a", "127.0.0.1", "address to listen on")\nflags.StringP("port", "p", "8080", "port to listen on")',
    );
    expect(split).toMatchObject({ port: 8080, loopback: { flag: 'address', fix: '--address=0.0.0.0' } });
    // A cobra subcommand's flag: the fix needs the subcommand, which only the user can give.
    const serve = plan(
      'var serveCmd = &cobra.Command{\n\tUse: "serve",\n}\nserveCmd.Flags().StringVar(&httpAddr, "http", "127.0.0.1:8090", "addr")',
    );
    expect(serve.loopback).toMatchObject({ subcommand: 'serve', fix: '--http=0.0.0.0:8090' });
  });

  it("a dependency's flag that connects somewhere is not the listen port (the shape of node_exporter)", () => {
    const collector =
      'package collector\n\nvar ntpPort = kingpin.Flag("collector.ntp.server-port", "UDP port number to connect to on ' +
      'NTP server").Default("123").Int()\n';
    expect(plan('toolkitFlags := kingpinflag.AddFlags(kingpin.CommandLine, ":9100")', [collector])).toEqual({
      port: 9100,
      where: 'main.go:1',
    });
    // Help that says clients connect to it, or that it listens, is still a listen flag.
    expect(plan('flag.IntVar(&opts.Port, "port", 4222, "Port for clients to connect to.")')).toMatchObject({ port: 4222, flag: 'port' });
    expect(plan('a.Flag("web.listen-address", "Address to listen on; peers connect to it.").Default(":9094").String()')).toMatchObject({
      port: 9094,
    });
    expect(plan('cmd.Flags().StringVar(&port, "port", "8080", "port of the server to connect to")')).toEqual({});
  });

  it("a root cobra command's flags need no subcommand word (the shape of filebrowser)", () => {
    const root =
      'func init() {\n\tflags := rootCmd.Flags()\n\tflags.StringP("address", "a", "127.0.0.1", "address to listen ' +
      'on")\n\tflags.StringP("port", "p", "8080", "port to listen on")\n}\n\nvar rootCmd = &cobra.Command{\n\tUse: "tool",\n}';
    const found = plan(root);
    expect(found).toMatchObject({ port: 8080, loopback: { flag: 'address', fix: '--address=0.0.0.0' } });
    expect(found.loopback?.subcommand).toBeUndefined();
    // A Use that is the binary's own name is the root too, whatever the variable is called.
    const named =
      'var command = &cobra.Command{\n\tUse: "tool",\n}\ncommand.Flags().StringVar(&addr, "listen", "localhost:7070", "listen address")';
    expect(listenPlan(findPorts(own(named), [])).loopback?.subcommand).toBe('tool');
    const asRoot = listenPlan(findPorts(own(named), [], ['tool']));
    expect(asRoot.loopback).toMatchObject({ fix: '--listen=0.0.0.0:7070' });
    expect(asRoot.loopback?.subcommand).toBeUndefined();
    // The command the flag is defined on, not the first one in the file.
    const two =
      'var rootCmd = &cobra.Command{\n\tUse: "tool",\n}\nvar serveCmd = &cobra.Command{\n\tUse: "serve",\n}\nvar ' +
      'versionCmd = &cobra.Command{\n\tUse: "version",\n}\nfunc init() {\n\tserveCmd.Flags().StringVar(&addr, "http", ' +
      '"127.0.0.1:8090", "addr")\n}';
    expect(plan(two).loopback).toMatchObject({ subcommand: 'serve', fix: '--http=0.0.0.0:8090' });
  });

  it.each([
    [':8080', { port: 8080, host: 'all', form: 'hostport' }],
    ['0.0.0.0:80', { port: 80, host: 'all' }],
    ['127.0.0.1:8090', { port: 8090, host: 'loopback' }],
    ['[::1]:9000', { port: 9000, host: 'loopback' }],
    ['http://localhost:2379,http://10.0.0.1:2379', { port: 2379, host: 'loopback', form: 'url' }],
    ['8080', { port: 8080, form: 'port' }],
    ['localhost', { host: 'loopback', form: 'host' }],
    ['70000', { form: 'port' }],
  ])('reads the address %s', (value, expected) => expect(readAddress(value)).toMatchObject(expected));
});

describe('release config: what the project builds itself', () => {
  it('goreleaser: main, binary, dir and tags', () => {
    const config =
      'builds:\n  - id: gh\n    main: ./cmd/gh\n    binary: bin/gh\n    tags:\n      - netgo\n      - osusergo\n  - id: ' +
      'other\n    dir: backend\n    main: ./app\n    binary: "{{ .ProjectName }}"\n';
    expect(readGoreleaser(config)).toEqual({
      builds: [
        { id: 'gh', main: './cmd/gh', binary: 'gh', tags: ['netgo', 'osusergo'] },
        { id: 'other', main: './app', dir: 'backend' },
      ],
      tags: ['netgo', 'osusergo'],
    });
    expect(readGoreleaser('builds:\n  - main: ./examples/base\n    binary: pocketbase\n    tags: [nobadger, nomysql]\n')).toEqual({
      builds: [{ main: './examples/base', binary: 'pocketbase', tags: ['nobadger', 'nomysql'] }],
      tags: ['nobadger', 'nomysql'],
    });
  });
  it("goreleaser: a darwin or windows build's tags are not the linux image's (the shape of ntfy's noserver)", () => {
    const config =
      'version: 2\nbuilds:\n  - id: app_linux_amd64\n    binary: app\n    env:\n      - CGO_ENABLED=1\n    tags: [ ' +
      'sqlite_omit_load_extension,osusergo,netgo ]\n    goos: [ linux ]\n  - id: app_windows_amd64\n    binary: app\n    ' +
      'tags: [ noserver ] # no server files\n    goos: [ windows ]\n  - id: app_darwin_all\n    binary: app\n    tags: ' +
      '[ noserver ]\n    goos:\n      - darwin\nnfpms:\n  - package_name: app\n';
    expect(readGoreleaser(config)).toEqual({
      builds: [{ id: 'app_linux_amd64', main: '.', binary: 'app', tags: ['sqlite_omit_load_extension', 'osusergo', 'netgo'] }],
      tags: ['sqlite_omit_load_extension', 'osusergo', 'netgo'],
    });
  });
  it('goreleaser: flags -tags, an ignore: list that is not the goos, and builds of other sections', () => {
    const config =
      'builds:\n  - main: ./cmd/server\n    flags:\n      - -trimpath\n      - -tags=server,netgo\n    ignore:\n      - goos: ' +
      'windows\n  - main: ./cmd/cli\n    flags: [-tags=cli]\n  - id: skipped\n    skip: true\n    tags: [skipped]\n' +
      'archives:\n  - id: default\n    tags: [nope]\n';
    expect(readGoreleaser(config)).toEqual({
      builds: [
        { main: './cmd/server', tags: ['server', 'netgo'] },
        { main: './cmd/cli', tags: ['cli'] },
      ],
      tags: ['server', 'netgo', 'cli'],
    });
  });
  it('promu: binaries, tags and the Go version', () => {
    expect(
      readPromu(
        'go:\n  version: 1.26\nbuild:\n  binaries:\n    - name: prometheus\n      path: ./cmd/prometheus\n    - name: ' +
          'promtool\n      path: ./cmd/promtool\n  tags:\n    all: [netgo, builtinassets]\n',
      ),
    ).toEqual({
      builds: [
        { main: './cmd/prometheus', binary: 'prometheus' },
        { main: './cmd/promtool', binary: 'promtool' },
      ],
      tags: ['netgo', 'builtinassets'],
      goVersion: '1.26',
    });
  });
  it('Makefile: literal tags only', () => {
    expect(readMakefileTags('GOTAGS?=grpcnotrace\nbuild:\n\tgo build -tags="$(GOTAGS)" .\n')).toEqual(['grpcnotrace']);
    expect(readMakefileTags('build:\n\tgo build -tags "netgo osusergo" -o bin/app .\n')).toEqual(['netgo', 'osusergo']);
    expect(readMakefileTags('TAGS ?= $(EXTRA)\n')).toEqual([]);
    // An empty GOTAGS does not take the next line (a comment) as its value.
    expect(readMakefileTags('GOTAGS ?=\n# Number of procs to use\nGOMAXPROCS ?= 4\n')).toEqual([]);
    // The build target's go build is the default build; a variant target's tags are not.
    const variants = 'build:\n\tCGO_ENABLED=0 go build -o app .\n\nbuild-sqlite:\n\tgo build -tags sqlite3 -o app .\n';
    expect(readMakefileTags(variants)).toEqual([]);
    expect(readMakefileTags('release:\n\tgo build -tags netgo -o app .\ndebug:\n\tgo build -tags debug -o app .\n')).toEqual(['netgo']);
  });
});

describe("tags per main from the project's own build files (BUILD_SCRIPTS: Dockerfiles, Makefile targets, build scripts)", () => {
  it('shell words: quotes removed, a quoted $(...) is one word, the command ends at && ; |', () => {
    expect(shellWords(`-ldflags "-X main.v=$(git describe --tags) -s" -tags netgo -o /out/app . && echo done`)).toEqual([
      '-ldflags',
      '-X main.v=$(git describe --tags) -s',
      '-tags',
      'netgo',
      '-o',
      '/out/app',
      '.',
    ]);
    expect(shellWords("-tags='a b'; go vet")).toEqual(['-tags=a b']);
  });
  it('go build lines: the packages (. when none), -tags in every spelling, never a flag value or a quoted --tags', () => {
    const none = new Map<string, string>();
    expect(
      goBuildCommands('RUN CGO_ENABLED=0 go build -tags netgo -ldflags "-X cmd.Version=$(git describe --tags)" -o /go/bin/x', none),
    ).toEqual([{ main: '.', tags: ['netgo'], line: expect.any(String) }]);
    // Two builds on one continued RUN line (the shape of croc's Dockerfile).
    const croc =
      'RUN go build -trimpath -tags netgo,osusergo \\\n  -o /out/croc . \\\n && go build -tags=netgo,osusergo -o /out/web ./cmd/web\n';
    expect(goBuildCommands(croc, none).map(({ main, tags }) => ({ main, tags }))).toEqual([
      { main: '.', tags: ['netgo', 'osusergo'] },
      { main: './cmd/web', tags: ['netgo', 'osusergo'] },
    ]);
    expect(goBuildCommands('go install --tags "a b" ./cmd/x ./... -o ./bin', none).map(({ main, tags }) => ({ main, tags }))).toEqual([
      { main: './cmd/x', tags: ['a', 'b'] },
    ]);
  });
  it("Makefile: each target's builds, $(VAR) expanded when literal, dropped when not (the shape of frp)", () => {
    const makefile =
      "NOWEB_TAG = $(shell [ ! -d web/dist ] && echo ',noweb')\nBASE := netgo\nbuild: frps frpc\n\n" +
      'frps:\n\tenv CGO_ENABLED=0 go build -trimpath -tags "frps$(NOWEB_TAG)" -o bin/frps ./cmd/frps\n' +
      'frpc:\n\tgo build -tags "$(BASE),frpc" -o bin/frpc ./cmd/frpc\n';
    expect(readMakefileBuilds(makefile)).toEqual([
      { main: './cmd/frps', tags: ['frps'], source: 'Makefile: frps', target: 'frps' },
      { main: './cmd/frpc', tags: ['netgo', 'frpc'], source: 'Makefile: frpc', target: 'frpc' },
    ]);
  });
  it('a build script: every go build of the main agrees (the shape of alist build.sh)', () => {
    const script =
      'BuildDocker() {\n  go build -o ./bin/alist -ldflags="$ldflags" -tags=jsoniter .\n}\n' +
      'export CGO_ENABLED=1\ngo build -o "$1" -tags=jsoniter .\n';
    expect(scriptTagsFor(readScriptBuilds('build.sh', script), '.')).toEqual({ tags: ['jsoniter'], source: 'build.sh' });
  });
  it('precedence: a Dockerfile over the Makefile over scripts; the build target when targets disagree; none when a kind disagrees', () => {
    const builds = [
      ...readScriptBuilds('build.sh', 'go build -tags script .\n'),
      ...readMakefileBuilds('build:\n\tgo build -o app .\nbuild-sqlite:\n\tgo build -tags sqlite3 -o app .\n'),
    ];
    expect(scriptTagsFor(builds, '.')).toEqual({ tags: [], source: 'Makefile: build' });
    expect(scriptTagsFor([...readScriptBuilds('docker/Dockerfile', 'RUN go build -tags docker .\n'), ...builds], './')).toEqual({
      tags: ['docker'],
      source: 'docker/Dockerfile',
    });
    expect(scriptTagsFor(readScriptBuilds('build.sh', 'go build -tags a .\ngo build -tags b .\n'), '.')).toBeUndefined();
    expect(scriptTagsFor(builds, './cmd/other')).toBeUndefined();
  });
  it("promu's build.flags -tags (the shape of kafka_exporter)", () => {
    expect(readPromu('build:\n    flags: -a -tags netgo\n    ldflags: |\n        -X x.Version={{.Version}}\n').tags).toEqual(['netgo']);
  });
});

describe('serves: what a main starts itself, not what a workspace library could', () => {
  it("a CLI that imports another module's listener helpers does not serve (the shape of etcd's etcdctl)", () => {
    const pkg = (dir: string, moduleDir: string, modulePath: string, text: string): PackageSources => ({
      dir,
      moduleDir,
      modulePath,
      files: [{ name: 'x.go', text }],
    });
    const packages = [
      pkg(
        'lib/transport',
        'lib',
        'example.com/lib',
        'package transport\n\nimport "net"\n\nfunc Listen(addr string) (net.Listener, error) { return net.Listen("tcp", addr) }\n',
      ),
      pkg('ctl', 'ctl', 'example.com/ctl', 'package main\n\nimport "example.com/lib/transport"\n\nfunc main() { _ = transport.Listen }\n'),
      pkg('server', 'server', 'example.com/server', 'package main\n\nimport "example.com/server/embed"\n\nfunc main() { embed.Start() }\n'),
      pkg(
        'server/embed',
        'server',
        'example.com/server',
        'package embed\n\nimport (\n\t"net/http"\n\n\t"example.com/lib/transport"\n)\n\nfunc Start() { _ = ' +
          'transport.Listen; _ = http.ListenAndServe(":2379", nil) }\n',
      ),
    ];
    const mains = analyzePackages(packages, []).mainPackages;
    expect(mains.map((main) => [main.packagePath, main.serves])).toEqual([
      ['./ctl', false],
      ['./server', true],
    ]);
    expect(chooseTargets(rankMains(mains, 'example.com/repo', { builds: [], tags: [] }), undefined).chosen.main.packagePath).toBe(
      './server',
    );
  });
});

describe('ranking: the image a user meant', () => {
  const main = fakeMain;
  const pick = (mains: MainPackage[], builds: { main: string; binary?: string }[] = [], modulePath = 'example.com/tool') =>
    chooseTargets(rankMains(mains, modulePath, { builds, tags: [] }), undefined);

  it.each([
    ['./examples/app', 'example'],
    ['./_examples/x', 'example'],
    ['./contrib/lock/client', 'example'],
    ['./test/helper', 'test'],
    ['./tests/cmd/x', 'test'],
    ['./internal/buildtagtest', 'test'],
    ['./scripts/release', 'script'],
    ['./hack/tools/x', 'script'],
    ['./tools/benchmark', 'script'],
    ['./internal/database/schemadoc', 'internal'],
    ['./plugins/jsvm/internal/types', 'internal'],
    ['./internal/cmd/gen-docs', 'generator'],
    ['./internal/e2e/runner', 'test'],
    ['./cmd/gen-docs', 'generator'],
    ['./util/fuzzing/corpus_gen', 'test'],
    ['./cmd/api', 'main'],
    ['.', 'main'],
  ])('%s is %s', (path, role) => expect(roleOf(path)).toBe(role));

  it('a server under cmd/ wins over a CLI that sorts first, examples are no images', () => {
    const targets = pick([main('./cmd/cli'), main('./cmd/server', { serves: true }), main('./examples/hello', { serves: true })]);
    expect(targets.chosen.main.packagePath).toBe('./cmd/server');
    expect(targets.images.map((item) => item.main.packagePath)).toEqual(['./cmd/server', './cmd/cli']);
    expect(targets.left).toEqual([{ main: expect.objectContaining({ packagePath: './examples/hello' }), why: 'an example' }]);
  });

  it('the release config decides, and names the binary', () => {
    const targets = pick(
      [main('./cmd/gen-docs'), main('./cmd/gh'), main('./script')],
      [{ main: './cmd/gh', binary: 'gh' }],
      'github.com/cli/cli/v2',
    );
    expect(targets.chosen.main.packagePath).toBe('./cmd/gh');
    expect(targets.ambiguity).toBeUndefined();
    const product = pick(
      [main('./examples/base'), main('./plugins/x/internal/types')],
      [{ main: './examples/base', binary: 'pocketbase' }],
      'github.com/pocketbase/pocketbase',
    );
    expect(product.chosen.main.packagePath).toBe('./examples/base');
    expect(product.chosen.declared?.binary).toBe('pocketbase');
  });

  it('a release config main may name the file (./x/main.go) or end in a slash', () => {
    const targets = pick(
      [main('./protoc-gen-x'), main('./examples/server', { serves: true })],
      [{ main: './protoc-gen-x/main.go', binary: 'protoc-gen-x' }],
    );
    expect(targets.chosen.main.packagePath).toBe('./protoc-gen-x');
    expect(pick([main('./cmd/a'), main('./cmd/b')], [{ main: 'cmd/b/' }]).chosen.main.packagePath).toBe('./cmd/b');
  });

  it('a main named like the module wins; a close call says so in one line', () => {
    const named = pick([main('./cmd/aaa', { serves: true }), main('./cmd/tool')]);
    expect(named.chosen.main.packagePath).toBe('./cmd/tool');
    const close = pick([main('./cmd/alpha'), main('./cmd/beta')]);
    expect(close.ambiguity).toBe('default image ./cmd/alpha (cmd/<name>); also an image: ./cmd/beta; choose the default with --main.');
  });

  it('--main picks a package the ranking left out', () => {
    const targets = chooseTargets(
      rankMains([main('./cmd/api', { serves: true }), main('./examples/demo')], 'example.com/x', { builds: [], tags: [] }),
      './examples/demo',
    );
    expect(targets.chosen.main.packagePath).toBe('./examples/demo');
    expect(targets.images.map((item) => item.main.packagePath)).toEqual(['./examples/demo', './cmd/api']);
  });
});

describe('real layouts through the CLI', () => {
  const mod = 'module example.com/notes\n\ngo 1.26\n';
  const server = 'package main\n\nimport "net/http"\n\nfunc main() { http.ListenAndServe(":8080", nil) }\n';
  /** A one-file service generated with --yes: what it printed and the Dockerfile. */
  async function generatedService(mainGo: string): Promise<{ stdout: string; dockerfile: string }> {
    const dir = makeProject({ 'go.mod': mod, 'main.go': mainGo });
    const result = await runCli(['--yes'], { cwd: dir });
    expect(result.code, result.stderr).toBe(0);
    return { stdout: result.stdout, dockerfile: readFileSync(join(dir, 'Dockerfile'), 'utf8') };
  }
  it('a main that a //go:generate line runs is a generator: no image, listed (memos tagdata)', async () => {
    const dir = makeProject({
      'go.mod': mod,
      'main.go': server,
      'internal/parser/tag.go': 'package parser\n\n//go:generate go run ./tagdata -output tables.go\n',
      'internal/parser/tagdata/main.go': 'package main\n\nfunc main() {}\n',
    });
    const result = await runCli(['--yes'], { cwd: dir });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain('no image for ./internal/parser/tagdata (a code or docs generator); build one with --main.');
    expect(readFileSync(join(dir, 'Dockerfile'), 'utf8')).not.toContain('tagdata');
  });

  it(
    "a module in backend/ released by the repository's root .goreleaser.yml (dir: backend) gets its binary's name " + '(remark42)',
    async () => {
      const repo = makeProject({
        '.git/HEAD': 'ref: refs/heads/main\n',
        '.goreleaser.yml':
          'project_name: notes\nbuilds:\n  - id: notes\n    dir: backend\n    main: ./app\n    binary: "notes.{{ .Os ' +
          '}}-{{ .Arch }}"\n    tags: [sqlite_omit_load_extension]\n',
        'backend/go.mod': mod,
        'backend/app/main.go': server,
        'backend/tools/seed/main.go': 'package main\n\nfunc main() {}\n',
      });
      const result = await runCli(['--yes'], { cwd: join(repo, 'backend') });
      expect(result.code, result.stderr).toBe(0);
      expect(result.stdout).toContain('docker build -t notes .');
      expect(result.stdout).toContain('./app: binary named notes, as the release config names it (go build would call it app).');
      expect(readFileSync(join(repo, 'backend/Dockerfile'), 'utf8')).toContain('-tags=sqlite_omit_load_extension');
    },
  );

  it('a loopback flag the program will not take alone gets no CMD, but a warning naming both flags (etcd)', async () => {
    const { stdout, dockerfile } = await generatedService(
      'package main\n\nimport (\n\t"errors"\n\t"flag"\n\t"net/http"\n)\n\nfunc main() {\n\tlisten := ' +
        'flag.String("listen-client-urls", "http://localhost:2379", "listen")\n\tadvertise := ' +
        'flag.String("advertise-client-urls", "", "advertise")\n\tflag.Parse()\n\tif *advertise == "" ' +
        '{\n\t\tpanic(errors.New("--advertise-client-urls is required when --listen-client-urls is ' +
        'set"))\n\t}\n\thttp.ListenAndServe(*listen, nil)\n}\n',
    );
    expect(dockerfile).not.toContain('CMD [');
    expect(stdout).toContain(
      'the program requires --advertise-client-urls with it (main.go:14): give both with --args ' +
        "'--listen-client-urls=http://0.0.0.0:2379 --advertise-client-urls=...'.",
    );
  });

  it('a service bound to loopback by an environment variable gets ENV that binds all interfaces (miniflux)', async () => {
    const { stdout, dockerfile } = await generatedService(
      'package main\n\nimport (\n\t"net/http"\n\t"os"\n)\n\nfunc main() {\n\taddr := getEnv("LISTEN_ADDR", ' +
        '"127.0.0.1:8080")\n\thttp.ListenAndServe(addr, nil)\n}\n\nfunc getEnv(name, fallback string) string {\n\tif v := ' +
        'os.Getenv(name); v != "" {\n\t\treturn v\n\t}\n\treturn fallback\n}\n',
    );
    expect(dockerfile).toMatch(/EXPOSE 8080\n# It listens on loopback by default[^\n]*\nENV LISTEN_ADDR=0\.0\.0\.0:8080\nENTRYPOINT/);
    expect(dockerfile).not.toContain('CMD [');
    expect(stdout).toContain('the image sets LISTEN_ADDR=0.0.0.0:8080 (docker run -e LISTEN_ADDR=... overrides it)');
    expect(stdout).toContain('docker run --rm -p 8080:8080 notes');
  });
});

describe('the builder image: a published, supported golang tag', () => {
  it.each([
    ['1.26', 'go line', 'golang:1.26-bookworm', false],
    ['1.26.0', 'go line', 'golang:1.26-bookworm', false],
    ['1.27.1', 'toolchain line', 'golang:1.27.1-bookworm', false],
    ['1.23.0', 'go line', 'golang:1.26-bookworm', true],
    ['1.19', 'go line', 'golang:1.26-bookworm', true],
    ['1.13', 'go line', 'golang:1.26-bookworm', true],
    ['1.21.4', 'toolchain line', 'golang:1.26-bookworm', true],
    ['1.26.7', '.go-version', 'golang:1.26.7-bookworm', false],
    ['1.24.2', 'chosen', 'golang:1.24.2-bookworm', false],
    ['1.13', 'chosen', 'golang:1.13', false],
    ['1.28', 'go line', 'golang:1.28-bookworm', true],
    ['1.28rc1', 'toolchain line', 'golang:1.28rc1-bookworm', true],
  ] as const)('%s from the %s: %s', (version, source, image, raised) => {
    const builder = builderVersion(version as GoVersion, source);
    expect(builderImage(builder, false)).toBe(image);
    expect(builder.note !== undefined).toBe(raised);
  });
  it('alpine builders use the Alpine release the runtime uses', () => {
    expect(builderImage(builderVersion('1.26' as GoVersion, 'go line'), true)).toBe('golang:1.26-alpine3.23');
  });
});

describe('the printed build command works where it is printed', () => {
  const advise = (docker: Parameters<typeof adviseBuildCommand>[0], env: Record<string, string> = {}, multi = false) => {
    const advice = adviseBuildCommand(docker, env, multi);
    return { command: advice.command('docker build -t api .'), why: advice.why };
  };
  it.each([
    [
      'engine 20.10 with the classic builder',
      { clientVersion: '20.10.24', serverVersion: '20.10.24', buildx: false, desktop: false, builderVersion: '1' },
      {},
      'DOCKER_BUILDKIT=1 docker build -t api .',
      /classic builder unless DOCKER_BUILDKIT=1/,
    ],
    [
      'engine 20.10 whose daemon.json turns BuildKit on',
      { clientVersion: '20.10.24', serverVersion: '20.10.24', buildx: false, desktop: false, builderVersion: '2' },
      {},
      'docker build -t api .',
      undefined,
    ],
    [
      'engine 20.10 with DOCKER_BUILDKIT=1 already set',
      { clientVersion: '20.10.24', serverVersion: '20.10.24', buildx: false, desktop: false, builderVersion: '1' },
      { DOCKER_BUILDKIT: '1' },
      'docker build -t api .',
      undefined,
    ],
    [
      'docker 27 with buildx',
      { clientVersion: '27.3.1', serverVersion: '27.3.1', buildx: true, desktop: false },
      {},
      'docker build -t api .',
      undefined,
    ],
    [
      'docker 28 without the buildx plugin',
      { clientVersion: '28.2.2', buildx: false, desktop: false },
      {},
      'docker build -t api .',
      /no buildx plugin, so docker build falls back to the legacy builder/,
    ],
  ] as const)('%s', (_name, docker, env, command, why) => {
    const advice = advise(docker, env);
    expect(advice.command).toBe(command);
    if (why) expect(advice.why).toMatch(why);
    else expect(advice.why).toBeUndefined();
  });
  it('no docker here: the command as it is, with what it needs', () => {
    expect(advise(undefined).why).toMatch(/docker was not found here; the build needs BuildKit/);
  });
  it('the summary prints the adapted command, the Dockerfile keeps the portable one', async () => {
    const dir = makeProject(SIMPLE_SERVICE);
    const result = await runCli(['--yes'], {
      cwd: dir,
      probeDocker: async () => ({
        clientVersion: '20.10.24',
        serverVersion: '20.10.24',
        buildx: false,
        desktop: false,
        builderVersion: '1',
      }),
    });
    expect(result.stdout).toContain(
      'Build:\n  DOCKER_BUILDKIT=1 docker build -t svc .\n  ! Docker 20.10.24 builds with the classic builder',
    );
    expect(readFileSync(join(dir, 'Dockerfile'), 'utf8')).toContain('# Build:  docker build -t svc .');
  });
});
