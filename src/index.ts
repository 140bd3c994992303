// Public API of the agent framework. Named exports only: each one is a promise to users.
export { Agent } from './agent/agent.js';
export type { DebugEventHandler } from './agent/agent.js';
export type { ContextDefinition, ContextsDefinition, StepDefinition } from './agent/contexts.js';
export { AgentServer, sipUsername } from './server/agent-server.js';
export type { AgentServerOptions, MountableAgent } from './server/agent-server.js';
export { AgentConfig } from './agent/agent-config.js';
export type { ToolInfo } from './agent/agent-config.js';
export type { CallInfo, DynamicConfigCallback, SwmlRequestContext, SwmlRequestHandler } from './agent/request-config.js';
export type { AgentOptions } from './agent/options.js';
export type { Hint, Language, NativeFunction, PromptSection, PromptSettings, Pronounce, SwmlVerb } from './agent/schemas.js';
export type { DataMapToolDefinition, RegisteredTool, SwaigFields, ToolDefinition, ToolHandler, ToolParameters, ToolReturn } from './agent/tools.js';
export type { BasicCredentials } from './auth/credentials.js';
export {
  AgentConfigError,
  AgentError,
  BadRequestError,
  MethodNotAllowedError,
  NotFoundError,
  NotReadyError,
  PayloadTooLargeError,
  SkillError,
  ToolError,
  UnauthorizedError,
  UnsupportedMediaTypeError,
} from './errors.js';
export type { ErrorBody } from './errors.js';
export { startEmbeddedGateway } from './embedded-gateway.js';
export type { EmbeddedGateway, EmbeddedGatewayOptions } from './embedded-gateway.js';
export { createLogger } from './logger.js';
export type { Logger } from './logger.js';
export { getSkillClass, listSkills, registerSkill } from './skills/registry.js';
export { Skill } from './skills/skill.js';
export type { SkillClass, SkillCommonOptions } from './skills/skill.js';
export { FunctionTokens } from './swaig/function-tokens.js';
export type { TokenRefusal } from './swaig/function-tokens.js';
export { extractArgs, extractSwmlCallId, parseSwaigRequest, swaigRequestSchema } from './swaig/request.js';
export type { SwaigRequest } from './swaig/request.js';
export { SwaigResult } from './swaig/result.js';
export type { JoinConferenceOptions, PayOptions, RecordCallOptions, SendSmsOptions, TapOptions } from './swaig/call-verbs.js';
export type { FunctionToggle, SwaigResponse, SwmlActionDocument } from './swaig/result.js';
export type { SummaryHandler } from './swaig/summary.js';
export { loadSwmlSchemaValidator, swmlSchemaPart, swmlSchemaPath } from './swml/schema-validator.js';
export type { SwmlSchemaError, SwmlValidation, SwmlValidator } from './swml/schema-validator.js';
export type { SwmlAiVerb, SwmlDocument, SwmlFunction } from './swml/types.js';
