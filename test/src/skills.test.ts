import request from 'supertest';
import { z } from 'zod';
import { describe, expect, it } from 'vitest';
import { Agent, Skill, SkillError, SwaigResult, getSkillClass, listSkills, registerSkill, type PromptSection } from '../../src/index.js';
import { AUTH, fixture, silentLogger, swaigPath } from './helpers/agent.js';
import { expectValidSwml } from '../helpers/swml-schema.js';
import { rejectionOf } from '../helpers/rejection.js';

const serviceSchema = z.object({ name: z.string().min(1), tools: z.union([z.literal('*'), z.array(z.string())]).default('*') });
const gatewayParams = z.strictObject({ gateway_url: z.url(), services: z.array(serviceSchema).default([]) });
type GatewayParams = z.infer<typeof gatewayParams>;

const events: string[] = [];

class FakeGatewaySkill extends Skill<GatewayParams> {
  static override skillName = 'fake_gateway';
  static override description = 'Test double shaped like mcp_gateway';
  static override paramsSchema = gatewayParams;

  override async setup(): Promise<void> {
    events.push(`setup:${this.params.gateway_url}`);
  }
  override registerTools(): void {
    for (const s of this.params.services) {
      this.defineTool({
        name: `mcp_${s.name}_list`,
        description: `[${s.name}] list`,
        handler: (_args, req) => new SwaigResult(`listed ${s.name} for ${req.call_id ?? 'unknown'}`),
      });
    }
    this.agent.onHangup(() => {
      events.push('hangup');
      return 'Session cleanup complete';
    });
  }
  override hints(): string[] {
    return ['MCP', ...this.params.services.map((s) => s.name)];
  }
  override globalData(): Record<string, unknown> {
    return { mcp_services: this.params.services.map((s) => s.name) };
  }
  override promptSections(): PromptSection[] {
    return [{ title: 'MCP Gateway Integration', body: 'You can use MCP tools.' }];
  }
  override async cleanup(): Promise<void> {
    events.push('cleanup');
  }
}

class GreeterSkill extends Skill<{ greeting: string }> {
  static override skillName = 'greeter';
  static override description = 'Multi-instance test skill';
  static override paramsSchema = z.object({ greeting: z.string().default('Hello') });
  static override supportsMultipleInstances = true;
  override registerTools(): void {
    this.defineTool({ name: this.options.toolName ?? 'greet', description: 'Greet', handler: () => this.params.greeting });
  }
}

class BrokenSkill extends Skill {
  static override skillName = 'broken';
  static override description = 'Fails after defining a tool';
  override registerTools(): void {
    this.defineTool({ name: 'half_done', description: 'x', handler: () => 'x' });
    throw new Error('discovery failed');
  }
}

registerSkill(FakeGatewaySkill);
registerSkill(GreeterSkill);
registerSkill(BrokenSkill);

const newAgent = () => new Agent({ name: 'skills', basicAuth: AUTH, logger: silentLogger() });

describe('registry', () => {
  it('finds registered skills; re-registering the same class is a no-op; a clash throws', () => {
    expect(getSkillClass('fake_gateway')).toBe(FakeGatewaySkill);
    expect(listSkills().map((s) => s.name)).toEqual(expect.arrayContaining(['broken', 'fake_gateway', 'greeter']));
    expect(() => registerSkill(FakeGatewaySkill)).not.toThrow();
    class Other extends Skill {
      static override skillName = 'fake_gateway';
    }
    expect(() => registerSkill(Other)).toThrow(/already registered/);
  });
});

