// The expected defaults of real repositories, written from each repository's own evidence (its
// Dockerfile, release config, Makefile, code and README) BEFORE create-go-docker was run on it.
// scripts/real-repos.ts runs `--yes` on each and writes docs/real-repos.md from the comparison.
// Do not change an expectation to match the tool: a wrong row is a bug or a documented limit.

/** The issue-21 classes a wrong field falls in, in the issue's order (1 to 9, then other). */
export const issue21Classes = [
  'which main is the product',
  'listen vs dial',
  'root command prints usage',
  'ports from defaults',
  'tags/cgo per binary',
  'embedded assets not in checkout',
  'files needed at start',
  'stamping/names',
  'shell-outs',
  'other',
] as const;

type Issue21Class = (typeof issue21Classes)[number];

/** What a field that came out wrong is, filled in after a run: the class and one line on why. */
interface Classified {
  readonly class: Issue21Class;
  readonly why: string;
}

export interface Expected {
  /** owner/name on GitHub; the mirror is MIRROR_DIR/owner+name/repo. */
  readonly repo: string;
  /** git rev-parse HEAD of the mirror the expectation was written from. */
  readonly commit: string;
  /** The main package of the default image, as `go build` is given it (`.`, `./cmd/frps`). */
  readonly main: string;
  /** The ports the server listens on with no configuration (empty: none until told). */
  readonly ports: readonly number[];
  /** The CMD arguments the container needs to serve ([] when the bare binary serves). */
  readonly args: readonly string[];
  /** Whether the release build needs cgo. */
  readonly cgo: boolean;
  /** Build tags the release build uses ([] for none); missing and extra ones both count. */
  readonly tags: readonly string[];
  /** "file: what it says", one per piece of evidence. */
  readonly evidence: readonly string[];
  /** A documented limit of create-go-docker that explains the row ('' when none). */
  readonly limit: string;
  /** Filled in after a run: why each wrong field is wrong (field name -> class). */
  readonly classified?: Readonly<Partial<Record<Field, Classified>>>;
}

/** The fields compared; `run` is an error exit. */
export type Field = 'main' | 'ports' | 'args' | 'cgo' | 'tags' | 'run';

