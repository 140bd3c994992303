/**
 * swaig-test's options: its own, and every flag of the Python SDK's swaig-test that has a meaning here (same
 * names, same meaning). The serverless ones are declared so they are recognised, and refused as "not supported".
 */
import { type Command, InvalidArgumentError, Option } from 'commander';
import type { EnvFlags, IdentityFlags, ServerlessFlags, ShapeOptions } from './run-options.js';

/** Parsed options of one run (commander's view). */
export interface SwaigTestOptions extends ShapeOptions, IdentityFlags, EnvFlags, ServerlessFlags {
  url?: string;
  agent?: string;
  agentClass?: string;
  route?: string;
  listAgents?: boolean;
  listTools?: boolean;
  dumpSwml?: boolean;
  schema?: string;
  simulateCall?: boolean;
  scenario?: string;
  interactive?: boolean;
  expect?: string;
  raw?: boolean;
  verbose?: boolean;
  timeoutMs: number;
  helpPlatforms?: boolean;
  helpExamples?: boolean;
}

function positiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('expected a whole number of milliseconds ≥ 1');
  return n;
}

const collect = (value: string, previous: string[] | undefined): string[] => [...(previous ?? []), value];

function httpMethod(value: string): 'GET' | 'POST' {
  const upper = value.toUpperCase();
  if (upper !== 'GET' && upper !== 'POST') throw new InvalidArgumentError('the agent serves SWML on GET and POST');
  return upper;
}

const hidden = (flags: string, description: string): Option => new Option(flags, description).hideHelp();

/** Adds every option to `program`. */
export function declareOptions(program: Command): Command {
  program
    .option('--url <url>', 'a running agent instead of a file: https://user:pass@host/route')
    .option('--agent <name>', 'which agent, when the file exports several (agent name or export name)')
    .option('--agent-class <class>', 'which agent, by class name (an exported class is instantiated)')
    .option('--route <path>', 'which agent, by the route it serves (e.g. /healthcare)')
    .option('--list-agents', 'list the agents (instances and classes) the file exports')
    .option('--list-tools', 'list the functions with their parameters (the default action)')
    .option('--dump-swml', 'print the SWML for this call and validate it against the SWML schema')
    .option('--schema <path>', 'SWML schema for --dump-swml (default: the official schema vendored in the package)')
    .option('--exec <name>', 'call a function; --name value pairs become its arguments (only its declared parameters)')
    .option('--args <json>', 'arguments of the --exec before it, as a JSON object (--name value pairs override keys)')
    .option('--simulate-call', 'simulate a call: a scenario file (.json/.yaml) right after the flag, or repeated --exec NAME [--args JSON]')
    .addOption(hidden('--scenario <file>', 'scenario file for --simulate-call'))
    .option('--expect <text>', 'with --exec: fail unless the response contains TEXT (or matches /regex/)')
    .option('--interactive', 'a small prompt to call functions one after another in the same call')
    // post_data of the function calls (Python: function execution options)
    .option('--minimal', 'send only function, call_id and argument with each function call')
    .option('--fake-full-data', 'add fake call data to each function call (call, vars, call_log, prompt_vars, permission flags)')
    .option('--custom-data <json>', 'JSON object merged into each function call body (objects one level deep)')
    // the call (Python: SWML generation options)
    .option('--call-id <id>', 'call id to use (default: a fresh uuid, printed so you can reuse it)')
    .addOption(new Option('--call-type <type>', 'call.type: sip (a phone call, "phone") or webrtc').choices(['sip', 'webrtc']).default('sip'))
    .addOption(new Option('--call-direction <dir>', 'call.direction').choices(['inbound', 'outbound']).default('inbound'))
    .option('--call-state <state>', 'call.call_state of the SWML request', 'created')
    .option('--from-number <number>', 'the caller: call.from and caller_id_num (same as --caller-number)')
    .option('--to-extension <ext>', 'what was dialled: call.to')
    .option('--caller-name <name>', 'caller_id_name sent with every request')
    .option('--caller-number <number>', 'caller_id_num sent with every request (and call.from in the SWML fetch)')
    .option('--project-id <id>', 'project_id of the call (default: a fresh uuid)')
    .option('--space-id <id>', 'space_id of the call (default: a fresh uuid)')
    // data customization
    .option('--user-vars <json>', 'JSON object: vars.userVariables of every request')
    .option('--query-params <json>', 'JSON object: query string of the SWML request (also merged into userVariables)')
    .option('--header <name=value>', 'HTTP header sent with every request to the agent (repeatable)', collect)
    .option('--override <path=value>', 'set a dot path in every request body, value typed (repeatable), e.g. call.call_state=answered', collect)
    .option('--override-json <path=json>', 'set a dot path in every request body to a JSON value (repeatable)', collect)
    .option('--method <method>', 'method of the SWML request: POST (default, as the platform) or GET', httpMethod)
    .option('--body <json>', 'JSON body of the SWML request instead of the platform-shaped one')
    // environment of the agent file
    .option('--env <KEY=VALUE>', 'environment variable for the agent file (repeatable)', collect)
    .option('--env-file <file>', 'environment variables for the agent file, dotenv format')
    .option('--simulate-serverless <platform>', 'not supported here: this framework serves HTTP only (see --help-platforms)');
  for (const flag of [
    '--aws-function-name',
    '--aws-function-url',
    '--aws-region',
    '--aws-api-gateway-id',
    '--aws-stage',
    '--cgi-host',
    '--cgi-script-name',
    '--cgi-path-info',
    '--gcp-project',
    '--gcp-function-url',
    '--gcp-region',
    '--gcp-service',
    '--azure-env',
    '--azure-function-url',
  ]) {
    program.addOption(hidden(`${flag} <value>`, 'serverless simulation (not supported)'));
  }
  return program
    .addOption(hidden('--cgi-https', 'serverless simulation (not supported)'))
    .option('--raw', 'machine-readable JSON only on stdout')
    .option('-v, --verbose', 'print every request and response envelope on stderr; stack traces for failures')
    .option('--timeout-ms <ms>', 'per-request timeout, and how long to wait for the agent to be ready', positiveInt, 30_000)
    .option('--help-platforms', 'about the serverless flags of the Python CLI')
    .option('--help-examples', 'usage examples');
}
