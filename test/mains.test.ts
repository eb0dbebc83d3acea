// Issue 21: which main is the product, listen vs dial, and a root command that only prints usage.
// Each recognizer table entry has a small Go fixture of its shape (our own code, written for the test).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { MainPackage } from '../src/detect/analyze.js';
import { readDockerfile, readGoreleaser, type BuildInfo } from '../src/detect/buildinfo.js';
import { SERVE_WORDS, USAGE_ONLY_ROOTS, usageOnlyRoot } from '../src/detect/commands.js';
import { listenPlan } from '../src/detect/listen.js';
import { ADDRESS_RECOGNIZERS, addressRole, inFlagSet } from '../src/detect/listen-dial.js';
import { findPorts } from '../src/detect/ports.js';
import { NAME_ROLES, PRODUCT_SIGNALS, rankMains } from '../src/detect/ranking.js';
import { chooseTargets } from '../src/plan/targets.js';
import { fakeMain, makeProject, runCli } from './helpers.js';

const plan = (main: string, imported: string[] = [], rootNames: string[] = []) =>
  listenPlan(
    findPorts(
      [{ path: 'main.go', text: main }],
      imported.map((text, index) => ({ path: `pkg${index}/x.go`, text })),
      rootNames,
    ),
  );

describe('listen or dial: ADDRESS_RECOGNIZERS', () => {
  it.each([
    ['dial word in the name', { name: 'upstream-addr', help: 'address', neighbours: [] }, 'dial'],
    ['help says it connects', { name: 'port', help: 'port of the server to connect to', neighbours: [] }, 'dial'],
    ['help says it listens', { name: 'listen', help: 'HTTP server listen port', neighbours: [] }, 'listen'],
    ['help says it listens', { name: 'port', help: 'Port for clients to connect to.', neighbours: [] }, 'listen'],
    ["help names another program's server", { name: 'server_addr', help: "frp server's address", neighbours: [] }, 'dial'],
    ["help names another program's server", { name: 'port', help: 'port of the metrics server', neighbours: [] }, 'dial'],
    ['connection credentials beside it', { name: 'port', help: 'Server port', neighbours: ['host', 'user', 'pass', 'db'] }, 'dial'],
    ['listen word in the name', { name: 'port', help: 'Server port', neighbours: ['host', 'user'] }, 'listen'],
  ] as const)('%s', (by, context, says) => expect(addressRole(context)).toEqual({ says, by }));

  it('every entry is exercised above, and a name no entry knows is unknown', () => {
    expect(ADDRESS_RECOGNIZERS.map((item) => item.name)).toEqual([
      'dial word in the name',
      'help says it connects',
      'help says it listens',
      "help names another program's server",
      'connection credentials beside it',
      'listen word in the name',
    ]);
    expect(addressRole({ name: 'timeout', neighbours: [] })).toEqual({ says: 'unknown' });
  });

  it("a client's flags for the server it dials are no listener: no port, no CMD (the shape of a tunnel client and server)", () => {
    const flags =
      'package config\n\nfunc RegisterClientFlags(cmd *cobra.Command, c *ClientConfig) {\n\tcmd.PersistentFlags().StringVarP(' +
      '&c.ServerAddr, "server_addr", "s", "127.0.0.1", "tunnel server\'s address")\n\tcmd.PersistentFlags().IntVarP(&c.ServerPort, ' +
      '"server_port", "P", 7000, "tunnel server\'s port")\n}\n\nfunc RegisterServerFlags(cmd *cobra.Command, c *ServerConfig) ' +
      '{\n\tcmd.PersistentFlags().StringVarP(&c.BindAddr, "bind_addr", "", "0.0.0.0", "bind address")\n\tcmd.PersistentFlags()' +
      '.IntVarP(&c.BindPort, "bind_port", "p", 7000, "bind port")\n}\n';
    const client = 'package main\n\nfunc main() {\n\tconfig.RegisterClientFlags(rootCmd, &cfg)\n}\n';
    const server = 'package main\n\nfunc main() {\n\tconfig.RegisterServerFlags(rootCmd, &cfg)\n}\n';
    expect(plan(client, [flags])).toEqual({});
    expect(plan(server, [flags])).toMatchObject({ port: 7000, flag: 'bind_port' });
    expect(plan(server, [flags]).loopback).toBeUndefined();
  });

  it("a database's host and port in an options struct are dialed; the HTTP listener's tags are the service's (the shape of pgweb)", () => {
    const options =
      'package command\n\ntype Options struct {\n\tURL  string `long:"url" description:"Database connection string"`\n\tHost ' +
      'string `long:"host" description:"Server hostname or IP" default:"localhost"`\n\tPort int `long:"port" description:"Server ' +
      'port" default:"5432"`\n\tUser string `long:"user" description:"Database user"`\n\tPass string `long:"pass" ' +
      'description:"Password for user"`\n\tDbName string `long:"db" description:"Database name"`\n\tOpenTimeout int ' +
      '`long:"open-timeout" default:"30"`\n\tRetries int `long:"open-retry" default:"0"`\n\tCodec string `long:"codec" ' +
      'default:"none"`\n\tHTTPHost string `long:"bind" description:"HTTP server host" default:"localhost"`\n\tHTTPPort uint ' +
      '`long:"listen" description:"HTTP server listen port" default:"8081"`\n}\n';
    expect(plan('package main\n\nfunc main() { command.Run() }\n', [options])).toMatchObject({
      port: 8081,
      flag: 'listen',
      loopback: { flag: 'bind', fix: '--bind=0.0.0.0' },
    });
  });

  it('inFlagSet: package level, init, a called function or any method define flags; an unmentioned function does not', () => {
    const text =
      'package config\n\nvar a = flag.String("a", "", "")\n\nfunc init() {\n\tflag.String("b", "", "")\n}\n\nfunc Used() ' +
      '{\n\tflag.String("c", "", "")\n}\n\nfunc Unused() {\n\tflag.String("d", "", "")\n}\n\nfunc (s *cmd) Init() {\n\tflag.String("e", ' +
      '"", "")\n}\n';
    const caller = { text: 'package main\n\nfunc main() { config.Used() }\n' };
    const defined = ['a', 'b', 'c', 'd', 'e'].filter((name) => inFlagSet(text, text.indexOf(`"${name}"`), [{ text }, caller]));
    expect(defined).toEqual(['a', 'b', 'c', 'e']);
  });
});