export const expected: readonly Expected[] = [
  {
    repo: 'traefik/whoami',
    commit: '8951300b46f13ce678dbed8a692ef2ccecf0eec4',
    main: '.',
    ports: [80],
    args: [],
    cgo: false,
    tags: [],
    evidence: [
      'Dockerfile: `make build` of the root, EXPOSE 80, ENTRYPOINT ["/whoami"]',
      '.goreleaser.yml: builds: binary whoami (no main: -> root)',
      'app.go: flag "port" default getEnv("WHOAMI_PORT_NUMBER", "80")',
    ],
    limit: '',
  },
  {
    repo: 'jpillora/chisel',
    commit: '44310b65667a97901874ffdf4815b3732c22eaa3',
    main: '.',
    ports: [8080],
    args: ['server'],
    cgo: false,
    tags: [],
    evidence: [
      '.github/Dockerfile: ENV CGO_ENABLED=0, go build of the root, ENTRYPOINT ["/app/bin"] (the user passes `server`)',
      'main.go: `chisel server`, --port from $PORT, "fallsback to port 8080"; the root command prints usage',
    ],
    limit: '',
    classified: {
      ports: {
        class: 'root command prints usage',
        why: 'the listener and its $PORT/8080 fallback belong to the `server` subcommand, which the root does not run',
      },
      args: { class: 'root command prints usage', why: '`server` is needed; the root prints usage' },
    },
  },
  {
    repo: 'sosedoff/pgweb',
    commit: '34cc2b831e38b2834e61e8191625c53ccd939431',
    main: '.',
    ports: [8081],
    args: ['--bind=0.0.0.0'],
    cgo: false,
    tags: [],
    evidence: [
      'Dockerfile: ARG CGO_ENABLED=0, `make build`, EXPOSE 8081, ENTRYPOINT pgweb --bind=0.0.0.0 --listen=8081',
      'pkg/command/options.go: --bind default "localhost", --listen default "8081"',
    ],
    limit: '',
    classified: {
      ports: { class: 'listen vs dial', why: '5432 is the PostgreSQL port pgweb dials (--port default), not its HTTP --listen 8081' },
      args: {
        class: 'ports from defaults',
        why: '--bind default "localhost" is a go-flags struct tag (`long:"bind" default:"localhost"`), not read, so no --bind=0.0.0.0',
      },
    },
  },
  {
    repo: 'Shopify/toxiproxy',
    commit: 'f48fd7f139692dadad0bb6b627d173460908f43b',
    main: './cmd/server',
    ports: [8474],
    args: ['-host=0.0.0.0'],
    cgo: false,
    tags: [],
    evidence: [
      '.goreleaser.yml: build id server, main ./cmd/server, binary toxiproxy-server, CGO_ENABLED=0 (./cmd/cli is the client)',
      'Dockerfile: EXPOSE 8474, ENTRYPOINT ["/toxiproxy"], CMD ["-host=0.0.0.0"] (default host localhost)',
    ],
    limit: '',
    classified: {
      main: {
        class: 'which main is the product',
        why: './cmd/cli chosen over ./cmd/server although .goreleaser.yml lists the server build first and the Dockerfile ships it',
      },
      ports: { class: 'which main is the product', why: 'follows from the main: ./cmd/server (also an image) has 8474' },
      args: { class: 'which main is the product', why: 'follows from the main: the ./cmd/server image gets --host=0.0.0.0' },
    },
  },
  {
    repo: 'nsqio/nsq',
    commit: '3103474b6c5afe8feca0a598797e82c06ed726e3',
    main: './apps/nsqd',
    ports: [4150, 4151],
    args: [],
    cgo: false,
    tags: [],
    evidence: [
      'Dockerfile: CGO_ENABLED=0 make install (every app), EXPOSE 4150 4151 4160 4161 4170 4171',
      'README/docs: nsqd is the daemon (TCP 4150, HTTP 4151); nsqlookupd (4160/4161) and nsqadmin (4171) are companions',
    ],
    limit: '',
    classified: {
      main: {
        class: 'which main is the product',
        why: './apps/nsq_stat (first in order) over ./apps/nsqd: every app "serves", none is named like the module',
      },
      ports: {
        class: 'ports from defaults',
        why: 'nsqd now; 4152 (HTTPS) found, TCPAddress 4150 and HTTPAddress 4151 of nsqd.NewOptions() not',
      },
    },
  },
  {
    repo: 'fatedier/frp',
    commit: '40274d8c92249043d8cddb6e40b4b23128e18df4',
    main: './cmd/frps',
    ports: [7000],
    args: [],
    cgo: false,
    tags: ['frps'],
    evidence: [
      'dockerfiles/Dockerfile-for-frps: CGO_ENABLED=0 go build -tags frps ./cmd/frps, ENTRYPOINT ["/usr/bin/frps"] (frpc is the client)',
      'pkg/config: frps bindPort default 7000',
      'dockerfiles/Dockerfile-for-frps: web/frps/dist built by node first (//go:embed dist)',
    ],
    limit: '',
    classified: {
      main: {
        class: 'which main is the product',
        why: './cmd/frpc (the client) over ./cmd/frps; no release build to rank by (goreleaser builds: skip), the Dockerfiles build both',
      },
      args: {
        class: 'listen vs dial',
        why: '--server_addr (default 127.0.0.1) is the address frpc dials, taken as a loopback listener and set to 0.0.0.0 (frps too)',
      },
      tags: {
        class: 'tags/cgo per binary',
        why: '-tags frps (leaves the client packages out, //go:build !frps) is only in dockerfiles/Dockerfile-for-frps',
      },
    },
  },
  {
    repo: 'etcd-io/etcd',
    commit: 'c34dc7ee0048fd2bcc44d50beff002e5e8069b69',
    main: './server',
    ports: [2379, 2380],
    args: ['--listen-client-urls=http://0.0.0.0:2379', '--advertise-client-urls=http://0.0.0.0:2379'],
    cgo: false,
    tags: [],
    evidence: [
      'go.work: use . ./server ./etcdctl ./etcdutl ... (a workspace)',
      'scripts/build_lib.sh: CGO_ENABLED default 0, the etcd binary is built from ./server',
      'Dockerfile: EXPOSE 2379 2380, CMD ["/usr/local/bin/etcd"]; docs run it with --listen-client-urls http://0.0.0.0:2379 ' +
        '--advertise-client-urls',
    ],
    limit: '',
    classified: {
      ports: { class: 'ports from defaults', why: '2380 (--listen-peer-urls default http://localhost:2380) is not exposed' },
      args: {
        class: 'other',
        why: 'documented (README "Loopback servers"): etcd requires --advertise-client-urls with it, so only a warning gives the --args',
      },
    },
  },
  {
    repo: 'binwiederhier/ntfy',
    commit: '81a486adc11fe24efcbedefb28ae946028597c2f',
    main: '.',
    ports: [80],
    args: ['serve'],
    cgo: true,
    tags: ['sqlite_omit_load_extension', 'osusergo', 'netgo'],
    evidence: [
      '.goreleaser.yml: ntfy_linux_amd64 CGO_ENABLED=1 "required for go-sqlite3", tags [sqlite_omit_load_extension,osusergo,netgo]',
      'Dockerfile: EXPOSE 80/tcp, ENTRYPOINT ["ntfy"]; docs: `docker run binwiederhier/ntfy serve`',
      'server/config.go: listen-http default ":80"; Dockerfile-build: `make web-build` fills server/site before go build',
    ],
    limit: '',
    classified: {
      tags: { class: 'tags/cgo per binary', why: 'noserver comes from the darwin/windows builds of .goreleaser.yml, not the linux one' },
      ports: {
        class: 'tags/cgo per binary',
        why: 'the tags of every .goreleaser build are merged, noserver (darwin/windows builds) included, which compiles the server out',
      },
      args: { class: 'root command prints usage', why: '`serve` is needed; the root prints usage' },
      cgo: {
        class: 'tags/cgo per binary',
        why: 'noserver drops go-sqlite3 from the build, so cgo is off; the linux builds set CGO_ENABLED=1 "required for go-sqlite3"',
      },
    },
  },
  {
    repo: 'gotify/server',
    commit: 'd543a8aad22fcbebf25e76d201b4317882b5e148',
    main: '.',
    ports: [80],
    args: [],
    cgo: true,
    tags: [],
    evidence: [
      'docker/Dockerfile: built in gotify/build (a cgo cross-compiler image), EXPOSE $GOTIFY_SERVER_EXPOSE (80), CMD ["serve"]',
      'go.mod: github.com/mattn/go-sqlite3 (via gorm.io/driver/sqlite)',
      'app.go: case "serve", "" -> serve (no argument needed); config default server port 80; ui/build built by yarn',
    ],
    limit: '',
    classified: {
      cgo: {
        class: 'tags/cgo per binary',
        why: 'cgo is not seen through gorm.io/driver/sqlite, which imports github.com/mattn/go-sqlite3 (database/database.go)',
      },
    },
  },
  {
    repo: 'rqlite/rqlite',
    commit: 'df4edc42bada95cbe2c3445542020ea23a318827',
    main: './cmd/rqlited',
    ports: [4001, 4002],
    args: ['-http-addr=0.0.0.0:4001', '-raft-addr=0.0.0.0:4002', '/rqlite/file/data'],
    cgo: true,
    tags: [],
    evidence: [
      'Dockerfile: ENV CGO_ENABLED=1, go build ./cmd/rqlited (rqlite is the shell, rqbench a tool), EXPOSE 4001 4002',
      'cmd/rqlited/config_flags.go: http-addr default "localhost:4001", raft-addr "localhost:4002"; a data directory argument is required',
      'docker-entrypoint.sh: rqlited $http_addr $raft_addr ... "$data_dir"',
    ],
    limit: '',
    classified: {
      main: {
        class: 'which main is the product',
        why: './cmd/rqlite (the shell, named like the module) over ./cmd/rqlited (the server the Dockerfile ships)',
      },
      ports: { class: 'ports from defaults', why: 'rqlited now; the Raft port 4002 (-raft-addr default) is not exposed' },
      args: {
        class: 'other',
        why: 'rqlited also needs -raft-addr and its data directory (a positional argument)',
      },
    },
  },
  {
    repo: 'benbjohnson/litestream',
    commit: '63225f17ccbb8dedfb26d03f7d3d07e74c6cf69f',
    main: './cmd/litestream',
    ports: [],
    args: ['replicate'],
    cgo: false,
    tags: [],
    evidence: [
      '.goreleaser.yml: main ./cmd/litestream, CGO_ENABLED=0',
      'Dockerfile: ENTRYPOINT litestream, CMD [] (docs: `litestream replicate` with /etc/litestream.yml); ' +
        'no listener unless addr is configured',
      'cmd/litestream/main.go: the root command prints usage',
    ],
    limit: '',
    classified: {
      tags: {
        class: 'tags/cgo per binary',
        why: 'vfs,SQLITE3VFS_LOADABLE_EXT are the tags of the ./cmd/litestream-vfs build, given to ./cmd/litestream',
      },
      args: { class: 'root command prints usage', why: '`replicate` is needed (with /etc/litestream.yml); the root prints usage' },
      cgo: {
        class: 'tags/cgo per binary',
        why: 'cgo is decided per module: ./cmd/litestream-vfs imports "C", so ./cmd/litestream gets cgo; .goreleaser.yml: CGO_ENABLED=0',
      },
    },
  },
  {
    repo: 'pocketbase/pocketbase',
    commit: '5d217ddb50cb144d80a5d0b0bdf11b52b2c3e457',
    main: './examples/base',
    ports: [8090],
    args: ['serve', '--http=0.0.0.0:8090'],
    cgo: false,
    tags: [],
    evidence: [
      '.goreleaser.yaml: build_noncgo main ./examples/base, binary pocketbase, CGO_ENABLED=0',
      'cmd/serve.go: `serve`, --http default "127.0.0.1:8090"; the root command prints usage',
    ],
    limit: '',
    classified: {
      ports: {
        class: 'ports from defaults',
        why: '127.0.0.1:8090 is assigned inside the serve command (`httpAddr = "127.0.0.1:8090"`), not a flag default',
      },
      args: { class: 'root command prints usage', why: '`serve --http=0.0.0.0:8090` is needed; the root prints usage' },
    },
  },
  {
    repo: 'nats-io/nats-server',
    commit: '1787eee035cf0253c201fa0f05afad92b6f296dc',
    main: '.',
    ports: [4222],
    args: [],
    cgo: false,
    tags: [],
    evidence: [
      '.goreleaser.yml: main ., binary nats-server, CGO_ENABLED=0',
      'server/const.go: DEFAULT_PORT = 4222 (8222 monitoring and 6222 cluster only when configured)',
      'docker/Dockerfile.nightly: EXPOSE 4222 8222 6222 5222, ENTRYPOINT ["/bin/nats-server"]',
    ],
    limit: '',
    classified: {
      ports: {
        class: 'ports from defaults',
        why: 'DEFAULT_PORT = 4222 is applied in server/opts.go setBaselineOptions (`opts.Port = DEFAULT_PORT`), not a flag default',
      },
    },
  },
  {
    repo: 'mailhog/MailHog',
    commit: 'e6fa06877ef61ea82bbef234d94bdc75cca478d1',
    main: '.',
    ports: [1025, 8025],
    args: [],
    cgo: false,
    tags: [],
    evidence: [
      'Dockerfile: go install github.com/mailhog/MailHog@latest, EXPOSE 1025 8025, ENTRYPOINT ["MailHog"]',
      'repository: no go.mod (a GOPATH project with vendor/)',
    ],
    limit: 'no go.mod, a GOPATH project: README "Exit codes" 3, nothing to do (no Go module)',
  },
  {
    repo: 'axllent/mailpit',
    commit: '408b30d59709e3f2ed69c7748d900a2208cfbf9b',
    main: '.',
    ports: [1025, 8025],
    args: [],
    cgo: false,
    tags: [],
    evidence: [
      'Dockerfile: npm run package (the web UI) then CGO_ENABLED=0 go build of the root, EXPOSE 1025/tcp 1110/tcp 8025/tcp',
      'config: SMTP 0.0.0.0:1025 and HTTP 0.0.0.0:8025 by default (POP3 1110 only when configured); sendmail/ is a helper',
    ],
    limit: '',
    classified: {
      ports: {
        class: 'ports from defaults',
        why: 'SMTPListen = "[::]:1025" (config/config.go) is missed while HTTPListen "[::]:8025" is found',
      },
    },
  },
  {
    repo: 'filebrowser/filebrowser',
    commit: '833d908884d5c801f30f5c098d7977177eb3a36b',
    main: '.',
    ports: [8080],
    args: ['--address=0.0.0.0'],
    cgo: false,
    tags: [],
    evidence: [
      '.goreleaser.yml: main main.go, binary filebrowser, CGO_ENABLED=0',
      'cmd/root.go: --address default "127.0.0.1", --port default "8080" (the image sets port 80 in a copied settings.json)',
      'frontend/dist: only .gitkeep in the checkout (built by pnpm before release)',
    ],
    limit: '',
  },
  {
    repo: 'tidwall/tile38',
    commit: '5b8ce586ab162786c938a61a9078c4c0bcae7739',
    main: './cmd/tile38-server',
    ports: [9851],
    args: [],
    cgo: false,
    tags: [],
    evidence: [
      'scripts/build.sh: export CGO_ENABLED=0; Makefile builds tile38-server, tile38-cli, tile38-benchmark',
      'Dockerfile: EXPOSE 9851, CMD ["tile38-server", "-d", "/data"]',
      'cmd/tile38-server/main.go: -p default 9851, -h default "" (all interfaces)',
    ],
    limit: '',
    classified: {
      ports: {
        class: 'ports from defaults',
        why: 'flag.IntVar(&port, "p", 9851, ...): not read (the flag is named "p")',
      },
    },
  },
  {
    repo: 'gwuhaolin/livego',
    commit: '16c6af5d90317eeb6709ab1218b01350ac7ec2e5',
    main: '.',
    ports: [1935, 7001, 7002, 8090],
    args: [],
    cgo: false,
    tags: [],
    evidence: [
      'Dockerfile: CGO_ENABLED=0 go build ., EXPOSE 1935 7001 7002 8090 (RTMP, HTTP-FLV, HLS, API)',
      'configure/liveconfig.go: rtmp_addr ":1935", httpflv_addr ":7001", hls_addr ":7002", api_addr ":8090"',
    ],
    limit: '',
    classified: {
      ports: {
        class: 'ports from defaults',
        why: 'only 1935 found; ":7001", ":7002", ":8090" in the same default config literal (configure/liveconfig.go) are not',
      },
    },
  },
  {
    repo: 'ehang-io/nps',
    commit: 'ab648d6f0c618c690a7a79948a7ebd686e1cdafc',
    main: './cmd/nps',
    ports: [8024, 8080],
    args: [],
    cgo: false,
    tags: [],
    evidence: [
      'Dockerfile.nps: CGO_ENABLED=0 go build ./cmd/nps/nps.go, COPY web /web, VOLUME /conf (npc is the client)',
      'conf/nps.conf: bridge_port 8024, web_port 8080 (http_proxy_port 80, https_proxy_port 443); nps reads conf/ and web/ at start',
    ],
    limit: '',
    classified: {
      ports: { class: 'files needed at start', why: 'bridge 8024 and web 8080 are read from conf/nps.conf at start; no default in code' },
      cgo: {
        class: 'tags/cgo per binary',
        why: 'cgo is decided per module: cmd/npc/sdk.go imports "C", so ./cmd/nps gets cgo; Dockerfile.nps builds with CGO_ENABLED=0',
      },
    },
  },
  {
    repo: 'go-admin-team/go-admin',
    commit: '85666f160f2994c17e30e817862befa1cd930535',
    main: '.',
    ports: [8000],
    args: ['server', '-c', 'config/settings.yml'],
    cgo: false,
    tags: [],
    evidence: [
      'Makefile: build: CGO_ENABLED=0 go build -o go-admin . (build-sqlite adds -tags sqlite3)',
      'Dockerfile: EXPOSE 8000, CMD ["/main","server","-c", "/config/settings.yml"]',
    ],
    limit: '',
    classified: {
      tags: {
        class: 'tags/cgo per binary',
        why:
          "sqlite3 is the Makefile build-sqlite target's tag (mattn, needs cgo), not the default build's (Makefile " +
          'tags still apply to every binary)',
      },
      cgo: {
        class: 'tags/cgo per binary',
        why:
          'follows from the tags: with sqlite3 the closure reaches github.com/mattn/go-sqlite3, so cgo is on; the ' +
          'default build has neither',
      },
      ports: { class: 'files needed at start', why: '8000 comes from config/settings.yml, read at start' },
      args: { class: 'root command prints usage', why: '`server -c config/settings.yml` is needed; the root prints usage' },
    },
  },
  {
    repo: 'oauth2-proxy/oauth2-proxy',
    commit: '14af2951e562c9573c72c433732ceee83aea3282',
    main: '.',
    ports: [4180],
    args: ['--http-address=0.0.0.0:4180'],
    cgo: false,
    tags: [],
    evidence: [
      'Makefile: CGO_ENABLED=0 go build ... github.com/oauth2-proxy/oauth2-proxy/v7',
      'pkg/apis/options/legacy_options.go: --http-address default "127.0.0.1:4180"; a provider, client id and cookie secret are required',
    ],
    limit: '',
  },
  {
    repo: 'adnanh/webhook',
    commit: '8a2d3f85cd3e0b285239ce1d3d8ec0eddaceb89a',
    main: '.',
    ports: [9000],
    args: ['-hooks=hooks.json'],
    cgo: false,
    tags: [],
    evidence: [
      'webhook.go: -port default 9000 on 0.0.0.0; no hooks file -> "couldn\'t load any hooks from file! aborting" (log.Fatal)',
      'README: no official image; `webhook -hooks hooks.json -verbose`',
    ],
    limit: '',
    classified: {
      args: {
        class: 'files needed at start',
        why: '-hooks FILE is needed: with no hooks file webhook exits ("aborting webhook execution")',
      },
    },
  },
  {
    repo: 'restic/rest-server',
    commit: '2f31e10cebf335003f75fee5b4646fb73edcda45',
    main: './cmd/rest-server',
    ports: [8000],
    args: ['--no-auth'],
    cgo: false,
    tags: [],
    evidence: [
      '.goreleaser.yml: main ./cmd/rest-server, CGO_ENABLED=0',
      'Dockerfile: EXPOSE 8000, docker/entrypoint.sh passes --path /data and --htpasswd-file (or --no-auth)',
      'cmd/rest-server/main.go: Listen ":8000"; without a .htpasswd file it refuses to start unless --no-auth',
    ],
    limit: '',
    classified: {
      args: {
        class: 'files needed at start',
        why: 'without DATA/.htpasswd it refuses to start; the image needs --no-auth or an htpasswd file',
      },
    },
  },
  {
    repo: 'hashicorp/http-echo',
    commit: 'b69bfb9d049af502694eed7957b44de6a75c2a2d',
    main: '.',
    ports: [5678],
    args: ['-text=hello-world'],
    cgo: false,
    tags: [],
    evidence: [
      'Dockerfile: EXPOSE 5678/tcp, ENV ECHO_TEXT="hello-world", ENTRYPOINT ["/http-echo"]',
      'main.go: -listen default ":5678"; "Missing -text option or ECHO_TEXT env var!" exits',
    ],
    limit: '',
    classified: {
      tags: { class: 'other', why: 'a Makefile misread: `GOTAGS ?=` (empty) takes the next line, the comment "# Number of procs to use"' },
      args: { class: 'other', why: 'a required value: "Missing -text option or ECHO_TEXT env var!" exits' },
    },
  },
  {
    repo: 'dutchcoders/transfer.sh',
    commit: 'c37bfd95797fd6da8a6da53fc13d191994b3f687',
    main: '.',
    ports: [8080],
    args: ['--listener=:8080', '--provider=local', '--basedir=/tmp/'],
    cgo: false,
    tags: ['netgo'],
    evidence: [
      'Dockerfile: CGO_ENABLED=0 go build -tags netgo, ENTRYPOINT ["/go/bin/transfersh", "--listener", ":8080"], EXPOSE 8080',
      'cmd/cmd.go: --listener default "127.0.0.1:8080"; --provider (local, s3, gdrive, storj) must be set',
    ],
    limit: '',
    classified: {
      args: { class: 'other', why: 'a required flag: --provider (and --basedir for local) must be given; --listener is set right' },
      tags: { class: 'tags/cgo per binary', why: '-tags netgo is only in the Dockerfile, which is not read' },
    },
  },
  {
    repo: 'schollz/croc',
    commit: '3cdb6c7bd356767ba2156a01aae2e1921858460e',
    main: '.',
    ports: [9009, 9010, 9011, 9012, 9013],
    args: ['relay'],
    cgo: false,
    tags: ['netgo', 'osusergo'],
    evidence: [
      'Dockerfile: CGO_ENABLED=0 go build -tags netgo,osusergo -o /out/croc ., CMD ["relay"], EXPOSE 9009..9017 (8080 for croc-web)',
      'src/cli/cli.go: relay --ports default "9009,9010,9011,9012,9013"; the root command is the send/receive client',
    ],
    limit: '',
    classified: {
      ports: {
        class: 'ports from defaults',
        why: 'relay --ports default "9009,9010,9011,9012,9013" (a list) gives only 9009, from --port',
      },
      args: { class: 'root command prints usage', why: '`relay` is needed; the root command is the send/receive client' },
      tags: { class: 'tags/cgo per binary', why: '-tags netgo,osusergo is only in the Dockerfile, which is not read' },
    },
  },
  {
    repo: 'prometheus/blackbox_exporter',
    commit: 'e39d7d415684f31b907dce55201a435fe2c2cf0d',
    main: '.',
    ports: [9115],
    args: ['--config.file=/etc/blackbox_exporter/config.yml'],
    cgo: false,
    tags: [],
    evidence: [
      '.promu.yml: repository root (no cgo: true)',
      'Dockerfile: COPY blackbox.yml /etc/blackbox_exporter/config.yml, EXPOSE 9115, ' +
        'CMD ["--config.file=/etc/blackbox_exporter/config.yml"]',
      'main.go: --config.file default "blackbox.yml" (read at start), --web.listen-address :9115',
    ],
    limit: '',
    classified: {
      args: { class: 'files needed at start', why: '--config.file default "blackbox.yml" is read at start and is not in the image' },
    },
  },
  {
    repo: 'oliver006/redis_exporter',
    commit: 'cd5941f16199f1f1fa9c12b3bf24b509875c955a',
    main: '.',
    ports: [9121],
    args: [],
    cgo: false,
    tags: [],
    evidence: ['Dockerfile: CGO_ENABLED=0 go build -o /redis_exporter ., EXPOSE 9121, ENTRYPOINT ["/redis_exporter"]'],
    limit: '',
  },
  {
    repo: 'danielqsj/kafka_exporter',
    commit: '953e2f1745b90101f331ad629f10be5239845f69',
    main: '.',
    ports: [9308],
    args: [],
    cgo: false,
    tags: ['netgo'],
    evidence: [
      '.promu.yml: flags -a -tags netgo',
      'Dockerfile: EXPOSE 9308, ENTRYPOINT ["/bin/kafka_exporter"] (kafka.server is dialled, default kafka:9092)',
    ],
    limit: '',
    classified: {
      tags: { class: 'tags/cgo per binary', why: '.promu.yml build.flags "-a -tags netgo" is not read' },
    },
  },
  {
    repo: 'go-gost/gost',
    commit: 'c7d793c619e3690f091dd98ac9b4085e212db26f',
    main: './cmd/gost',
    ports: [],
    args: ['-L=:8080'],
    cgo: false,
    tags: [],
    evidence: [
      '.goreleaser.yaml: main ./cmd/gost, CGO_ENABLED=0',
      'Dockerfile: ENV CGO_ENABLED=0, ENTRYPOINT ["/bin/gost"] (no EXPOSE, no CMD); README: `docker run gogost/gost -L :8080`',
      'cmd/gost/main.go: services come only from -L or a config file; no default listener',
    ],
    limit: '',
    classified: {
      ports: {
        class: 'ports from defaults',
        why: '":6060" is the profiling server\'s fallback, started only when the config has a profiling block',
      },
      args: { class: 'other', why: 'services come only from -L or a config file: a bare gost serves nothing' },
    },
  },
  {
    repo: 'centrifugal/centrifugo',
    commit: 'f25c7abd0701195829a62f19e1baffd42a7a43e9',
    main: '.',
    ports: [8000],
    args: [],
    cgo: false,
    tags: [],
    evidence: [
      '.goreleaser.yml: main ., binary centrifugo, CGO_ENABLED=0',
      'internal/config/config.go: rootCmd flag http_server.port default "8000"; Dockerfile CMD ["centrifugo"]',
    ],
    limit: '',
  },
  {
    repo: 'goproxyio/goproxy',
    commit: '382eafba0838634c2476fd731b3f27426f987e17',
    main: '.',
    ports: [8081],
    args: [],
    cgo: false,
    tags: [],
    evidence: [
      'Dockerfile: CGO_ENABLED=0 make, EXPOSE 8081, ENTRYPOINT tini -- /goproxy, CMD []',
      'main.go: -listen default "0.0.0.0:8081"; it shells out to go (and git/hg/svn) at run time',
    ],
    limit: '',
  },
  {
    repo: 'ouqiang/gocron',
    commit: '960fc988b11ab32a121e4448f600c5ea089962b4',
    main: './cmd/gocron',
    ports: [5920],
    args: ['web'],
    cgo: false,
    tags: [],
    evidence: [
      'Dockerfile: make build-vue, make statik (embeds the UI), CGO_ENABLED=0 make gocron, EXPOSE 5920, ENTRYPOINT ["/app/gocron", "web"]',
      'cmd/gocron: `web` subcommand, port default 5920; cmd/node is the agent (gocron-node, 5921)',
    ],
    limit: '',
    classified: {
      ports: {
        class: 'root command prints usage',
        why: 'const DefaultPort = 5920 is the port of the `web` subcommand, which the root does not run',
      },
      args: { class: 'root command prints usage', why: '`web` is needed; the root prints usage' },
    },
  },
  {
    repo: 'alist-org/alist',
    commit: '2830575490e72a7afc8fd8e6b790a163b92a13b5',
    main: '.',
    ports: [5244],
    args: ['server'],
    cgo: true,
    tags: ['jsoniter'],
    evidence: [
      'build.sh: export CGO_ENABLED=1, go build -tags=jsoniter . (mattn/go-sqlite3); it downloads the web UI into public/dist first',
      'Dockerfile: EXPOSE 5244 5245, entrypoint.sh runs `./alist server --no-prefix`',
      'internal/conf/config.go: HttpPort 5244 (5245 is the optional S3 server)',
    ],
    limit: '',
    classified: {
      ports: { class: 'ports from defaults', why: 'HttpPort: 5244 in the default config literal (internal/conf/config.go) is not read' },
      args: { class: 'root command prints usage', why: '`server` is needed; the root prints usage' },
      cgo: { class: 'tags/cgo per binary', why: 'cgo is not seen through gorm.io/driver/sqlite (go-sqlite3); build.sh sets CGO_ENABLED=1' },
      tags: { class: 'tags/cgo per binary', why: '-tags=jsoniter is only in build.sh, which is not read' },
    },
  },
  {
    repo: 'dexidp/dex',
    commit: 'ab64ed778070e983cbb10cfc07ea4bb397d14312',
    main: './cmd/dex',
    ports: [5556],
    args: ['serve', '/etc/dex/config.docker.yaml'],
    cgo: true,
    tags: [],
    evidence: [
      'Dockerfile: ENV CGO_ENABLED=1, `make release-binary` builds ./cmd/dex and ./cmd/docker-entrypoint (a wrapper)',
      'Dockerfile: CMD ["dex", "serve", "/etc/dex/config.docker.yaml"] (no EXPOSE)',
      'config.docker.yaml: web http 0.0.0.0:5556 (grpc 5557, telemetry 5558)',
    ],
    limit: '',
    classified: {
      ports: { class: 'files needed at start', why: '5556 comes from the config file given to `dex serve`' },
      args: { class: 'root command prints usage', why: '`serve CONFIG` is needed; the root prints usage' },
    },
  },
  {
    repo: 'openimsdk/open-im-server',
    commit: '7848d7c7354945fe7b40f6b990db8b6013a9037c',
    main: './cmd/openim-api',
    ports: [10002],
    args: ['-c', 'config/'],
    cgo: false,
    tags: [],
    evidence: [
      'build/images/openim-server/Dockerfile: go build ./${CMD_PATH} one image per cmd/openim-*; openim-api is the HTTP API',
      'config/openim-api.yml: api ports [10002]; pkg/common/cmd/root.go: -c "path of config directory"',
    ],
    limit: '',
    classified: {
      ports: { class: 'files needed at start', why: '10002 comes from config/openim-api.yml' },
      args: { class: 'files needed at start', why: '-c CONFIG_DIR is needed; the config directory is read at start' },
    },
  },
];
