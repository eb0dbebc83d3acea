// Health probes a binary offers itself (detect/health.ts): one Go fixture per entry of
// HEALTH_RECOGNIZERS, in the shapes services write (a healthcheck subcommand of cobra, urfave/cli
// or kingpin, the first argument switched on or compared, a Bool flag that probes and exits), and
// the look-alikes none may take: an HTTP route, a flag that enables an endpoint, a subcommand of
// a subcommand, a root command named healthcheck, a comment, a test file.
import { describe, expect, it } from 'vitest';
import { analyzePackages } from '../src/detect/analyze.js';
import { findHealthProbe, findHealthRoute, HEALTH_RECOGNIZERS } from '../src/detect/health.js';
import type { SourceText } from '../src/detect/ports.js';
import { commandWordProblem, imagePathProblem } from '../src/values/kinds.js';

const own = (body: string): SourceText[] => [{ path: 'main.go', text: `package main\n\n${body}\n` }];

/** One fixture per recognizer, by name: a new entry without one fails the first test. */
const FIXTURES: Record<string, { go: string; argument: string; line: number }> = {
  'cobra subcommand': {
    go:
      'var rootCmd = &cobra.Command{Use: "api", RunE: serve}\n\n' +
      'var healthCmd = &cobra.Command{\n\tUse:   "healthcheck",\n\tShort: "probe the running server",\n\tRunE:  probe,\n}\n\n' +
      'func main() {\n\trootCmd.AddCommand(healthCmd)\n\t_ = rootCmd.Execute()\n}',
    argument: 'healthcheck',
    line: 5,
  },
  'urfave/cli subcommand': {
    go:
      'func main() {\n\tapp := &cli.Command{\n\t\tName:   "api",\n\t\tAction: serve,\n\t\tCommands: []*cli.Command{\n' +
      '\t\t\t{Name: "migrate", Action: migrate},\n\t\t\t{\n\t\t\t\tName:   "health",\n\t\t\t\tUsage:  "probe the running server",\n' +
      '\t\t\t\tAction: probe,\n\t\t\t},\n\t\t},\n\t}\n\t_ = app.Run(context.Background(), os.Args)\n}',
    argument: 'health',
    line: 9,
  },
  'kingpin subcommand': {
    go:
      'func main() {\n\tapp := kingpin.New("api", "")\n\tserve := app.Command("serve", "").Default()\n' +
      '\thealth := app.Command("healthcheck", "probe")\n}',
    argument: 'healthcheck',
    line: 6,
  },
  'switch on the first argument': {
    go:
      'func main() {\n\tif len(os.Args) > 1 {\n\t\tswitch os.Args[1] {\n\t\tcase "version":\n\t\t\tprintVersion()\n' +
      '\t\tcase "health-check":\n\t\t\tos.Exit(probe())\n\t\t}\n\t}\n\tserve()\n}',
    argument: 'health-check',
    line: 8,
  },
  'first argument compared': {
    go: 'func main() {\n\tif len(os.Args) == 2 && os.Args[1] == "healthcheck" {\n\t\tos.Exit(probe())\n\t}\n\tserve()\n}',
    argument: 'healthcheck',
    line: 4,
  },
  'flag package Bool': {
    go:
      'func main() {\n\taddr := flag.String("addr", ":8080", "listen address")\n' +
      '\thc := flag.Bool("healthcheck", false, "probe the local server and exit 0 or 1")\n\tflag.Parse()\n' +
      '\tif *hc {\n\t\tos.Exit(probe(*addr))\n\t}\n\tserve(*addr)\n}',
    argument: '--healthcheck',
    line: 5,
  },
  'kingpin Bool flag': {
    go: 'var (\n\tapp    = kingpin.New("api", "")\n\thealth = app.Flag("health", "check the running server and exit").Bool()\n)',
    argument: '--health',
    line: 5,
  },
};

