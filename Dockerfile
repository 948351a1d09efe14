# syntax=docker/dockerfile:1

# One image for both processes:
#   API:       node dist/apps/api/src/main.js        (default CMD, PORT 3000)
#   projector: node dist/apps/projector/src/main.js  (run with PORT=3001)

# ---- builder: full install (dev dependencies too), compile, then drop dev dependencies ----
FROM node:20-bookworm-slim AS builder

# better-sqlite3 and argon2 are native addons: node-gyp needs these when no prebuilt binary fits.
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ \
 && rm -rf /var/lib/apt/lists/*

WORKDIR /app

# Manifests first, so the dependency layer is reused until they change.
COPY package.json package-lock.json ./
COPY admin-ui/package.json admin-ui/
RUN --mount=type=cache,target=/root/.npm npm ci

COPY . .
# Builds the API to dist/ and the admin console to admin-ui/dist.
RUN npm run build \
 && npm prune --omit=dev

# ---- runtime: production dependencies and build output only ----
FROM node:20-bookworm-slim AS runtime

ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=3000

WORKDIR /app

# Code stays owned by root (read-only for the app); only the data folder is writable by `node`.
COPY --from=builder /app/package.json ./package.json
COPY --from=builder /app/node_modules ./node_modules
COPY --from=builder /app/dist ./dist
COPY --from=builder /app/admin-ui/dist ./admin-ui/dist
RUN mkdir -p /app/data && chown node:node /app/data

USER node

EXPOSE 3000

# No curl in the slim image: probe with Node's fetch. PORT lets the projector reuse it.
HEALTHCHECK --interval=10s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/health/ready',{signal:AbortSignal.timeout(4000)}).then(r=>process.exit(r.ok?0:1)).catch(()=>process.exit(1))"]

CMD ["node", "dist/apps/api/src/main.js"]
