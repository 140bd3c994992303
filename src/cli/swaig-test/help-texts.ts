/** The extra help pages of swaig-test: `--help-platforms` and `--help-examples` (as the Python CLI has them). */

export const PLATFORMS_HELP = `Serverless platforms
====================

The Python SDK's swaig-test can simulate AWS Lambda, CGI, Google Cloud Functions and Azure Functions
(--simulate-serverless lambda|cgi|cloud_function|azure_function and the --aws-*, --cgi-*, --gcp-*, --azure-*
flags). This framework serves agents as an HTTP server (Express) only: there is no serverless adapter to
simulate, so those flags exit with status 2 and "not supported: …".

What to use instead:
  swaig-test agent.ts --dump-swml                      # the agent file, served in-process on loopback
  swaig-test --url https://user:pass@host/route --dump-swml   # a deployed agent, over real HTTP
  swaig-test agent.ts --env API_KEY=secret --env-file production.env --exec my_function
                                                       # --env/--env-file set the agent's environment
`;

export const EXAMPLES_HELP = `Usage examples
==============

Function testing
  swaig-test agent.ts --exec search --query "AI" --limit 5
  swaig-test agent.ts search --query "AI" --limit 5          # positional function name
  swaig-test agent.ts search '{"query":"AI"}'                # legacy JSON arguments
  swaig-test agent.ts -v --exec search --query test          # request/response envelopes on stderr
  swaig-test agent.ts --exec search --query x --call-id my-session   # options may come after --exec

Post data
  swaig-test agent.ts --minimal --exec search --query x      # only function, call_id, argument
  swaig-test agent.ts --fake-full-data --exec search --query x   # plus call, vars, call_log, prompt_vars
  swaig-test agent.ts --custom-data '{"global_data":{"tier":"vip"}}' --exec search --query x

SWML
  swaig-test agent.ts --dump-swml
  swaig-test agent.ts --dump-swml --raw | jq '.swml.sections.main[1].ai.SWAIG.functions'
  swaig-test agent.ts --dump-swml --call-type webrtc --from-number +15551234567 --to-extension 1001
  swaig-test agent.ts --dump-swml --call-direction outbound --call-state answered

Several agents in one file
  swaig-test multi_agent.ts --list-agents
  swaig-test multi_agent.ts --agent-class MattiAgent --list-tools
  swaig-test multi_agent.ts --route /healthcare --exec schedule_appointment --date 2025-01-01

Dynamic agents
  swaig-test dynamic_agent.ts --dump-swml --query-params '{"tier":"premium"}'
  swaig-test dynamic_agent.ts --dump-swml --header "X-Customer-ID=12345"
  swaig-test dynamic_agent.ts --dump-swml --method POST --body '{"call":{"call_id":"c1"}}'
  swaig-test dynamic_agent.ts --dump-swml --user-vars '{"preferences":{"language":"es"}}'

Overrides (dot paths, into every body sent)
  swaig-test agent.ts --dump-swml --override call.call_state=answered --override call.timeout=60
  swaig-test agent.ts --dump-swml --override-json vars.custom='{"key":"value","nested":{"data":true}}'

Environment of the agent file
  swaig-test agent.ts --env API_KEY=secret --env DEBUG=1 --exec my_function
  swaig-test agent.ts --env-file production.env --exec my_function

Calls with several steps
  swaig-test agent.ts --simulate-call scenario.yaml
  swaig-test agent.ts --simulate-call --exec add_todo --text milk --exec list_todos
  swaig-test agent.ts --interactive
`;
