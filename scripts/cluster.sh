#!/usr/bin/env bash
# Several instances on one machine, behind nginx, sharing Redis:
#
#   scripts/cluster.sh up [N] [--gateways M]   # nginx + redis-server + N agents/todo-agent.ts (+ M mcp-gateways)
#   scripts/cluster.sh down                    # stops everything `up` started (by the pids it wrote)
#
# Every SWAIG webhook of a call carries the call id (`?call_id=`), which nginx hashes on (`hash $arg_call_id
# consistent`), so a call stays on one agent. With --gateways, the agents' mcp_gateway skill talks to M standalone
# gateways behind a second nginx upstream hashed on the X-MCP-Session-Id header. Without it, each agent runs its
# own embedded gateway. Redis holds the rate-limit counters and which MCP sessions are live (so a call whose agent
# died is told its MCP state was reset).
#
# Environment:
#   CLUSTER_DIR        run directory: pids, logs, generated nginx config, cluster.env (default /tmp/mcp-cluster)
#   CLUSTER_PORT       public nginx port (default 8000); agents listen on CLUSTER_PORT+1..N, the gateways' nginx
#                      on CLUSTER_PORT+100 and the gateways on CLUSTER_PORT+101..M, Redis on CLUSTER_PORT+200
#   SWML_BASIC_AUTH_USER / SWML_BASIC_AUTH_PASSWORD   shared by every agent (generated when unset)
#   SWML_TOKEN_SECRET  shared HMAC key of the function tokens (generated when unset)
#   SWML_DRAIN_TIMEOUT / MCP_DRAIN_TIMEOUT             graceful drain on SIGTERM, seconds (default 300)
#   CLUSTER_GATEWAY_CONFIG                             gateway config file (default config.json)
#   CLUSTER_READY_TIMEOUT  seconds `up` waits for every instance to answer /ready (default 120)
#   NGINX              nginx binary (default: nginx on PATH, else /usr/sbin/nginx)
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DIR="${CLUSTER_DIR:-/tmp/mcp-cluster}"
PORT="${CLUSTER_PORT:-8000}"
NGINX_BIN="${NGINX:-$(command -v nginx || echo /usr/sbin/nginx)}"
GATEWAY_CONFIG="${CLUSTER_GATEWAY_CONFIG:-$ROOT/config.json}"

die() {
  echo "cluster: $*" >&2
  exit 1
}

usage() {
  echo "usage: $0 up [N] [--gateways M] | down" >&2
  exit 2
}

random_secret() {
  node -e 'process.stdout.write(require("node:crypto").randomBytes(24).toString("base64url"))'
}

# Waits until every URL answers 200 (one node process polls them all; at most CLUSTER_READY_TIMEOUT seconds).
wait_ready() {
  node - "${CLUSTER_READY_TIMEOUT:-120}" "$@" <<'EOF'
const [limit, ...urls] = process.argv.slice(2);
const deadline = Date.now() + Number(limit) * 1000;
const ok = async (url) => {
  try {
    return (await fetch(url, { signal: AbortSignal.timeout(2000) })).status === 200;
  } catch {
    return false;
  }
};
(async () => {
  for (const url of urls) {
    while (!(await ok(url))) {
      if (Date.now() > deadline) {
        console.error(`cluster: ${url} is not ready after ${limit} s`);
        process.exit(1);
      }
      await new Promise((r) => setTimeout(r, 200));
    }
  }
})();
EOF
}

# start NAME CMD...: runs CMD in the background with its output in NAME.log and its pid in NAME.pid.
start() {
  local name="$1"
  shift
  nohup "$@" >"$DIR/$name.log" 2>&1 </dev/null &
  echo "$!" >"$DIR/$name.pid"
}

# Upstream lines for nginx: one `server` per port. max_fails=0: a draining instance answers 503 on purpose (nginx
# retries those requests elsewhere) and must not be marked down, or the calls it still serves would move.
upstream_servers() {
  local port
  for port in "$@"; do
    printf '    server 127.0.0.1:%s max_fails=0;\n' "$port"
  done
}

proxy_block() {
  cat <<EOF
      proxy_pass http://$1;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header Host \$http_host;
      proxy_set_header X-Forwarded-Host \$http_host;
      proxy_set_header X-Forwarded-Proto \$scheme;
      proxy_connect_timeout 2s;
      proxy_read_timeout 120s;
      # A refused connection (instance gone) or a 503 (instance draining) is retried on the next instance;
      # never a timeout, which could run a tool call twice.
      proxy_next_upstream error http_503 non_idempotent;
      proxy_next_upstream_tries 3;
      add_header X-Upstream \$upstream_addr always;
EOF
}

