/**
 * `mcp-gateway -c config.json`: loads the config (creating a missing one from sample_config.json, as the
 * reference), serves the HTTP API, and on SIGTERM/SIGINT closes every session (whole process groups) before
 * exiting. Only `run()`'s caller exits the process.
 */
import { Command, InvalidArgumentError } from 'commander';
import { createConfigIfMissing, type CreatedConfig } from './config/create-default.js';
import { ConfigError } from './errors.js';
import { createGateway, loadGatewayConfig } from './index.js';

function portOption(value: string): number {
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new InvalidArgumentError('must be 0-65535');
  return port;
}

/** Says what was created in place of a missing config file, and where the generated secrets are. */
function reportCreated(created: CreatedConfig | undefined): void {
  if (!created) return;
  const source = created.from === undefined ? 'a minimal default (no sample_config.json found)' : created.from;
  process.stderr.write(`mcp-gateway: ${created.path} did not exist; created it from ${source}\n`);
  if (created.replaced.length > 0) {
    process.stderr.write(
      `mcp-gateway: ${created.replaced.join(' and ')} had a weak default; the file now holds a random one ` +
        '(read it there; where the sample used ${VAR|default}, the variable still wins)\n',
    );
  }
}

/** Runs the gateway until a signal; resolves with the exit code. */
export async function run(argv: string[]): Promise<number> {
  const program = new Command()
    .name('mcp-gateway')
    .description('Serve MCP servers over the SWAIG-style HTTP API')
    .option('-c, --config <path>', 'gateway config file', 'config.json')
    .option('--host <host>', 'override server.host')
    .option('--port <port>', 'override server.port (0 = any free port)', portOption)
    .parse(argv);
  const opts = program.opts<{ config: string; host?: string; port?: number }>();

  let config;
  try {
    reportCreated(createConfigIfMissing(opts.config));
    config = loadGatewayConfig(opts.config);
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    process.stderr.write(`mcp-gateway: invalid config: ${err.message}\n`);
    return 2;
  }
  let gateway;
  try {
    gateway = await createGateway(config);
  } catch (err) {
    // The host cannot give what the config asks for (bwrap, a user, Redis): say which field, exit like a bad config.
    if (!(err instanceof ConfigError)) throw err;
    process.stderr.write(`mcp-gateway: cannot start: ${err.message}\n`);
    return 2;
  }
  try {
    const { url } = await gateway.listen(opts.port ?? config.server.port, opts.host ?? config.server.host);
    process.stderr.write(`mcp-gateway listening on ${url}\n`);
  } catch (err) {
    process.stderr.write(`mcp-gateway: cannot listen: ${(err as Error).message}\n`);
    await gateway.close();
    return 1;
  }

  const signal = await new Promise<NodeJS.Signals>((resolve) => {
    process.once('SIGTERM', resolve);
    process.once('SIGINT', resolve);
  });
  // A second signal while closing means "now".
  const force = (): void => process.exit(1);
  process.once('SIGTERM', force);
  process.once('SIGINT', force);
  if (signal === 'SIGTERM') {
    process.stderr.write(`mcp-gateway: SIGTERM, draining (up to ${config.cluster.drain_timeout} s)\n`);
    await gateway.drain();
  }
  process.stderr.write(`mcp-gateway: ${signal}, closing sessions\n`);
  await gateway.close();
  return 0;
}

process.exitCode = await run(process.argv);
process.exit();
