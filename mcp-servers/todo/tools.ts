/** Tool definitions of the todo server, in the order and with the schemas of the reference server. */

const idSchema = {
  type: 'object',
  properties: { id: { type: 'integer', description: 'The todo item ID' } },
  required: ['id'],
} as const;

export const TODO_TOOLS = [
  {
    name: 'add_todo',
    description: 'Add a new todo item',
    inputSchema: {
      type: 'object',
      properties: {
        text: { type: 'string', description: 'The todo item text' },
        priority: {
          type: 'string',
          description: 'Priority level (low, medium, high)',
          enum: ['low', 'medium', 'high'],
          default: 'medium',
        },
      },
      required: ['text'],
    },
  },
  {
    name: 'list_todos',
    description: 'List all todo items',
    inputSchema: {
      type: 'object',
      properties: {
        status: {
          type: 'string',
          description: 'Filter by status (all, pending, completed)',
          enum: ['all', 'pending', 'completed'],
          default: 'all',
        },
      },
    },
  },
  { name: 'complete_todo', description: 'Mark a todo item as completed', inputSchema: idSchema },
  { name: 'delete_todo', description: 'Delete a todo item', inputSchema: idSchema },
  { name: 'clear_todos', description: 'Clear all todo items', inputSchema: { type: 'object', properties: {} } },
];
