import { describe, expect, it } from 'vitest';
import { MAX_NAME_LENGTH, NameTable } from '../../../gateway/mcp-server/names.js';

const VALID = /^[A-Za-z0-9_.-]{1,64}$/;

describe('NameTable (exposed tool and prompt names)', () => {
  it('names {service}{separator}{name} and resolves them back', () => {
    const table = new NameTable('_');
    expect(
      table.build([
        { service: 'todo', name: 'add_todo' },
        { service: 'web', name: 'get-page' },
      ]),
    ).toEqual(['todo_add_todo', 'web_get-page']);
    expect(table.resolve('web_get-page')).toEqual({ service: 'web', name: 'get-page' });
    expect(table.resolve('todo_nope')).toBeUndefined();
  });

  it('shortens long names and replaces invalid characters, keeping them stable, unique and valid', () => {
    const table = new NameTable('_');
    const long = 'x'.repeat(100);
    const origins = [
      { service: 'svc', name: long },
      { service: 'svc', name: `${long}y` },
      { service: 'svc', name: 'has space/slash' },
      { service: 'svc', name: 'has_space_slash' },
    ];
    const names = table.build(origins);
    for (const name of names) expect(name).toMatch(VALID);
    expect(names[0]!.length).toBe(MAX_NAME_LENGTH);
    expect(new Set(names).size).toBe(4);
    expect(names[3]).toBe('svc_has_space_slash');
    expect(names[2]).toMatch(/^svc_has_space_slash-[0-9a-f]{8}$/);
    names.forEach((name, i) => expect(table.resolve(name)).toEqual(origins[i]));
    expect(new NameTable('_').build(origins)).toEqual(names);
  });

  it('gives a clash between service and tool boundaries a hashed name instead of shadowing a tool', () => {
    const table = new NameTable('_');
    const names = table.build([
      { service: 'a_b', name: 'c' },
      { service: 'a', name: 'b_c' },
    ]);
    expect(names[0]).toBe('a_b_c');
    expect(names[1]).toMatch(/^a_b_c-[0-9a-f]{8}$/);
    expect(table.resolve(names[1]!)).toEqual({ service: 'a', name: 'b_c' });
  });
});