describe('agent.addSkill', () => {
  it('runs setup → tools → hints/global_data/prompt, and the result validates against the schema', async () => {
    events.length = 0;
    const agent = newAgent();
    await agent.addSkill('fake_gateway', { gateway_url: 'http://127.0.0.1:8100', services: [{ name: 'todo' }, { name: 'memory' }] });
    expect(events).toEqual(['setup:http://127.0.0.1:8100']);
    const ai = expectValidSwml(agent.renderSwml()).sections.main[1]!.ai as Record<string, any>;
    expect(ai.SWAIG.functions.map((f: { function: string }) => f.function)).toEqual(['mcp_todo_list', 'mcp_memory_list', 'hangup_hook']);
    expect(ai.hints).toEqual(['MCP', 'todo', 'memory']);
    expect(ai.global_data).toEqual({ mcp_services: ['todo', 'memory'] });
    expect(ai.prompt.pom[0].title).toBe('MCP Gateway Integration');

    const res = await request(agent.app())
      .post(swaigPath(agent, 'mcp_todo_list'))
      .auth(AUTH.user, AUTH.password)
      .send({ ...fixture<Record<string, unknown>>('swaig-call.json'), function: 'mcp_todo_list' });
    expect(res.body.response).toBe('listed todo for 8b1a0c2e-3333-4f4f-a000-swaigcall0001');
    await request(agent.app()).post(swaigPath(agent, 'hangup_hook')).auth(AUTH.user, AUTH.password).send(fixture('hangup-hook.json'));
    expect(events).toContain('hangup');
    await agent.close();
    expect(events).toContain('cleanup');
  });

  it('names skill and field when params fail the zod schema', async () => {
    const err = await rejectionOf(newAgent().addSkill('fake_gateway', { gateway_url: 'http://x', services: [{ name: '' }] }), SkillError);
    expect(err.field).toBe('services.0.name');
    expect(err.code).toBe('invalid_skill_params');
    expect(err.message).toMatch(/^Skill 'fake_gateway': field 'services\.0\.name' — /);
  });

  it('rejects unknown keys of a strict schema, a missing required field, and bad common params', async () => {
    expect((await rejectionOf(newAgent().addSkill('fake_gateway', { gateway_url: 'http://x', servces: [] }), SkillError)).message).toMatch(
      /field '\(params\)'|servces/,
    );
    expect((await rejectionOf(newAgent().addSkill('fake_gateway', {}), SkillError)).field).toBe('gateway_url');
    expect((await rejectionOf(newAgent().addSkill('fake_gateway', { gateway_url: 'http://x', skip_prompt: 'yes' }), SkillError)).field).toBe('skip_prompt');
  });

  it('honours skip_prompt and merges swaig_fields into the skill tools', async () => {
    const agent = newAgent();
    await agent.addSkill('fake_gateway', {
      gateway_url: 'http://x.example',
      services: [{ name: 'todo' }],
      skip_prompt: true,
      swaig_fields: { wait_for_fillers: true, fillers: { 'en-US': ['Checking'] } },
    });
    const ai = expectValidSwml(agent.renderSwml()).sections.main[1]!.ai as Record<string, any>;
    expect(ai.prompt.text).toBeDefined();
    expect(ai.SWAIG.functions[0]).toMatchObject({ wait_for_fillers: true, fillers: { 'en-US': ['Checking'] } });
  });

  it('unknown skill names the registered ones', async () => {
    const err = await rejectionOf(newAgent().addSkill('nope'), SkillError);
    expect(err.code).toBe('unknown_skill');
    expect(err.message).toMatch(/fake_gateway/);
  });

  it('supports multiple instances keyed by tool_name; refuses a duplicate single instance', async () => {
    const agent = newAgent();
    await agent.addSkill('greeter', { tool_name: 'greet_en', greeting: 'Hello' });
    await agent.addSkill('greeter', { tool_name: 'greet_fr', greeting: 'Bonjour' });
    expect((await rejectionOf(agent.addSkill('greeter', { tool_name: 'greet_fr' }), SkillError)).code).toBe('duplicate_skill');
    expect(agent.listSkills().map((s) => s.key)).toEqual(['greeter_greet_en', 'greeter_greet_fr']);
    const res = await request(agent.app())
      .post(swaigPath(agent, 'greet_fr', 'call-fr'))
      .auth(AUTH.user, AUTH.password)
      .send({ function: 'greet_fr', call_id: 'call-fr' });
    expect(res.body).toEqual({ response: 'Bonjour' });
    await agent.addSkill('fake_gateway', { gateway_url: 'http://x.example' });
    expect((await rejectionOf(agent.addSkill('fake_gateway', { gateway_url: 'http://y.example' }), SkillError)).code).toBe('duplicate_skill');
    expectValidSwml(agent.renderSwml());
  });

  it('rolls back tools when loading fails and frees the instance key', async () => {
    const agent = newAgent();
    const err = await rejectionOf(agent.addSkill('broken'), SkillError);
    expect(err.message).toMatch(/^Skill 'broken': register_tools failed — discovery failed/);
    expect(agent.listTools()).toEqual([]);
    expect(agent.listSkills()).toEqual([]);
  });
});

describe('readiness', () => {
  it('/ready is 503 while a skill is setting up, 200 after; agent.ready() waits for it', async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    class SlowSkill extends Skill {
      static override skillName = 'slow_setup';
      static override description = 'Waits for the test';
      override async setup(): Promise<void> {
        await gate;
      }
    }
    registerSkill(SlowSkill);
    const agent = newAgent();
    const loading = agent.addSkill('slow_setup');
    expect(agent.isReady()).toBe(false);
    const notReady = await request(agent.app()).get('/ready');
    expect(notReady.status).toBe(503);
    expect(notReady.body).toEqual({ error: 'Skills are still setting up', code: 'not_ready' });
    expect((await request(agent.app()).get('/health')).status).toBe(200);
    let readyResolved = false;
    const ready = agent.ready().then(() => (readyResolved = true));
    await Promise.resolve();
    expect(readyResolved).toBe(false);
    release();
    await loading;
    await ready;
    expect((await request(agent.app()).get('/ready')).status).toBe(200);
  });

  it('agent.ready() rejects with the skill error of a failed load', async () => {
    const agent = newAgent();
    const p = agent.addSkill('broken');
    p.catch(() => undefined);
    await expect(agent.ready()).rejects.toBeInstanceOf(SkillError);
    expect(agent.isReady()).toBe(true);
  });
});

describe('closing', () => {
  it('close() waits for an addSkill still in setup and then cleans that skill up too', async () => {
    let finishSetup!: () => void;
    const cleanedUp: string[] = [];
    class SlowSkill extends Skill {
      static override skillName = 'slow_setup';
      static override description = 'Setup that finishes only when the test says so';
      static override paramsSchema = z.object({});
      override setup(): Promise<void> {
        return new Promise((resolve) => {
          finishSetup = resolve;
        });
      }
      override async cleanup(): Promise<void> {
        cleanedUp.push(this.skillName);
      }
    }
    const agent = newAgent();
    const loading = agent.addSkill(SlowSkill);
    const closing = agent.close();
    finishSetup();
    await loading;
    await closing;
    expect(cleanedUp).toEqual(['slow_setup']);
    expect(agent.listSkills()).toEqual([]);
  });
});
