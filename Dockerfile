# MCP gateway image: `mcp-gateway -c config.json` as an unprivileged user.
# Build:  ./scripts/mcp-docker.sh build   (passes the port read from config.json as MCP_PORT)
# Plain:  docker build --build-arg MCP_PORT=8080 -t mcp-gateway .
FROM node:20-slim

# The port the gateway listens on inside the container; config.json's "${MCP_PORT|8080}" reads it.
# NODE_OPTIONS: the V8 flag bin/mcp-gateway.js's shebang gives when it is executed directly (a small young
# generation: ~25 MiB less RSS with 50 sessions); CMD runs `node bin/mcp-gateway.js`, which skips the shebang.
ARG MCP_PORT=8080
ENV NODE_ENV=production \
    NODE_OPTIONS=--max-semi-space-size=2 \
    MCP_HOST=0.0.0.0 \
    MCP_PORT=${MCP_PORT}

# tini reaps orphaned grandchildren of MCP servers and forwards signals; prlimit and setpriv (util-linux) are in
# the base image. bubblewrap gives each session its own namespaces and filesystem view, but only where the
# container may create namespaces: as the unprivileged user below, under Docker's default seccomp profile, the
# gateway warns at start-up that namespaces, filesystem, uid and memory_cgroup are missing. For every layer run
# it as root with --cap-add SYS_ADMIN --security-opt seccomp=unconfined --security-opt apparmor=unconfined and a
# writable cgroup (gateway/README.md, "Sandbox").
RUN apt-get update \
    && apt-get install -y --no-install-recommends tini bubblewrap \
    && rm -rf /var/lib/apt/lists/*

WORKDIR /app

# Dependencies first so source edits do not reinstall them. Scripts are skipped because `prepare` needs the
# sources; esbuild's own install step is then run explicitly.
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund \
    && npm rebuild esbuild \
    && npm cache clean --force

COPY tsconfig.json config.json ./
COPY bin/ ./bin/
COPY gateway/ ./gateway/
COPY mcp-servers/ ./mcp-servers/
COPY scripts/healthcheck.mjs ./scripts/healthcheck.mjs

# Build the bundled todo server and gateway (dist/; bin/mcp-gateway.js runs the bundle on plain node), and give
# the unprivileged user the per-session sandbox directory.
RUN npm run build:servers \
    && mkdir -p /app/sandbox /app/certs \
    && chown -R node:node /app/sandbox

USER node

EXPOSE ${MCP_PORT}

HEALTHCHECK --interval=30s --timeout=5s --start-period=15s --retries=3 \
    CMD ["node", "scripts/healthcheck.mjs"]

ENTRYPOINT ["/usr/bin/tini", "--"]
CMD ["node", "bin/mcp-gateway.js", "-c", "config.json"]
