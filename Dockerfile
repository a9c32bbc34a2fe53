# The service as an image: Node 24, production dependencies only, run as the unprivileged `node` user.
# One image for every process role; the command picks it (compose.yaml does, like the Procfile):
#   node scripts/start.ts                 web + every stage in one process (the default)
#   node scripts/start.ts --role web      webhooks, admin, /health, /ready
#   node scripts/start.ts --role worker   the stages in WORKER_STAGES
#   node scripts/migrate.ts               the migrations (once per deploy)
# Node runs the TypeScript directly (type stripping): there is no build step.

FROM node:24-bookworm-slim AS dependencies
WORKDIR /app
COPY package.json package-lock.json ./
COPY patches ./patches
# every dependency first: postinstall runs patch-package (a devDependency), which patches postgres.js
# (patches/, README *Reliability*); then the devDependencies go, the patched files stay
RUN npm ci --no-audit --no-fund && npm prune --omit=dev --no-audit --no-fund && npm cache clean --force

FROM node:24-bookworm-slim
ENV NODE_ENV=production PORT=3000 HOST=0.0.0.0
WORKDIR /app
# owned by root, read by `node`: the process cannot rewrite its own code
COPY --from=dependencies /app/node_modules ./node_modules
COPY package.json ./
COPY src ./src
COPY scripts ./scripts
COPY workers ./workers
COPY migrations ./migrations
COPY data ./data
# the one place the service writes (npm run validate:pre keeps its session backups there)
RUN mkdir -p /app/backups && chown node:node /app/backups
USER node
EXPOSE 3000
# web: GET /ready; compose.yaml gives the worker services `--role worker`
HEALTHCHECK --interval=30s --timeout=10s --start-period=30s --retries=3 CMD ["node", "scripts/healthcheck.ts", "--role", "web"]
# exec form: node is the process Docker signals, and it drains on SIGTERM (README *Stop signals*)
STOPSIGNAL SIGTERM
CMD ["node", "scripts/start.ts"]
