/**
 * `mcp-gateway -c config.json`: loads the config (creating a missing one from sample_config.json, as the
 * reference), serves the HTTP API, and on SIGTERM/SIGINT closes every session (whole process groups). Importing
 * this runs nothing and `run()` never exits the process: bin/mcp-gateway.js calls it and exits with its status,
 * tests call it in-process.
 */
import { Command, CommanderError, InvalidArgumentError } from 'commander';
import { createConfigIfMissing, type CreatedConfig } from './config/create-default.js';
import { ConfigError } from './errors.js';
import { createGateway, loadGatewayConfig } from './index.js';

function portOption(value: string): number {
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new InvalidArgumentError('must be 0-65535');
  return port;
}

/** Where `run` writes and what ends it. */
export interface RunIo {
  stdout(text: string): void;
  stderr(text: string): void;
  /** Resolves (with a reason, e.g. the signal name) when the gateway should close. */
  waitForStop(): Promise<string>;
}

/** The first SIGTERM or SIGINT. */
export function firstSignal(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    process.once('SIGTERM', resolve);
    process.once('SIGINT', resolve);
  });
}

const processIo: RunIo = {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  waitForStop: firstSignal,
};

/** Says what was created in place of a missing config file, and where the generated secrets are. */
function reportCreated(io: RunIo, created: CreatedConfig | undefined): void {
  if (!created) return;
  const source = created.from === undefined ? 'a minimal default (no sample_config.json found)' : created.from;
  io.stderr(`mcp-gateway: ${created.path} did not exist; created it from ${source}\n`);
  if (created.replaced.length > 0) {
    io.stderr(
      `mcp-gateway: ${created.replaced.join(' and ')} had a weak default; the file now holds a random one ` +
        '(read it there; where the sample used ${VAR|default}, the variable still wins)\n',
    );
  }
}

/**
 * Runs the gateway until `io.waitForStop()` resolves. `argv` holds the user's arguments only (no node, no script).
 * Resolves with the exit status: 0 after a clean stop (or --help), 1 when it cannot listen, 2 for a usage mistake,
 * a bad config or a host that cannot give what the config asks for.
 */
export async function run(argv: readonly string[], io: RunIo = processIo): Promise<number> {
  const program = new Command()
    .name('mcp-gateway')
    .description('Serve MCP servers over the SWAIG-style HTTP API')
    .option('-c, --config <path>', 'gateway config file', 'config.json')
    .option('--host <host>', 'override server.host')
    .option('--port <port>', 'override server.port (0 = any free port)', portOption)
    .exitOverride()
    .configureOutput({ writeOut: (text) => io.stdout(text), writeErr: (text) => io.stderr(text) });
  try {
    program.parse([...argv], { from: 'user' });
  } catch (err) {
    // commander has printed the message (or the help text) through configureOutput.
    if (err instanceof CommanderError) return err.exitCode === 0 ? 0 : 2;
    throw err;
  }
  const opts = program.opts<{ config: string; host?: string; port?: number }>();

  let config;
  try {
    reportCreated(io, createConfigIfMissing(opts.config));
    config = loadGatewayConfig(opts.config);
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    io.stderr(`mcp-gateway: invalid config: ${err.message}\n`);
    return 2;
  }
  let gateway;
  try {
    gateway = await createGateway(config);
  } catch (err) {
    // The host cannot give what the config asks for (bwrap, a user, Redis): say which field, exit like a bad config.
    if (!(err instanceof ConfigError)) throw err;
    io.stderr(`mcp-gateway: cannot start: ${err.message}\n`);
    return 2;
  }
  try {
    const { url } = await gateway.listen(opts.port ?? config.server.port, opts.host ?? config.server.host);
    io.stderr(`mcp-gateway listening on ${url}\n`);
  } catch (err) {
    io.stderr(`mcp-gateway: cannot listen: ${(err as Error).message}\n`);
    await gateway.close();
    return 1;
  }

  const reason = await io.waitForStop();
  if (reason === 'SIGTERM') {
    io.stderr(`mcp-gateway: SIGTERM, draining (up to ${config.cluster.drain_timeout} s)\n`);
    await gateway.drain();
  }
  io.stderr(`mcp-gateway: ${reason}, closing sessions\n`);
  await gateway.close();
  return 0;
}