describe('which main is the product: PRODUCT_SIGNALS and NAME_ROLES', () => {
  const main = (packagePath: string, extra: Partial<MainPackage> = {}) => fakeMain(packagePath, extra, 'tun');
  const info = (extra: Partial<BuildInfo> = {}): BuildInfo => ({ builds: [], tags: [], ...extra });
  const ranked = (mains: MainPackage[], buildInfo: BuildInfo = info(), modulePath = 'example.com/tun') =>
    rankMains(mains, modulePath, buildInfo).map((item) => [item.main.packagePath, item.reasons.join(', ')]);
  const chosen = (mains: MainPackage[], buildInfo: BuildInfo = info(), modulePath = 'example.com/tun') =>
    chooseTargets(rankMains(mains, modulePath, buildInfo), undefined).chosen.main.packagePath;

  it('every signal has a name; the table is in the order the README gives', () => {
    expect(PRODUCT_SIGNALS.map((signal) => signal.name)).toEqual([
      'the release config builds it (first listed: most)',
      'the release config publishes it as an image (goreleaser dockers:, kos:)',
      "the project's own Dockerfile runs it (ENTRYPOINT/CMD)",
      "the project's own Dockerfile builds it (go build)",
      "the project's own Dockerfile exposes its port",
      'named like the module',
      'cmd/<name>, else the module root',
      'serves',
      'a listen port in its own flag set or config',
      'its name says server or client (NAME_ROLES)',
      'a deeper path',
    ]);
  });

  it.each([
    ['a server word (server, daemon, srv)', 'toxi-server', 'server'],
    ['a client word (cli, ctl, client, stat, util)', 'tun_stat', 'client'],
    ["the module's daemon (nsqd, frps)", 'tund', 'server'],
    ["the module's client (frpc, etcdctl)", 'tunctl', 'client'],
    ["a client's twin (Xs beside Xc)", 'relays', 'server'],
    ["a server's twin (Xc beside Xs)", 'relayc', 'client'],
  ])('NAME_ROLES: %s (%s)', (entry, name, says) => {
    const role = NAME_ROLES.find((item) => item.name === entry)!;
    const context = {
      main: main(`./cmd/${name}`),
      elements: ['cmd', name],
      module: 'tun',
      declaredIndex: -1,
      buildInfo: info(),
      siblings: ['relays', 'relayc'],
    };
    expect(role.says).toBe(says);
    expect(role.test(name, context)).toBe(true);
    expect(role.test('worker', context)).toBe(false);
  });

  it('a server and its client that both serve: the name decides, not the alphabet (frps over frpc)', () => {
    expect(chosen([main('./cmd/tunc', { serves: true }), main('./cmd/tuns', { serves: true })])).toBe('./cmd/tuns');
    expect(chosen([main('./cmd/relayc', { serves: true }), main('./cmd/relays', { serves: true })])).toBe('./cmd/relays');
    expect(chosen([main('./apps/tun_stat', { serves: true }), main('./apps/tund', { serves: true })])).toBe('./apps/tund');
    expect(chosen([main('./cmd/cli', { serves: true }), main('./cmd/server', { serves: true })])).toBe('./cmd/server');
  });

  it('a listen port in its own flag set counts', () => {
    expect(ranked([main('./cmd/a', { serves: true }), main('./cmd/b', { serves: true, listen: { port: 8080 } })])[0]).toEqual([
      './cmd/b',
      'cmd/<name>, serves, listens on 8080',
    ]);
  });

  it('goreleaser: anchors and merges are followed, skipped builds dropped, and dockers: ids say which build is the image', () => {
    const config =
      'project_name: tun\nbuilds:\n  - &default\n    id: server\n    main: ./cmd/server\n    binary: tun-server-{{.Os}}\n' +
      '    goos:\n      - linux\n    ignore:\n      - goos: windows\n  - <<: *default\n    id: server-arm\n  - <<: *default\n' +
      '    id: client\n    main: ./cmd/cli\n    binary: tun-cli\n  - skip: true\nnfpms:\n  - id: packages\n' +
      'dockers:\n  - &docker\n    ids:\n      - server\n      - client\n    goarch: amd64\n  - <<: *docker\n    goarch: arm64\n';
    const read = readGoreleaser(config);
    expect(read.builds).toEqual([
      { id: 'server', main: './cmd/server', binary: 'tun-server' },
      { id: 'server-arm', main: './cmd/server', binary: 'tun-server' },
      { id: 'client', main: './cmd/cli', binary: 'tun-cli' },
    ]);
    expect(read.imageIds).toEqual(['server', 'client']);
    expect(readGoreleaser('kos:\n  - build: api\n    main: ./cmd/api\n').imageIds).toEqual(['api']);
    const mains = [main('./cmd/cli', { serves: true }), main('./cmd/server', { serves: true })];
    expect(ranked(mains, info(read))[0]![1]).toContain('published as an image by the release config');
    expect(chosen(mains, info(read))).toBe('./cmd/server');
  });

  it("the project's own Dockerfile: what it builds, runs (through a COPY to that path) and exposes", () => {
    const built = readDockerfile(
      'dockerfiles/Dockerfile-for-tuns',
      'FROM golang AS b\nRUN go build -trimpath \\\n  -o bin/tuns ./cmd/tuns\nFROM alpine\nCOPY --from=b /b/bin/tuns /usr/bin/tuns\n' +
        'ENTRYPOINT ["/usr/bin/tuns"]\n',
    );
    expect(built).toEqual({
      path: 'dockerfiles/Dockerfile-for-tuns',
      packages: ['./cmd/tuns'],
      outputs: ['tuns'],
      runs: ['tuns'],
      exposes: [],
    });
    const copied = readDockerfile(
      'Dockerfile',
      'FROM scratch\nEXPOSE 8474 9000/udp\nENTRYPOINT ["/tun"]\nCMD ["-host=0.0.0.0"]\nCOPY tun-server-linux-* /tun\n',
    );
    expect(copied).toMatchObject({ runs: ['tun'], exposes: [8474, 9000] });
    const ordered = readDockerfile('Dockerfile', 'FROM scratch\nCOPY tun-server-linux-* /tun\nENTRYPOINT ["/tun"]\n');
    expect(ordered.runs).toEqual(['tun-server-linux-']);
    const mains = [main('./cmd/alpha', { serves: true }), main('./cmd/tuns')];
    expect(chosen(mains, info({ dockerfiles: [built] }))).toBe('./cmd/tuns');
    const builds = [{ main: './cmd/server', binary: 'tun-server' }];
    const byCopy = [main('./cmd/alpha', { serves: true }), main('./cmd/server')];
    expect(ranked(byCopy, info({ builds, dockerfiles: [ordered] }))[0]).toEqual([
      './cmd/server',
      'built by the release config, run by Dockerfile, cmd/<name>, named like a server (server)',
    ]);
    const onlyBuilt = readDockerfile('Dockerfile', 'FROM golang\nRUN go build ./cmd/beta\n');
    expect(ranked([main('./cmd/alpha'), main('./cmd/beta')], info({ dockerfiles: [onlyBuilt] }))[0]).toEqual([
      './cmd/beta',
      'built by Dockerfile, cmd/<name>',
    ]);
    const exposes = [main('./cmd/alpha', { listen: { port: 9000 } }), main('./cmd/beta', { listen: { port: 4150 } })];
    expect(ranked(exposes, info({ dockerfiles: [readDockerfile('Dockerfile', 'FROM x\nEXPOSE 4150 4151\n')] }))[0]).toEqual([
      './cmd/beta',
      'its port is the one Dockerfile exposes, cmd/<name>, listens on 4150',
    ]);
  });

  it('through the CLI: a tunnel server and client of one module, the project keeping Dockerfiles for both (the shape of frp)', async () => {
    const flags =
      'package config\n\nimport "flag"\n\nfunc ClientFlags() {\n\tflag.String("server_addr", "127.0.0.1", "tunnel server\'s address")' +
      '\n\tflag.Int("server_port", 7000, "tunnel server\'s port")\n}\n\nfunc ServerFlags() {\n\tflag.String("bind_addr", "0.0.0.0", ' +
      '"bind address")\n\tflag.Int("bind_port", 7000, "bind port")\n}\n';
    const serving = (register: string) =>
      'package main\n\nimport (\n\t"net"\n\n\t"example.com/tun/config"\n)\n\nfunc main() {\n' +
      `\tconfig.${register}()\n\t_, _ = net.Listen("tcp", ":0")\n}\n`;
    const dockerfile = (name: string) => `FROM golang\nRUN go build -o bin/${name} ./cmd/${name}\nENTRYPOINT ["/bin/${name}"]\n`;
    const dir = makeProject({
      'go.mod': 'module example.com/tun\n\ngo 1.26\n',
      'config/flags.go': flags,
      'cmd/tunc/main.go': serving('ClientFlags'),
      'cmd/tuns/main.go': serving('ServerFlags'),
      'dockerfiles/Dockerfile-for-tunc': dockerfile('tunc'),
      'dockerfiles/Dockerfile-for-tuns': dockerfile('tuns'),
    });
    const result = await runCli(['--yes'], { cwd: dir });
    expect(result.code, result.stderr).toBe(0);
    const text = readFileSync(join(dir, 'Dockerfile'), 'utf8');
    // The default image is last: the server, with its bind port; the client exposes nothing and gets no CMD.
    expect(text).toMatch(
      /AS tunc\n(?:(?!EXPOSE|CMD)[^\n]*\n)*?ENTRYPOINT \["\/usr\/local\/bin\/tunc"\]\n[\s\S]*AS tuns\n[\s\S]*EXPOSE 7000/,
    );
    expect(text).not.toContain('CMD [');
    expect(result.stdout).not.toContain('default image');
  });
});

