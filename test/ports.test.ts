// Port recognizers (issue 21, class 4): one Go fixture per entry of PORT_RECOGNIZERS, the shapes
// real repositories write (nsq's Options literal, alist's config struct, a fallback after a flag,
// beego and viper defaults, a config file the main reads), and the dial ports none may take.
import { renameSync, rmSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CONFIG_PATH_RECOGNIZERS, configEntries, configPathsIn } from '../src/detect/config-files.js';
import { listenPlan } from '../src/detect/listen.js';
import { findPorts, PORT_RECOGNIZERS, type SourceText } from '../src/detect/ports.js';
import { detectProject } from '../src/detect/project.js';
import { makeProject, runCli } from './helpers.js';

const own = (text: string): SourceText[] => [{ path: 'main.go', text: `package main\n\n${text}\n` }];
const plan = (text: string, imported: SourceText[] = [], files: SourceText[] = []) => listenPlan(findPorts(own(text), imported, [], files));

/** One fixture per recognizer, by name: a new entry without one fails the first test. */
const FIXTURES: Record<string, { go: string; imported?: string; port: number; where?: string; flag?: string }> = {
  'flag definition': { go: 'addr := flag.String("addr", ":9090", "listen address")', port: 9090, flag: 'addr' },
  'flag value type': {
    go: 'fs.Var(flags.NewURLs(DefaultListen, ""), "listen-urls", "urls")\nconst DefaultListen = "http://0.0.0.0:2379"',
    port: 2379,
  },
  'urfave/cli flag': {
    go:
      '&cli.IntFlag{\n\tName:    "port",\n\tAliases: []string{"p"},\n\tValue:   DefaultPort,\n\tEnvVars: []string{"PORT"},\n}\n\n' +
      'const DefaultPort = 8080',
    port: 8080,
    flag: 'port',
  },
  'kingpin default': { go: 'a.Flag("web.listen-address", "listen").Default(":9100").String()', port: 9100 },
  'struct tag default': { go: 'type Opts struct {\n\tPort int `long:"port" default:"8081"`\n}', port: 8081 },
  'env with fallback': { go: 'port := os.Getenv("PORT")\nif port == "" {\n\tport = "8088"\n}', port: 8088 },
  'env helper': { go: 'addr := getEnv("LISTEN_ADDR", ":7000")', port: 7000 },
  'settings table keyed by the variable': { go: 'var d = map[string]opt{\n\t"LISTEN_ADDR": {raw: "0.0.0.0:7001"},\n}', port: 7001 },
  'fallback after a flag': {
    go:
      'port := flag.String("port", "", "port to listen on")\nflag.Parse()\nif *port == "" {\n\t*port = os.Getenv("PORT")\n}\n' +
      'if *port == "" {\n\t*port = "8080"\n}\nhttp.ListenAndServe(":"+*port, nil)',
    port: 8080,
    flag: 'port',
    where: 'main.go:8',
  },
  'viper default': { go: 'viper.SetDefault("server.addr", ":8082")', port: 8082 },
  'beego config default': { go: 'port := beego.AppConfig.DefaultInt("httpport", 8000)', port: 8000, where: 'main.go:3' },
  'server block of a default config literal': { go: 'c := &Configuration{\n\tServer: Server{\n\t\tPort: 80,\n\t},\n}', port: 80 },
  'options struct address': {
    go: 'func NewOptions() *Options {\n\treturn &Options{\n\t\tTCPAddress:  "0.0.0.0:4150",\n\t\tHTTPAddress: "0.0.0.0:4151",\n\t}\n}',
    port: 4150,
    where: 'main.go:5',
  },
  'config struct port field': {
    go:
      'func DefaultConfig() *Config {\n\treturn &Config{\n\t\tScheme: Scheme{\n\t\t\tAddress:   "0.0.0.0",\n' +
      '\t\t\tHttpPort:  5244,\n\t\t\tHttpsPort: -1,\n\t\t},\n\t}\n}',
    port: 5244,
    where: 'main.go:7',
  },
  'listen call': { go: 'log.Fatal(http.ListenAndServe(":8181", mux))', port: 8181 },
  'server Addr field': { go: 'srv := &http.Server{Addr: ":8282", Handler: mux}', port: 8282 },
  'framework default port': { go: 'import "github.com/beego/beego/v2/server/web"\n\nfunc main() {\n\tweb.Run()\n}', port: 8080 },
  'address literal': { go: 'var listen = "0.0.0.0:8383"', port: 8383 },
};