describe('HEALTH_RECOGNIZERS: one named entry per idiom, each with its fixture', () => {
  it('every entry has a fixture here, and every fixture an entry', () => {
    expect(HEALTH_RECOGNIZERS.map((recognizer) => recognizer.name).sort()).toEqual(Object.keys(FIXTURES).sort());
  });

  it.each(HEALTH_RECOGNIZERS.map((recognizer) => [recognizer.name, recognizer] as const))('%s', (name, recognizer) => {
    const { go, argument, line } = FIXTURES[name]!;
    expect(findHealthProbe(own(go))).toEqual({ kind: recognizer.kind, argument, where: `main.go:${line}`, how: name });
  });

  it('the other flag forms: BoolVar, pflag BoolP and BoolVarP, a guard that exits where the usage says nothing', () => {
    const parsed = (line: string) => findHealthProbe(own(`func main() {\n\t${line}\n\tflag.Parse()\n}`))?.argument;
    expect(parsed('flag.BoolVar(&check, "health", false, "run the health check and exit")')).toBe('--health');
    expect(parsed('pflag.BoolP("health-check", "H", false, "ping the server")')).toBe('--health-check');
    expect(parsed('pflag.BoolVarP(&check, "healthcheck", "", false, "check the server")')).toBe('--healthcheck');
    expect(
      findHealthProbe(own('func main() {\n\th := flag.Bool("health", false, "")\n\tflag.Parse()\n\tif *h {\n\t\tos.Exit(probe())\n\t}\n}')),
    ).toMatchObject({ argument: '--health' });
  });

  it('cobra through a constructor, and a command added inline, both on the root', () => {
    const constructor =
      'func newHealthCmd() *cobra.Command {\n\treturn &cobra.Command{Use: "healthcheck", RunE: probe}\n}\n\n' +
      'func main() {\n\troot := &cobra.Command{Use: "api"}\n\troot.AddCommand(newServeCmd(), newHealthCmd())\n\t_ = root.Execute()\n}';
    expect(findHealthProbe(own(constructor))?.argument).toBe('healthcheck');
    const inline = 'func main() {\n\trootCmd.AddCommand(&cobra.Command{Use: "health", Run: probe})\n}';
    expect(findHealthProbe(own(inline))?.argument).toBe('health');
  });
});

describe('look-alikes: no probe the binary offers', () => {
  const none: [string, string][] = [
    ['an HTTP route (net/http)', 'func main() {\n\thttp.HandleFunc("/health", health)\n\thttp.ListenAndServe(":8080", nil)\n}'],
    ['an HTTP route (gin)', 'func main() {\n\tr := gin.Default()\n\tr.GET("/healthz", health)\n\tr.Run(":8080")\n}'],
    [
      'a Bool flag that starts an endpoint (on by default)',
      'var health = flag.Bool("health", true, "Whether to start the health check endpoint")\n\nfunc main() { flag.Parse() }',
    ],
    [
      'a Bool flag that enables a feature (off by default)',
      'func main() {\n\tuse := flag.Bool("health", false, "Enable unified health reporting")\n\tflag.Parse()\n' +
        '\tif *use {\n\t\treturn\n\t}\n}',
    ],
    ['a flag set nobody parses', 'func main() {\n\tflag.Bool("healthcheck", false, "probe and exit")\n}'],
    ['a health address flag', 'func main() {\n\tflag.String("healthcheck", ":8081", "health listen address")\n\tflag.Parse()\n}'],
    ['a cobra root named healthcheck', 'var rootCmd = &cobra.Command{Use: "healthcheck", Run: run}\n\nfunc main() { rootCmd.Execute() }'],
    [
      'a cobra subcommand of a subcommand',
      'var healthCmd = &cobra.Command{Use: "health", Run: run}\n\n' +
        'func main() {\n\tadminCmd.AddCommand(healthCmd)\n\trootCmd.AddCommand(adminCmd)\n}',
    ],
    [
      'a cobra subcommand that needs an argument',
      'var healthCmd = &cobra.Command{Use: "healthcheck", Args: cobra.ExactArgs(1), Run: run}\n\n' +
        'func main() { rootCmd.AddCommand(healthCmd) }',
    ],
    ['a cobra command nobody adds', 'var healthCmd = &cobra.Command{Use: "healthcheck", Run: run}\n\nfunc main() {}'],
    [
      'urfave/cli: a subcommand of a subcommand',
      'var app = &cli.App{Commands: []*cli.Command{{Name: "admin", Subcommands: nil, Commands: []*cli.Command{{Name: "health"}}}}}',
    ],
    ['a Name field that is no command', 'func main() {\n\tservers.Add(lifecycle.Item{Name: "healthcheck", Run: srv.Run})\n}'],
    [
      'urfave/cli: a healthcheck that requires a flag',
      'var app = &cli.App{Commands: []*cli.Command{{Name: "healthcheck", ' +
        'Flags: []cli.Flag{&cli.StringFlag{Name: "url", Required: true}}}}}',
    ],
    ['a word in a log line', 'func main() {\n\tlog.Println("healthcheck", os.Args[1])\n}'],
    [
      'a commented-out probe',
      'func main() {\n\t// if os.Args[1] == "healthcheck" { os.Exit(probe()) }\n\t/* switch os.Args[1] {\n\tcase "health":\n\t} */\n}',
    ],
    ['a kingpin flag on by default', 'var health = kingpin.Flag("health", "probe and exit").Default("true").Bool()'],
  ];
  it.each(none)('%s', (_name, go) => {
    expect(findHealthProbe(own(go))).toBeUndefined();
  });

  it('an HTTP health route is found, only to say there is no probe for it', () => {
    expect(findHealthRoute(own(none[1]![1]))).toEqual({ route: '/healthz', where: 'main.go:5' });
    expect(findHealthRoute(own('func main() {\n\tmux.HandleFunc("GET /livez", live)\n}'))).toEqual({ route: '/livez', where: 'main.go:4' });
    expect(findHealthRoute(own('func main() {\n\thttp.HandleFunc("/healthy-food", f)\n}'))).toBeUndefined();
  });
});

