// Issue 21: which main is the product, listen vs dial, and a root command that only prints usage.
// Each recognizer table entry has a small Go fixture of its shape (our own code, written for the test).
import { describe, expect, it } from 'vitest';
import { listenPlan } from '../src/detect/listen.js';
import { ADDRESS_RECOGNIZERS, addressRole, inFlagSet } from '../src/detect/listen-dial.js';
import { findPorts } from '../src/detect/ports.js';

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