write_nginx_conf() {
  local gateways="$1"
  shift
  local agent_ports=("$@")
  local user_line=""
  # As root, workers drop to nobody (Debian's group is nogroup); unprivileged, nginx runs as the caller.
  [ "$(id -u)" -eq 0 ] && user_line="user nobody nogroup;"
  mkdir -p "$DIR/nginx-temp"
  chmod 0777 "$DIR/nginx-temp"
  {
    cat <<EOF
$user_line
worker_processes 2;
pid $DIR/nginx.pid;
error_log $DIR/nginx-error.log warn;
events { worker_connections 1024; }
http {
  access_log off;
  client_body_temp_path $DIR/nginx-temp/body;
  proxy_temp_path $DIR/nginx-temp/proxy;
  fastcgi_temp_path $DIR/nginx-temp/fastcgi;
  uwsgi_temp_path $DIR/nginx-temp/uwsgi;
  scgi_temp_path $DIR/nginx-temp/scgi;
  client_max_body_size 10m;
  client_body_buffer_size 1m;

  upstream agents {
    hash \$arg_call_id consistent;
$(upstream_servers "${agent_ports[@]}")
    keepalive 32;
  }
  server {
    listen 127.0.0.1:$PORT;
    location / {
$(proxy_block agents)
    }
  }
EOF
    if [ "$gateways" -gt 0 ]; then
      local gw_ports=()
      local i
      for ((i = 1; i <= gateways; i++)); do gw_ports+=("$((PORT + 100 + i))"); done
      cat <<EOF

  upstream gateways {
    hash \$http_x_mcp_session_id consistent;
$(upstream_servers "${gw_ports[@]}")
    keepalive 32;
  }
  server {
    listen 127.0.0.1:$((PORT + 100));
    location / {
$(proxy_block gateways)
    }
  }
EOF
    fi
    echo "}"
  } >"$DIR/nginx.conf"
}

up() {
  local agents=3 gateways=0
  while [ $# -gt 0 ]; do
    case "$1" in
      --gateways)
        [ $# -ge 2 ] || usage
        gateways="$2"
        shift 2
        ;;
      [0-9]*)
        agents="$1"
        shift
        ;;
      *) usage ;;
    esac
  done
  [[ "$agents" =~ ^[1-9][0-9]?$ ]] || die "N must be 1-99 agents"
  [[ "$gateways" =~ ^[0-9][0-9]?$ ]] || die "--gateways must be 0-99"
  [ -x "$NGINX_BIN" ] || die "nginx not found (Debian: apt-get install nginx)"
  command -v redis-server >/dev/null || die "redis-server not found (Debian: apt-get install redis-server)"
  [ -f "$ROOT/dist/todo-server.js" ] || (cd "$ROOT" && npm run --silent build:servers)
  if [ -f "$DIR/nginx.pid" ]; then die "a cluster is already running in $DIR (scripts/cluster.sh down first)"; fi
  mkdir -p "$DIR"
  chmod 0755 "$DIR"

  local user="${SWML_BASIC_AUTH_USER:-signalwire}"
  local password="${SWML_BASIC_AUTH_PASSWORD:-$(random_secret)}"
  local token_secret="${SWML_TOKEN_SECRET:-$(random_secret)}"
  local gateway_token gateway_password
  gateway_token="$(random_secret)"
  gateway_password="$(random_secret)"
  local redis_port=$((PORT + 200))
  local redis_url="redis://127.0.0.1:$redis_port"

  redis-server --port "$redis_port" --bind 127.0.0.1 --save '' --appendonly no --daemonize yes \
    --pidfile "$DIR/redis.pid" --logfile "$DIR/redis.log" --dir "$DIR"

  # Shared by agents (embedded gateways) and standalone gateways: Redis for rate limits and live sessions.
  export MCP_RATE_LIMIT_STORAGE="$redis_url" MCP_CLUSTER_REDIS="$redis_url"
  export MCP_DRAIN_TIMEOUT="${MCP_DRAIN_TIMEOUT:-300}" MCP_LOG_LEVEL="${MCP_LOG_LEVEL:-WARNING}"
  export MCP_AUTH_TOKEN="$gateway_token" MCP_AUTH_PASSWORD="$gateway_password"

  local i ready=()
  for ((i = 1; i <= gateways; i++)); do
    start "gateway-$i" node "$ROOT/bin/mcp-gateway.js" -c "$GATEWAY_CONFIG" --host 127.0.0.1 --port "$((PORT + 100 + i))"
    ready+=("http://127.0.0.1:$((PORT + 100 + i))/ready")
  done

  local agent_ports=() gateway_env=()
  if [ "$gateways" -gt 0 ]; then
    gateway_env=(MCP_GATEWAY_URL="http://127.0.0.1:$((PORT + 100))" MCP_GATEWAY_AUTH_TOKEN="$gateway_token")
  else
    # The SWML fetch has no routing key: the agent rendering it is not always the one the call is pinned to,
    # so an embedded gateway must not warm the call's session there.
    gateway_env=(MCP_GATEWAY_CONFIG="$GATEWAY_CONFIG" MCP_WARM_SESSIONS=false)
  fi
  for ((i = 1; i <= agents; i++)); do
    agent_ports+=("$((PORT + i))")
    start "agent-$i" env PORT="$((PORT + i))" SWML_BASIC_AUTH_USER="$user" SWML_BASIC_AUTH_PASSWORD="$password" \
      SWML_TOKEN_SECRET="$token_secret" SWML_DRAIN_TIMEOUT="${SWML_DRAIN_TIMEOUT:-300}" "${gateway_env[@]}" \
      node --import tsx "$ROOT/agents/todo-agent.ts"
    ready+=("http://127.0.0.1:$((PORT + i))/ready")
  done

  write_nginx_conf "$gateways" "${agent_ports[@]}"
  "$NGINX_BIN" -p "$DIR" -c "$DIR/nginx.conf" -e "$DIR/nginx-error.log"
  ready+=("http://127.0.0.1:$PORT/ready")
  (cd "$ROOT" && wait_ready "${ready[@]}") || {
    down
    die "start-up failed; logs were in $DIR"
  }

  local public="http://127.0.0.1:$PORT/"
  local with_credentials
  with_credentials="$(node -e 'const u = new URL(process.argv[1]); u.username = encodeURIComponent(process.argv[2]); u.password = encodeURIComponent(process.argv[3]); process.stdout.write(u.href)' "$public" "$user" "$password")"
  umask 077
  cat >"$DIR/cluster.env" <<EOF
PUBLIC_URL=$public
SWML_URL=$with_credentials
SWML_BASIC_AUTH_USER=$user
SWML_BASIC_AUTH_PASSWORD=$password
AGENT_PORTS=${agent_ports[*]}
GATEWAY_URL=$([ "$gateways" -gt 0 ] && echo "http://127.0.0.1:$((PORT + 100))")
GATEWAY_AUTH_TOKEN=$gateway_token
REDIS_URL=$redis_url
EOF
  echo "cluster: $agents agent(s)$([ "$gateways" -gt 0 ] && echo ", $gateways gateway(s)") behind nginx; logs and pids in $DIR"
  echo "SWML URL: $with_credentials"
}

