# syntax=docker/dockerfile:1

# One image for both processes:
#   API:       node dist/apps/api/src/main.js        (default CMD, PORT 3000)
#   projector: node dist/apps/projector/src/main.js  (run with PORT=3001)
#   rebuild:   npm run rebuild:dist                  (the projector stopped; no compiler in the image)

# Node 24 LTS, pinned (a floating tag changes what "the same Dockerfile" builds).
ARG NODE_IMAGE=node:24.22.3-bookworm-slim

# ---- builder: the whole workspace (dev dependencies too), compiled: API to dist/, console to admin-ui/dist ----
FROM ${NODE_IMAGE} AS builder

# better-sqlite3 and argon2 are native addons: node-gyp needs these when no prebuilt binary fits.
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ \
 && rm -rf /var/lib/apt/lists/*

WORKDIR /app

# Manifests first, so the dependency layer is reused until they change.
COPY package.json package-lock.json ./
COPY admin-ui/package.json admin-ui/
RUN --mount=type=cache,target=/root/.npm npm ci --no-audit --no-fund

COPY . .
RUN npm run build

# ---- deps: the service's production dependencies only (the console ships built, not its packages) ----
FROM ${NODE_IMAGE} AS deps

RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ \
 && rm -rf /var/lib/apt/lists/*

WORKDIR /app
COPY package.json package-lock.json ./
COPY admin-ui/package.json admin-ui/
RUN --mount=type=cache,target=/root/.npm npm ci --omit=dev --workspaces=false --no-audit --no-fund
# --omit=dev still keeps a devDependency that a production package names as an optional peer
# (typescript, via cosmiconfig) and what the console's packages share with the dev tools: removed,
# so no compiler ships (npm run check:dockerfile checks the runtime against package-lock.json).
COPY scripts/prune-dev-packages.mjs scripts/
RUN node scripts/prune-dev-packages.mjs

# ---- runtime: production dependencies and build output only ----
FROM ${NODE_IMAGE} AS runtime

ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=3000

WORKDIR /app

# Code stays owned by root (read-only for the app); only the data folder is writable by `node`.
COPY --from=deps /app/package.json ./package.json
COPY --from=deps /app/node_modules ./node_modules
COPY --from=builder /app/dist ./dist
COPY --from=builder /app/admin-ui/dist ./admin-ui/dist
RUN mkdir -p /app/data && chown node:node /app/data

USER node

EXPOSE 3000

# No curl in the slim image: probe with Node's fetch. PORT lets the projector reuse it.
HEALTHCHECK --interval=10s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/health/ready',{signal:AbortSignal.timeout(4000)}).then(r=>process.exit(r.ok?0:1)).catch(()=>process.exit(1))"]

CMD ["node", "dist/apps/api/src/main.js"]
