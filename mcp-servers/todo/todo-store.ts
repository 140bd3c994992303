/** In-memory todo list owned by one server process (one call session). */

export type Priority = string;
export type TodoStatus = 'pending' | 'completed';

export interface Todo {
  id: number;
  text: string;
  priority: Priority;
  status: TodoStatus;
  created_at: string;
  completed_at?: string;
}

/** A tool failure whose message is returned to the client as a JSON-RPC error. */
export class TodoError extends Error {}

/** ISO timestamp in local time without a zone suffix, like Python's datetime.now().isoformat(). */
function localIsoNow(): string {
  const now = new Date();
  const shifted = new Date(now.getTime() - now.getTimezoneOffset() * 60_000);
  return shifted.toISOString().replace('Z', '');
}

export class TodoStore {
  private todos: Todo[] = [];
  private nextId = 1;

  add(text: unknown, priority: unknown): string {
    if (typeof text !== 'string' || text === '') throw new TodoError('Text is required');
    const todo: Todo = {
      id: this.nextId++,
      text,
      priority: typeof priority === 'string' && priority !== '' ? priority : 'medium',
      status: 'pending',
      created_at: localIsoNow(),
    };
    this.todos.push(todo);
    return `Added todo #${todo.id}: ${todo.text} (priority: ${todo.priority})`;
  }

  list(status: unknown): string {
    const filter = typeof status === 'string' && status !== '' ? status : 'all';
    const shown = filter === 'all' ? this.todos : this.todos.filter((t) => t.status === filter);
    if (shown.length === 0) return `No ${filter} todos found`;
    const lines = shown.map((t) => `\n${t.status === 'completed' ? '✓' : '○'} #${t.id} [${t.priority}] ${t.text}`);
    return `Todo List (${filter}):${lines.join('')}`;
  }

  complete(id: unknown): string {
    const todo = this.find(id);
    if (todo.status === 'completed') return `Todo #${todo.id} is already completed`;
    todo.status = 'completed';
    todo.completed_at = localIsoNow();
    return `Completed todo #${todo.id}: ${todo.text}`;
  }

  delete(id: unknown): string {
    const todo = this.find(id);
    this.todos = this.todos.filter((t) => t !== todo);
    return `Deleted todo #${todo.id}: ${todo.text}`;
  }

  clear(): string {
    const count = this.todos.length;
    this.todos = [];
    this.nextId = 1;
    return `Cleared ${count} todo(s)`;
  }

  /** Strict match: the string "1" does not match the id 1, as in the reference server. */
  private find(id: unknown): Todo {
    if (!id) throw new TodoError('ID is required');
    const todo = this.todos.find((t) => t.id === id);
    if (!todo) throw new TodoError(`Todo #${String(id)} not found`);
    return todo;
  }
}
