import { describe, expect, it } from 'vitest';
import { answerText, failureText } from '../../../skills/mcp_gateway/result-text.js';

describe('SWAIG response text', () => {
  it('passes results through', () => {
    expect(answerText('todo', 'add_todo', { result: 'Added todo #1', is_error: false })).toBe('Added todo #1');
    expect(answerText('x', 'y', { result: '', is_error: false, structured_content: { a: 1 } })).toBe('{"a":1}');
    expect(answerText('todo', 'clear_todos', { result: '', is_error: false })).toBe('The todo service finished clear todos and returned nothing.');
  });

  it('words tool errors so the AI can say them', () => {
    expect(answerText('todo', 'complete_todo', { result: 'Todo #9 not found', is_error: true })).toBe(
      'The todo service could not complete todo: Todo #9 not found',
    );
    expect(answerText('everything', 'get-sum', { result: 'MCP error -32602: Invalid arguments', is_error: true })).toBe(
      'The everything service could not get sum: Invalid arguments',
    );
  });

  it('tells the AI when the service restarted and earlier state of the call is gone', () => {
    expect(answerText('todo', 'list_todos', { result: 'No all todos found', is_error: false, session_reset: true })).toBe(
      'No all todos found (Note: the todo service had to restart during this call, so anything it held from earlier in the call is gone.)',
    );
    expect(answerText('todo', 'list_todos', { result: 'No all todos found', is_error: false })).toBe('No all todos found');
  });

  it('words transport failures without internals', () => {
    expect(failureText('todo', 'add_todo', { kind: 'unreachable' })).toBe('The todo service is unavailable right now.');
    expect(failureText('todo', 'add_todo', { kind: 'timeout' })).toMatch(/took too long to add todo/);
    expect(failureText('todo', 'add_todo', { kind: 'http', status: 429 })).toMatch(/busy/);
    expect(failureText('todo', 'add_todo', { kind: 'http', status: 401, message: 'Unauthorized' })).toBe('The todo service is unavailable right now.');
    expect(failureText('todo', 'add_todo', { kind: 'http', status: 400, message: 'arguments must be a JSON object' })).toBe(
      'The todo service could not add todo: arguments must be a JSON object',
    );
  });
});