describe('PORT_RECOGNIZERS: one named entry per idiom, each with its fixture', () => {
  it('every entry has a fixture here, and every fixture an entry', () => {
    expect(PORT_RECOGNIZERS.map((recognizer) => recognizer.name).sort()).toEqual(Object.keys(FIXTURES).sort());
  });

  it.each(PORT_RECOGNIZERS.map((recognizer) => [recognizer.name, recognizer] as const))('%s', (name, recognizer) => {
    const fixture = FIXTURES[name]!;
    const found = plan(fixture.go);
    expect(found.port).toBe(fixture.port);
    if (fixture.where) expect(found.where).toBe(fixture.where);
    if (fixture.flag) expect(found.flag).toBe(fixture.flag);
    // The entry itself finds it: not only another recognizer.
    const scanned: number[] = [];
    recognizer.scan({
      text: `package main\n\n${fixture.go}\n`,
      own: true,
      all: own(fixture.go),
      where: (index) => String(index),
      add: (finding) => {
        if (finding?.port !== undefined) scanned.push(finding.port);
      },
      listens: () => true,
      flag: (_name, expression) => {
        // A default given through a constant resolves to the fixture's port in findPorts.
        const literal = /\d{2,5}/.exec(expression)?.[0];
        scanned.push(literal !== undefined ? Number(literal) : fixture.port);
      },
      env: (_name, value) => scanned.push(Number(/\d+$/.exec(value)?.[0])),
      key: (_key, value) => scanned.push(Number(/\d+$/.exec(value)?.[0])),
    });
    expect(scanned).toContain(fixture.port);
  });
});

