#!/usr/bin/env python3
"""The todo MCP server in Python, standard library only: the bench's second server behind the gateway.

Newline-delimited JSON-RPC 2.0 on stdin/stdout with the same five tools, answers and DEBUG lines on stderr
as the project's Node todo server (mcp-servers/todo). Notifications get no reply, as JSON-RPC requires.
"""
import json
import sys
from datetime import datetime

ID_SCHEMA = {
    "type": "object",
    "properties": {"id": {"type": "integer", "description": "The todo item ID"}},
    "required": ["id"],
}
TOOLS = [
    {
        "name": "add_todo",
        "description": "Add a new todo item",
        "inputSchema": {
            "type": "object",
            "properties": {
                "text": {"type": "string", "description": "The todo item text"},
                "priority": {
                    "type": "string",
                    "description": "Priority level (low, medium, high)",
                    "enum": ["low", "medium", "high"],
                    "default": "medium",
                },
            },
            "required": ["text"],
        },
    },
    {
        "name": "list_todos",
        "description": "List all todo items",
        "inputSchema": {
            "type": "object",
            "properties": {
                "status": {
                    "type": "string",
                    "description": "Filter by status (all, pending, completed)",
                    "enum": ["all", "pending", "completed"],
                    "default": "all",
                }
            },
        },
    },
    {"name": "complete_todo", "description": "Mark a todo item as completed", "inputSchema": ID_SCHEMA},
    {"name": "delete_todo", "description": "Delete a todo item", "inputSchema": ID_SCHEMA},
    {"name": "clear_todos", "description": "Clear all todo items", "inputSchema": {"type": "object", "properties": {}}},
]


class ToolFailure(Exception):
    pass


class TodoList:
    def __init__(self):
        self.todos = []
        self.next_id = 1

    def find(self, args):
        todo_id = args.get("id")
        if not todo_id:
            raise ToolFailure("ID is required")
        for todo in self.todos:
            if todo["id"] == todo_id and type(todo_id) is int:
                return todo
        raise ToolFailure(f"Todo #{todo_id} not found")

    def add_todo(self, args):
        text = args.get("text")
        if not text:
            raise ToolFailure("Text is required")
        priority = args.get("priority", "medium")
        todo = {"id": self.next_id, "text": text, "priority": priority, "status": "pending", "created_at": datetime.now().isoformat()}
        self.todos.append(todo)
        self.next_id += 1
        return f"Added todo #{todo['id']}: {text} (priority: {priority})"

    def list_todos(self, args):
        status = args.get("status", "all")
        shown = [t for t in self.todos if status == "all" or t["status"] == status]
        if not shown:
            return f"No {status} todos found"
        lines = [f"Todo List ({status}):"]
        for t in shown:
            mark = "✓" if t["status"] == "completed" else "○"
            lines.append(f"{mark} #{t['id']} [{t['priority']}] {t['text']}")
        return "\n".join(lines)

    def complete_todo(self, args):
        todo = self.find(args)
        if todo["status"] == "completed":
            return f"Todo #{todo['id']} is already completed"
        todo["status"] = "completed"
        todo["completed_at"] = datetime.now().isoformat()
        return f"Completed todo #{todo['id']}: {todo['text']}"

    def delete_todo(self, args):
        todo = self.find(args)
        self.todos.remove(todo)
        return f"Deleted todo #{todo['id']}: {todo['text']}"

    def clear_todos(self, _args):
        count = len(self.todos)
        self.todos = []
        self.next_id = 1
        return f"Cleared {count} todo(s)"


def log(line):
    sys.stderr.write(f"{datetime.now().isoformat()} DEBUG todo-mcp: {line}\n")
    sys.stderr.flush()


def answer(todo_list, method, params):
    if method == "initialize":
        return {"protocolVersion": "2025-03-26", "capabilities": {"tools": {}}, "serverInfo": {"name": "todo-mcp", "version": "1.0.0"}}
    if method == "tools/list":
        return {"tools": TOOLS}
    if method == "tools/call":
        name = params.get("name")
        args = params.get("arguments") or {}
        log(f"Calling tool: {name} with {json.dumps(args)}")
        if name not in {t["name"] for t in TOOLS}:
            raise ToolFailure(f"Unknown tool: {name}")
        return {"content": [{"type": "text", "text": getattr(todo_list, name)(args)}]}
    if method in ("shutdown", "ping"):
        return {}
    raise LookupError(f"Method not found: {method}")


def main():
    todo_list = TodoList()
    for line in sys.stdin:
        if not line.strip():
            continue
        log(f"Received: {line.strip()}")
        try:
            message = json.loads(line)
        except ValueError as err:
            message = None
            reply = {"jsonrpc": "2.0", "id": None, "error": {"code": -32700, "message": f"Parse error: {err}"}}
        else:
            if "id" not in message:
                continue
            try:
                reply = {"jsonrpc": "2.0", "id": message["id"], "result": answer(todo_list, message.get("method"), message.get("params") or {})}
            except LookupError as err:
                reply = {"jsonrpc": "2.0", "id": message["id"], "error": {"code": -32601, "message": str(err)}}
            except Exception as err:  # noqa: BLE001 - every tool failure becomes a JSON-RPC error, as in the reference
                reply = {"jsonrpc": "2.0", "id": message["id"], "error": {"code": -32603, "message": str(err)}}
        text = json.dumps(reply)
        log(f"Sending: {text}")
        sys.stdout.write(text + "\n")
        sys.stdout.flush()
        if isinstance(message, dict) and message.get("method") == "shutdown":
            break


if __name__ == "__main__":
    main()