# Stops one process by its pid file: SIGTERM (agents and gateways drain), then SIGKILL after the wait.
stop_pidfile() {
  local file="$1" wait_seconds="$2" pid i
  [ -f "$file" ] || return 0
  pid="$(cat "$file")"
  if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
    kill -TERM "$pid" 2>/dev/null || true
    for ((i = 0; i < wait_seconds * 10; i++)); do
      kill -0 "$pid" 2>/dev/null || break
      sleep 0.1
    done
    kill -KILL "$pid" 2>/dev/null || true
  fi
  rm -f "$file"
}

down() {
  [ -d "$DIR" ] || return 0
  local file
  # The instances first, while nginx still routes the calls each is draining; then nginx, Redis last.
  for file in "$DIR"/agent-*.pid "$DIR"/gateway-*.pid; do
    [ -e "$file" ] || continue
    stop_pidfile "$file" "${CLUSTER_STOP_WAIT:-30}" &
  done
  wait
  stop_pidfile "$DIR/nginx.pid" 10
  stop_pidfile "$DIR/redis.pid" 10
  rm -f "$DIR/cluster.env"
  echo "cluster: stopped ($DIR)"
}

case "${1:-}" in
  up)
    shift
    up "$@"
    ;;
  down) down ;;
  *) usage ;;
esac