describe('defaults people actually write', () => {
  it('nsq: the flag whose default is a field of the Options literal gets the flag, not only the literal', () => {
    const options =
      'package nsqd\n\nfunc NewOptions() *Options {\n\treturn &Options{\n\t\tTCPAddress: "0.0.0.0:4150",\n' +
      '\t\tHTTPAddress: "0.0.0.0:4151",\n' +
      '\t\tHTTPSAddress: "0.0.0.0:4152",\n\t\tBroadcastAddress: hostname,\n\t}\n}\n';
    const flags = 'opts := nsqd.NewOptions()\nflagSet.String("tcp-address", opts.TCPAddress, "<addr>:<port> to listen on for TCP clients")';
    expect(plan(flags, [{ path: 'nsqd/options.go', text: options }])).toMatchObject({ port: 4150, flag: 'tcp-address' });
  });

  it('every default listener of the command is exposed, the TLS one (listens only with certificates) is not (nsq)', () => {
    const options =
      'package nsqd\n\nfunc NewOptions() *Options {\n\treturn &Options{\n\t\tHTTPSAddress: "0.0.0.0:4152",\n' +
      '\t\tHTTPAddress: "0.0.0.0:4151",\n\t\tTCPAddress: "0.0.0.0:4150",\n\t}\n}\n';
    const flags =
      'opts := nsqd.NewOptions()\nflagSet.String("https-address", opts.HTTPSAddress, "<addr>:<port> to listen on for HTTPS clients")\n' +
      'flagSet.String("http-address", opts.HTTPAddress, "<addr>:<port> to listen on for HTTP clients")\n' +
      'flagSet.String("tcp-address", opts.TCPAddress, "<addr>:<port> to listen on for TCP clients")';
    // https-address comes first in the file: the service's own listener still goes before a TLS one.
    expect(plan(flags, [{ path: 'nsqd/options.go', text: options }])).toMatchObject({
      port: 4151,
      flag: 'http-address',
      extraPorts: [4150],
    });
  });

  it('extra ports: a config literal of four listeners (livego); never a loopback one, a profiler or another subcommand', () => {
    const livego =
      'flag.String("rtmp_addr", ":1935", "RTMP server listen address")\n' +
      'flag.String("api_addr", ":8090", "HTTP manage interface server listen address")\n' +
      'flag.String("httpflv_addr", ":7001", "HTTP-FLV server listen address")\n' +
      'flag.String("hls_addr", ":7002", "HLS server listen address")';
    expect(plan(livego)).toMatchObject({ port: 1935, extraPorts: [7001, 7002, 8090] });
    const others =
      'flag.String("listen", ":8080", "listen address")\nflag.String("raft-addr", "localhost:4002", "Raft listen address")\n' +
      'flag.String("pprof-addr", ":6060", "pprof listen address")\nflag.String("metrics-addr", ":9090", "metrics listen address")';
    expect(plan(others)).toMatchObject({ port: 8080, extraPorts: [9090] });
    // A bare port number is often a feature's that is off by default (centrifugo's grpc_api.port).
    expect(
      plan('flag.String("listen", ":8000", "listen address")\nflag.Int("grpc_api_port", 10000, "gRPC API listen port")').extraPorts,
    ).toBeUndefined();
    // A library's fallback for a blank address is no setting of the program.
    expect(plan('flag.String("listen", ":8025", "listen address")\nif srv.Addr == "" {\n\tsrv.Addr = ":25"\n}').extraPorts).toBeUndefined();
  });

  it('a config struct: a database, redis or metrics port in it is not the listen port', () => {
    expect(plan('rdb := redis.NewClient(&redis.Options{Addr: "cache:6379"})')).toEqual({});
    expect(plan('return &Options{RedisAddress: "redis:6379"}\nreturn &RedisOptions{ServerAddr: "redis:6379"}')).toEqual({});
    expect(plan('return &Config{\n\tDatabase: Database{\n\t\tPort: 3306,\n\t},\n\tRedis: RedisConfig{\n\t\tPort: 6379,\n\t},\n}')).toEqual(
      {},
    );
    expect(plan('return &Config{\n\tMetrics: Metrics{\n\t\tHttpPort: 9100,\n\t},\n\tPort: 8080,\n}')).toMatchObject({ port: 8080 });
    expect(plan('cfg := &Config{DBPort: 5432, Port: 3000}')).toMatchObject({ port: 3000 });
  });

  it('a fallback after the flag and $PORT: the flag, else the env, else a config field', () => {
    expect(plan('port := os.Getenv("HTTP_PORT")\nif port == "" {\n\tport = "9000"\n}')).toMatchObject({ port: 9000 });
    expect(plan('if cfg.Port == 0 {\n\tcfg.Port = 8090\n}')).toMatchObject({ port: 8090 });
    expect(plan('if cfg.DBPort == 0 {\n\tcfg.DBPort = 5432\n}')).toEqual({});
    expect(plan('func (c *RedisConfig) setDefaults() {\n\tif c.Addr == "" {\n\t\tc.Addr = "redis:6380"\n\t}\n}')).toEqual({});
    expect(plan('func newStore(addr string) {\n\tif addr == "" {\n\t\taddr = "db:5432"\n\t}\n}')).toEqual({});
    expect(plan('flag.StringVar(&addr, "addr", "", "listen")\nif addr == "" {\n\taddr = ":7777"\n}')).toMatchObject({
      port: 7777,
      flag: 'addr',
    });
  });

  it('a one-letter flag is named by the variable it is bound to (tile38: IntVar(&port, "p", 9851, ...))', () => {
    expect(plan('flag.IntVar(&port, "p", 9851, "The listening port")\nflag.Parse()')).toMatchObject({ port: 9851, flag: 'p' });
    // Another one-letter flag bound to a dial variable stays out.
    expect(plan('flag.IntVar(&dbPort, "d", 5432, "database port")\nflag.Parse()')).toEqual({});
  });

  it('urfave/cli v1 flag with a typed constant in a const block', () => {
    expect(plan('cli.UintFlag{Name: "port, p", Value: defaultPort}\nconst (\n\tdefaultPort uint = 8500\n)')).toMatchObject({
      port: 8500,
      flag: 'port',
    });
    expect(plan('cli.Uint64Flag{Name: "port", Value: defaultPort}\nconst (\n\tdefaultPort uint64 = 8500\n)')).toMatchObject({ port: 8500 });
  });

  it('beego and viper: the listen key, not the database key', () => {
    expect(plan('viper.SetDefault("port", 8080)')).toMatchObject({ port: 8080 });
    expect(plan('viper.SetDefault("redis.addr", "localhost:6379")\nviper.SetDefault("mysql.port", 3306)')).toEqual({});
    expect(plan('beego.AppConfig.DefaultString("mysqlport", "3306")\nbeego.AppConfig.DefaultInt("httpport", 8000)')).toMatchObject({
      port: 8000,
    });
    expect(plan('web.AppConfig.DefaultInt("https_port", 10443)')).toEqual({});
  });

  it('a gin engine run without an address: $PORT, else 8080', () => {
    expect(findPorts(own('r := gin.Default()\nr.Run()'), [])).toMatchObject([{ port: 8080, env: 'PORT', kind: 'call' }]);
    expect(plan('app := cli.NewApp()\napp.Run()')).toEqual({});
  });
});