describe('a root command that only prints usage: USAGE_ONLY_ROOTS', () => {
  const go = (body: string) => [{ path: 'main.go', text: `package main\n\n${body}\n` }];
  const cobraRoot = (run: string) =>
    'func main() {\n\trootCmd := &cobra.Command{\n\t\tUse: "tool",\n' +
    run +
    '\t}\n\trootCmd.AddCommand(newServeCmd(), versionCmd)\n\trootCmd.AddCommand(migrateCmd)\n\t_ = rootCmd.Execute()\n}\n\n' +
    'func newServeCmd() *cobra.Command {\n\tcmd := &cobra.Command{Use: "serve [flags]", Short: "start"}\n\treturn cmd\n}\n\n' +
    'var versionCmd = &cobra.Command{Use: "version"}\nvar migrateCmd = &cobra.Command{Use: "migrate"}';

  it('every recognizer is named', () => {
    expect(USAGE_ONLY_ROOTS.map((item) => item.name)).toEqual([
      'cobra root command without Run (or one that only prints help)',
      'urfave/cli root with Commands and no Action',
      'urfave/cli v1 app with Commands assigned and no Action',
      'switch on the first argument whose default prints usage',
      'kingpin application with commands and no default',
    ]);
    expect(SERVE_WORDS).toEqual(['serve', 'server', 'run', 'start', 'web', 'daemon', 'agent', 'replicate']);
  });

  it('cobra: a root without Run, or whose Run only prints help, and its subcommands; a root that acts is none', () => {
    const expected = {
      by: 'cobra root command without Run (or one that only prints help)',
      subcommands: ['serve', 'version', 'migrate'],
      serve: 'serve',
    };
    expect(usageOnlyRoot(go(cobraRoot('')), [], ['tool'])).toEqual(expected);
    const helpOnly = '\t\tRun: func(cmd *cobra.Command, args []string) {\n\t\t\tcmd.Help()\n\t\t\tos.Exit(2)\n\t\t},\n';
    expect(usageOnlyRoot(go(cobraRoot(helpOnly)), [], ['tool'])).toEqual(expected);
    const acts = '\t\tRunE: func(cmd *cobra.Command, args []string) error {\n\t\t\treturn run(cfg)\n\t\t},\n';
    expect(usageOnlyRoot(go(cobraRoot(acts)), [], ['tool'])).toBeUndefined();
  });

  it('urfave/cli: a v3 root Command or an App with Commands and no Action; DefaultCommand or Action acts', () => {
    const v3 =
      'var webCommand = cli.Command{\n\tName: "web",\n\tAction: runWeb,\n}\n\nfunc main() {\n\tcmd := &cli.Command{\n\t\tName: "Forge",' +
      '\n\t\tCommands: []*cli.Command{\n\t\t\t&webCommand,\n\t\t\t{Name: "admin", Action: runAdmin},\n\t\t},\n\t}\n' +
      '\t_ = cmd.Run(ctx, os.Args)\n}';
    expect(usageOnlyRoot(go(v3), [], ['forge'])).toEqual({
      by: 'urfave/cli root with Commands and no Action',
      subcommands: ['web', 'admin'],
      serve: 'web',
    });
    const app =
      'func main() {\n\tapp := &cli.App{\n\t\tName: "x",\n\t\tCommands: []*cli.Command{&serverCmd, &agentCmd},\n\t}\n}\n' +
      'var serverCmd = cli.Command{Name: "server"}\nvar agentCmd = cli.Command{Name: "agent"}';
    expect(usageOnlyRoot(go(app), [], ['x'])).toEqual({
      by: 'urfave/cli root with Commands and no Action',
      subcommands: ['server', 'agent'],
    });
    expect(usageOnlyRoot(go(v3.replace('Name: "Forge",', 'Name: "Forge",\n\t\tDefaultCommand: "web",')), [], ['forge'])).toBeUndefined();
    expect(usageOnlyRoot(go(v3.replace('Name: "Forge",', 'Name: "Forge",\n\t\tAction: runDefault,')), [], ['forge'])).toBeUndefined();
  });

  it('cobra: a root in an own package main calls, subcommands from other packages (api.StartCmd), a Run that only calls tip()', () => {
    const root =
      'package cmd\n\nvar rootCmd = &cobra.Command{\n\tUse: "admin",\n' +
      '\tRun: func(cmd *cobra.Command, args []string) {\n\t\ttip()\n\t},\n}\n\n' +
      'func init() {\n\trootCmd.AddCommand(api.StartCmd)\n\trootCmd.AddCommand(migrate.StartCmd)\n}\n';
    const api = 'package api\n\nvar (\n\tStartCmd = &cobra.Command{\n\t\tUse: "server",\n\t}\n)\n';
    const migrate = 'package migrate\n\nvar StartCmd = &cobra.Command{Use: "migrate"}\n';
    const imported = [root, api, migrate].map((text, index) => ({ path: `cmd/${index}.go`, text }));
    const main = go('func main() {\n\tcmd.Execute()\n}');
    expect(usageOnlyRoot(main, imported, ['admin'])).toEqual({
      by: 'cobra root command without Run (or one that only prints help)',
      subcommands: ['server', 'migrate'],
      serve: 'server',
    });
    // A root that acts (its Run serves) is no usage-only root.
    const acting = imported.map((source) => ({ ...source, text: source.text.replace('tip()', 'serve(cfg)') }));
    expect(usageOnlyRoot(main, acting, ['admin'])).toBeUndefined();
  });

  it('cobra: a root built as a struct field (RootCmd: &cobra.Command{...}) with constructor subcommands of another package', () => {
    const app =
      'package base\n\nfunc New() *App {\n\tapp := &App{\n\t\tRootCmd: &cobra.Command{\n\t\t\tUse: name,\n' +
      '\t\t},\n\t}\n\treturn app\n}\n\n' +
      'func (app *App) Start() error {\n\tapp.RootCmd.AddCommand(cmd.NewServeCommand(app, true))\n\treturn app.RootCmd.Execute()\n}\n';
    const serve =
      'package cmd\n\nfunc NewServeCommand(app App, banner bool) *cobra.Command {\n\treturn &cobra.Command{Use: "serve [domain]"}\n}\n';
    const imported = [app, serve].map((text, index) => ({ path: `p/${index}.go`, text }));
    expect(usageOnlyRoot(go('func main() {\n\t_ = base.New().Start()\n}'), imported, ['base'])).toMatchObject({
      subcommands: ['serve'],
      serve: 'serve',
    });
  });

  it('urfave/cli v2: an App from an own package whose Commands is a variable filled by append in each file', () => {
    const app =
      'package cmd\n\nvar commands = make([]*cli.Command, 0)\n\nfunc New() *cli.App {\n\treturn &cli.App{\n\t\tName: "x",\n' +
      '\t\tCommands: commands,\n\t\tFlags: flags,\n\t}\n}\n';
    const serve =
      'package cmd\n\nfunc init() {\n\tcommands = append(commands, cmdServe)\n}\n\nvar cmdServe = &cli.Command{\n\tName: "serve",\n}\n';
    const publish =
      'package cmd\n\nfunc init() {\n\tcommands = append(commands, cmdPublish)\n}\n\nvar cmdPublish = &cli.Command{Name: "publish"}\n';
    const imported = [app, serve, publish].map((text, index) => ({ path: `cmd/${index}.go`, text }));
    const main = go('func main() {\n\tapp := cmd.New()\n\t_ = app.Run(os.Args)\n}');
    expect(usageOnlyRoot(main, imported, ['x'])).toEqual({
      by: 'urfave/cli root with Commands and no Action',
      subcommands: ['serve', 'publish'],
      serve: 'serve',
    });
    const acts = imported.map((source) => ({ ...source, text: source.text.replace('Flags: flags,', 'Action: execRun,') }));
    expect(usageOnlyRoot(main, acts, ['x'])).toBeUndefined();
  });

  it('urfave/cli v1: app.Commands = getCommands() with no app.Action (the shape of gocron); with an Action it acts', () => {
    const main =
      'func main() {\n\tcliApp := cli.NewApp()\n\tcliApp.Name = "gocron"\n' +
      '\tcliApp.Commands = getCommands()\n\t_ = cliApp.Run(os.Args)\n}\n\n' +
      'func getCommands() []cli.Command {\n\tcommand := cli.Command{\n\t\tName: "web",\n\t\tAction: runWeb,\n' +
      '\t\tFlags: []cli.Flag{\n\t\t\tcli.IntFlag{\n\t\t\t\tName: "port,p",\n\t\t\t},\n\t\t},\n\t}\n' +
      '\treturn []cli.Command{command}\n}';
    expect(usageOnlyRoot(go(main), [], ['gocron'])).toEqual({
      by: 'urfave/cli v1 app with Commands assigned and no Action',
      subcommands: ['web'],
      serve: 'web',
    });
    expect(usageOnlyRoot(go(main.replace('cliApp.Name = "gocron"', 'cliApp.Action = run')), [], ['gocron'])).toBeUndefined();
    const literal =
      'func main() {\n\tapp := cli.NewApp()\n\tapp.Commands = []cli.Command{\n\t\t{Name: "serve"},\n\t\t{Name: "dump"},\n\t}\n}';
    expect(usageOnlyRoot(go(literal), [], ['x'])).toMatchObject({ subcommands: ['serve', 'dump'], serve: 'serve' });
  });

  it('a switch on the first argument whose default prints usage; a case "" acts with no argument; start beside stop controls', () => {
    const chiselShape = (cases: string, fallback: string) =>
      go(
        'func main() {\n\tflag.Parse()\n\targs := flag.Args()\n\tsubcmd := ""\n\tif len(args) > 0 {\n\t\tsubcmd = args[0]\n\t}\n' +
          `\tswitch subcmd {\n${cases}\tdefault:\n${fallback}\t}\n}`,
      );
    const cases = '\tcase "server":\n\t\tserver(args)\n\tcase "client":\n\t\tclient(args)\n';
    const printsHelp = '\t\tfmt.Print(help)\n\t\tos.Exit(0)\n';
    const expected = { by: 'switch on the first argument whose default prints usage', subcommands: ['server', 'client'], serve: 'server' };
    expect(usageOnlyRoot(chiselShape(cases, printsHelp), [], ['x'])).toEqual(expected);
    const usageInBranch = '\t\tif cmd == "" {\n\t\t\tm.Usage()\n\t\t\treturn flag.ErrHelp\n\t\t}\n\t\treturn fmt.Errorf("unknown")\n';
    expect(usageOnlyRoot(chiselShape(cases, usageInBranch), [], ['x'])).toEqual(expected);
    // The program serves with no argument: not usage-only.
    expect(
      usageOnlyRoot(chiselShape('\tcase "serve", "":\n\t\tserve()\n\tcase "version":\n\t\tv()\n', printsHelp), [], ['x']),
    ).toBeUndefined();
    // A default that acts (runs the server) is not usage.
    expect(usageOnlyRoot(chiselShape(cases, '\t\tserver(args)\n'), [], ['x'])).toBeUndefined();
    const controls = '\tcase "replicate":\n\t\tr()\n\tcase "start":\n\t\ts()\n\tcase "stop":\n\t\tt()\n';
    expect(usageOnlyRoot(chiselShape(controls, printsHelp), [], ['x'])).toMatchObject({
      subcommands: ['replicate', 'start', 'stop'],
      serve: 'replicate',
    });
  });

  it('kingpin: commands without a .Default() one', () => {
    const kingpin =
      'var (\n\tapp = kingpin.New("x", "")\n\tserveCmd = app.Command("serve", "Serve.")\n\tdumpCmd = app.Command("dump", "Dump.")\n)';
    expect(usageOnlyRoot(go(kingpin), [], ['x'])).toEqual({
      by: 'kingpin application with commands and no default',
      subcommands: ['serve', 'dump'],
      serve: 'serve',
    });
    expect(usageOnlyRoot(go(kingpin.replace('"Serve.")', '"Serve.").Default()')), [], ['x'])).toBeUndefined();
  });

  it("the listen port comes from the serving subcommand's flags, not another's", () => {
    const findings = findPorts(
      go(
        'var serveCmd = &cobra.Command{\n\tUse: "serve",\n}\nvar proxyCmd = &cobra.Command{\n\tUse: "proxy",\n}\nfunc init() {\n' +
          '\tproxyCmd.Flags().StringVar(&a, "listen", ":9000", "listen address")\n\tserveCmd.Flags().StringVar(&b, "http", ' +
          '"127.0.0.1:8090", "listen address")\n}',
      ),
      [],
    );
    expect(listenPlan(findings)).toMatchObject({ port: 9000 });
    expect(listenPlan(findings, 'serve')).toMatchObject({ port: 8090, loopback: { subcommand: 'serve', fix: '--http=0.0.0.0:8090' } });
  });

  const cli = (root: string) =>
    'package main\n\nimport (\n\t"net/http"\n\n\t"github.com/spf13/cobra"\n)\n\nfunc main() {\n' +
    `\trootCmd := &cobra.Command{Use: "notes"}\n\trootCmd.AddCommand(${root})\n\t_ = rootCmd.Execute()\n}\n\n` +
    'var serveCmd = &cobra.Command{\n\tUse: "serve",\n\tRun: func(cmd *cobra.Command, args []string) {\n' +
    '\t\t_ = http.ListenAndServe(addr, nil)\n\t},\n}\n\n' +
    'var runCmd = &cobra.Command{Use: "run"}\nvar addr string\n\nfunc init() {\n' +
    '\tserveCmd.Flags().StringVar(&addr, "http", "127.0.0.1:8090", "address to listen on")\n}\n';
  const generate = async (mainGo: string) => {
    const dir = makeProject({ 'go.mod': 'module example.com/notes\n\ngo 1.26\n', 'main.go': mainGo });
    const result = await runCli(['--yes'], { cwd: dir });
    expect(result.code, result.stderr).toBe(0);
    return { stdout: result.stdout, dockerfile: readFileSync(join(dir, 'Dockerfile'), 'utf8') };
  };

  it('through the CLI: one serving subcommand is the CMD, with the listen flag it defines', async () => {
    const { stdout, dockerfile } = await generate(cli('serveCmd'));
    expect(dockerfile).toContain('EXPOSE 8090');
    expect(dockerfile).toContain('CMD ["serve","--http=0.0.0.0:8090"]');
    expect(stdout).toContain('the image runs serve --http=0.0.0.0:8090 (--args replaces that).');
  });

  it('through the CLI: two subcommands that could serve get no CMD but a warning naming them and --args', async () => {
    const { stdout, dockerfile } = await generate(cli('serveCmd, runCmd'));
    expect(dockerfile).not.toContain('CMD [');
    expect(stdout).toContain(
      'its root command only prints usage and exits (cobra root command without Run (or one that only prints help)), so the container ' +
        "would stop at once; its subcommands: serve, run. Give the one that serves with --args '<subcommand> ...'.",
    );
  });
});