describe("the main package's own built files only", () => {
  const main = (files: { name: string; text: string }[], imported: { name: string; text: string }[] = []) =>
    analyzePackages(
      [
        { dir: '', modulePath: 'example.com/m', moduleDir: '', files },
        { dir: 'internal/cli', modulePath: 'example.com/m', moduleDir: '', files: imported },
      ],
      [],
    ).mainPackages[0]!;
  const probeFile = 'package main\n\nfunc init() {\n\tif len(os.Args) > 1 && os.Args[1] == "healthcheck" {\n\t\tos.Exit(0)\n\t}\n}\n';

  it('a probe in main.go counts, with its file:line; the same in a _test.go file, or in an imported package, does not', () => {
    const mainGo = { name: 'main.go', text: 'package main\n\nfunc main() {}\n' };
    expect(main([mainGo, { name: 'probe.go', text: probeFile }]).healthProbe).toEqual({
      kind: 'subcommand',
      argument: 'healthcheck',
      where: 'probe.go:4',
      how: 'first argument compared',
    });
    expect(main([mainGo, { name: 'probe_test.go', text: probeFile }]).healthProbe).toBeUndefined();
    const imported = main(
      [{ name: 'main.go', text: 'package main\n\nimport "example.com/m/internal/cli"\n\nfunc main() { cli.Run() }\n' }],
      [{ name: 'cli.go', text: probeFile.replace('package main', 'package cli') }],
    );
    expect(imported.healthProbe).toBeUndefined();
  });

  it('a health route is kept only when there is no probe', () => {
    const route = { name: 'main.go', text: 'package main\n\nfunc main() {\n\thttp.HandleFunc("/healthz", h)\n}\n' };
    expect(main([route]).healthRoute).toEqual({ route: '/healthz', where: 'main.go:4' });
    const both = main([route, { name: 'probe.go', text: probeFile }]);
    expect(both.healthProbe?.argument).toBe('healthcheck');
    expect(both.healthRoute).toBeUndefined();
  });
});

describe('the kinds a healthcheck is written with', () => {
  it.each([
    ['healthcheck', undefined],
    ['--health-check', undefined],
    ['-health', 'it is not a subcommand or a --flag (letters, digits, - and _)'],
    ['health check', 'it is not a subcommand or a --flag (letters, digits, - and _)'],
    ['${HOME}', 'it is not a subcommand or a --flag (letters, digits, - and _)'],
  ])('CommandWord %j', (value, problem) => expect(commandWordProblem(value)).toBe(problem));

  it.each([
    ['/usr/local/bin/api', undefined],
    ['usr/local/bin/api', 'it is not absolute'],
    ['/usr/../bin/api', 'it has an empty, "." or ".." element'],
    ['/usr/local/bin/$api', '"$api" has characters other than letters, digits and . _ + ~ @ -'],
  ])('ImagePath %j', (value, problem) => expect(imagePathProblem(value)).toBe(problem));
});