describe('a default config file the main reads', () => {
  const beegoMain = 'import "github.com/beego/beego/v2/server/web"\n\nfunc main() {\n\tweb.Run()\n}';

  it.each([
    ['beego app.conf', beegoMain, 'conf/app.conf', 'appname = x\nhttpport = 8088\nrunmode = dev\n[dev]\nmysqlport = 3306\n', 8088, 2],
    ['beego ${ENV||default}', beegoMain, 'conf/app.conf', 'httpport = "${PORT||9099}"\n', 9099, 1],
    [
      'YAML by a flag default',
      'flag.StringVar(&path, "config", "./config.yaml", "config file")',
      'config.yaml',
      'database:\n  host: db\n  port: 5432\nserver:\n  addr: ":8888"\n',
      8888,
      5,
    ],
    [
      'TOML by a read call',
      'toml.DecodeFile("conf/config.toml", &cfg)',
      'conf/config.toml',
      '[mysql]\nport = 3306\n[http]\nport = 8080\n',
      8080,
      4,
    ],
    [
      'viper name and path',
      'viper.SetConfigName("config")\nviper.AddConfigPath(".")\nviper.ReadInConfig()',
      'config.yaml',
      'port: 8081 # the API\n',
      8081,
      1,
    ],
  ])('%s', (_name, go, path, text, port, line) => {
    const found = plan(go, [], [{ path, text }]);
    expect(found).toMatchObject({ port, where: `${path}:${line}` });
  });

  it('the file wins over the code default it overrides; a file the main does not name is not read', () => {
    const code = 'flag.String("config", "config.yaml", "config")\nviper.SetDefault("port", 8000)';
    expect(plan(code, [], [{ path: 'config.yaml', text: 'port: 9000\n' }])).toMatchObject({ port: 9000 });
    expect(plan('viper.SetDefault("port", 8000)', [], [{ path: 'config.yaml', text: 'port: 9000\n' }])).toMatchObject({ port: 8000 });
    // Only dial ports in it: nothing.
    expect(
      plan('flag.String("c", "config.yaml", "config")', [], [{ path: 'config.yaml', text: 'redis:\n  addr: localhost:6379\n' }]),
    ).toEqual({});
  });

  it('paths: relative and normalised, never absolute or outside', () => {
    expect(configPathsIn(['flag.String("config", "./conf/app.yaml", "")', 'os.ReadFile("/etc/app.yaml")', 'os.Open("../x.toml")'])).toEqual(
      ['conf/app.yaml'],
    );
    expect(CONFIG_PATH_RECOGNIZERS.map((recognizer) => recognizer.name)).toContain('beego app.conf');
    expect(configEntries({ path: 'a.yaml', text: 'list:\n  - port: 1\nserver:\n  port: "8080"\n' })).toEqual([
      { key: 'server.port', value: '8080', line: 4 },
    ]);
  });

  it('kingpin .Default() and urfave/cli Value: name the config path too', () => {
    expect(
      configPathsIn([
        'configFile = kingpin.Flag("config.file", "Configuration file.").Default("blackbox.yml").String()',
        'level = kingpin.Flag("log.level", "Level.").Default("info.yml").String()',
        '&cli.StringFlag{Name: "config", Aliases: []string{"c"}, Value: "./etc/app.toml", Usage: "config"}',
      ]),
    ).toEqual(['blackbox.yml', 'etc/app.toml']);
  });

  it('through the CLI: a config file the server reads at start is warned, with the COPY line and the -v', async () => {
    const dir = makeProject({
      'go.mod': 'module example.com/prober\n\ngo 1.26\n',
      'main.go':
        'package main\n\nimport (\n\t"net/http"\n\t"os"\n)\n\nfunc main() {\n\tdata, _ := os.ReadFile("conf/prober.yml")\n' +
        '\t_ = data\n\t_ = http.ListenAndServe(":9115", nil)\n}\n',
      'conf/prober.yml': 'modules: {}\n',
    });
    try {
      const result = await runCli(['--yes', '--dry-run'], { cwd: dir });
      expect(result.code, result.stderr).toBe(0);
      expect(result.stdout.replace(/\s+/g, ' ')).toContain(
        'prober reads conf/prober.yml at start (a relative default path, so from its working directory, /home/nonroot), and ' +
          'the image holds only the binary, so the program starts without it. Copy it from the repository in the ' +
          'runtime-prober custom block (COPY conf/prober.yml conf/prober.yml), or mount your own: ' +
          'docker run -v "$PWD/conf/prober.yml:/home/nonroot/conf/prober.yml:ro" prober.',
      );
      // Alpine's working directory is /; a --base-image's is its own WORKDIR.
      const alpine = await runCli(['--yes', '--dry-run', '--base', 'alpine'], { cwd: dir });
      expect(alpine.stdout.replace(/\s+/g, ' ')).toContain('-v "$PWD/conf/prober.yml:/conf/prober.yml:ro" prober.');
      const own = await runCli(['--yes', '--dry-run', '--base-image', 'registry.example.com/base:1'], { cwd: dir });
      expect(own.stdout.replace(/\s+/g, ' ')).toContain("its working directory, the base image's WORKDIR");
      rmSync(join(dir, 'conf/prober.yml'));
      expect((await runCli(['--yes', '--dry-run'], { cwd: dir })).stdout).not.toContain('at start');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('detectProject reads conf/app.conf beside go.mod for a beego main, and nothing through a link', () => {
    const dir = makeProject({
      'go.mod': 'module example.com/blog\n\ngo 1.26\n',
      'main.go': `package main\n\n${beegoMain}\n`,
      'conf/app.conf': 'httpport = 8099\n',
    });
    try {
      const project = detectProject(dir);
      expect(project.mainPackages[0]!.listen).toMatchObject({ port: 8099, where: 'conf/app.conf:1' });
      // A link may lead outside the repository: not read (beego's own default, 8080, from web.Run()).
      renameSync(join(dir, 'conf/app.conf'), join(dir, 'real.conf'));
      symlinkSync(join(dir, 'real.conf'), join(dir, 'conf/app.conf'));
      expect(detectProject(dir).mainPackages[0]!.listen).toMatchObject({ port: 8080, where: 'main.go:6' });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
