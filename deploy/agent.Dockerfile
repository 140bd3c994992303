# The todo agent (agents/todo-agent.ts) with its embedded MCP gateway; used by deploy/docker-compose.cluster.yml.
# Build from the repository root: docker build -f deploy/agent.Dockerfile .
FROM node:20-slim

ENV NODE_ENV=production \
    PORT=3000

# tini reaps the MCP servers' processes and passes SIGTERM on (the agent drains, then exits 0);
# bubblewrap confines the MCP servers of the embedded gateway.
RUN apt-get update \
    && apt-get install -y --no-install-recommends tini bubblewrap \
    && rm -rf /var/lib/apt/lists/*

WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund \
    && npm rebuild esbuild \
    && npm cache clean --force

COPY tsconfig.json config.json ./
COPY bin/ ./bin/
COPY src/ ./src/
COPY gateway/ ./gateway/
COPY skills/ ./skills/
COPY agents/ ./agents/
COPY mcp-servers/ ./mcp-servers/
COPY schemas/ ./schemas/
RUN npm run build:servers \
    && mkdir -p /app/sandbox \
    && chown -R node:node /app/sandbox

USER node
EXPOSE 3000
HEALTHCHECK --interval=10s --timeout=3s --start-period=20s --retries=3 \
    CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 3000) + '/ready').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
ENTRYPOINT ["/usr/bin/tini", "--"]
CMD ["node", "--import", "tsx", "agents/todo-agent.ts"]
