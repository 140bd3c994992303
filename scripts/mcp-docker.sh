#!/usr/bin/env bash
# Manage the MCP gateway container (docker compose). Run from anywhere: paths are relative to the repo root.
#   ./scripts/mcp-docker.sh help
# The port comes from server.port in config.json (resolving "${MCP_PORT|8080}"); MCP_PORT overrides it and must
# then match what config.json makes the gateway listen on. MCP_CONFIG_FILE picks another config file.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
SERVICE="mcp-gateway"
CONFIG_FILE="${MCP_CONFIG_FILE:-config.json}"

die() {
  echo "mcp-docker: $*" >&2
  exit 1
}

# Prints server.port from the config, resolving ${VAR|default} against the environment.
config_port() {
  # shellcheck disable=SC2016 # the single-quoted text is JavaScript, not shell
  node -e '
    const fs = require("fs");
    const file = process.argv[1];
    let config;
    try { config = JSON.parse(fs.readFileSync(file, "utf8")); }
    catch (e) { console.error(`cannot read ${file}: ${e.message}`); process.exit(1); }
    let port = String((config.server && config.server.port) ?? "8080");
    const ref = /^\$\{(\w+)(?:\|([^}]*))?\}$/.exec(port);
    if (ref) port = process.env[ref[1]] || ref[2] || "8080";
    if (!/^\d+$/.test(port) || Number(port) < 1 || Number(port) > 65535) {
      console.error(`server.port in ${file} is not a port: ${port}`); process.exit(1);
    }
    process.stdout.write(port);
  ' "$CONFIG_FILE"
}

resolve_port() {
  command -v node >/dev/null 2>&1 || die "node is needed to read the port from $CONFIG_FILE (or set MCP_PORT)"
  [ -f "$CONFIG_FILE" ] || die "config file not found: $ROOT/$CONFIG_FILE"
  config_port || die "cannot read the port from $CONFIG_FILE"
}

compose() {
  if docker compose version >/dev/null 2>&1; then
    docker compose "$@"
  elif command -v docker-compose >/dev/null 2>&1; then
    docker-compose "$@"
  else
    die "neither 'docker compose' nor 'docker-compose' is available"
  fi
}

require_docker() {
  command -v docker >/dev/null 2>&1 || die "docker is not installed or not on PATH"
}

usage() {
  cat <<USAGE
Usage: $(basename "$0") <command> [options]

Commands:
  build          build the image (port $PORT passed as build arg MCP_PORT)
  start [-d]     start the gateway; -d runs it in the background
  stop           stop and remove the container
  restart        restart the running container
  logs [-f]      show logs; -f follows them
  status         show the container state and probe /health
  shell          open a shell inside the running container
  clean          remove the container, its volumes and the local image
  help           show this help

Port: $PORT (from ${MCP_PORT_SOURCE}); config: $CONFIG_FILE
USAGE
}

health() {
  if MCP_PORT="$PORT" node "$ROOT/scripts/healthcheck.mjs"; then
    echo "health: ok (port $PORT)"
  else
    echo "health: not answering on port $PORT"
    return 1
  fi
}

main() {
  cd "$ROOT"
  local command="${1:-help}"
  if [ $# -gt 0 ]; then shift; fi

  if [ -n "${MCP_PORT:-}" ]; then
    PORT="$MCP_PORT"
    MCP_PORT_SOURCE="MCP_PORT"
  else
    PORT="$(resolve_port)"
    MCP_PORT_SOURCE="$CONFIG_FILE"
  fi
  # docker compose resolves relative bind-mount paths against the compose file's folder (the repo root).
  case "$CONFIG_FILE" in
    /*) MCP_CONFIG_FILE="$CONFIG_FILE" ;;
    *) MCP_CONFIG_FILE="./$CONFIG_FILE" ;;
  esac
  export MCP_PORT="$PORT" MCP_CONFIG_FILE

  case "$command" in
    help | -h | --help) usage ;;
    build) require_docker && compose build --build-arg "MCP_PORT=$PORT" "$@" ;;
    start)
      require_docker
      if [ "${1:-}" = "-d" ]; then
        compose up -d --build
        echo "mcp-gateway started in the background on port $PORT ($(basename "$0") logs -f to follow)"
      else
        compose up --build
      fi
      ;;
    stop) require_docker && compose down ;;
    restart) require_docker && compose restart "$SERVICE" ;;
    logs)
      require_docker
      if [ "${1:-}" = "-f" ]; then compose logs -f "$SERVICE"; else compose logs "$SERVICE"; fi
      ;;
    status)
      require_docker
      compose ps
      health
      ;;
    shell) require_docker && compose exec "$SERVICE" /bin/bash ;;
    clean) require_docker && compose down --volumes --rmi local --remove-orphans ;;
    *)
      echo "mcp-docker: unknown command: $command" >&2
      usage >&2
      exit 2
      ;;
  esac
}

main "$@"
