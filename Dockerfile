# The API, relay and projector: one image, the process chosen by RUN_MODE
# (README, "Production engines"; docker-compose.yml runs all three).

ARG NODE_IMAGE=node:24-bookworm-slim

# --- build: compile, then keep only the production dependencies -----------
FROM ${NODE_IMAGE} AS build
# npm runs node-gyp for better-sqlite3: a configure only where its package ships the addon
# prebuilt (linux x64/arm64, glibc and musl), a compile of SQLite elsewhere.
RUN apt-get update \
  && apt-get install -y --no-install-recommends python3 make g++ \
  && rm -rf /var/lib/apt/lists/*
WORKDIR /app
# bin/ is a workspace (the crm command, linked into node_modules/.bin): npm ci needs its package.json.
COPY package.json package-lock.json ./
COPY bin/package.json ./bin/
RUN npm ci --no-audit --no-fund
COPY tsconfig.base.json tsconfig.build.json nest-cli.json ./
COPY apps ./apps
COPY libs ./libs
COPY tools ./tools
RUN npm run build && npm prune --omit=dev --no-audit --no-fund

# --- runtime: node, the build and its dependencies, no compiler ------------
FROM ${NODE_IMAGE} AS runtime
ENV NODE_ENV=production \
    DATA_DIR=/data \
    PORT=3000
WORKDIR /app
COPY --from=build /app/package.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
# `npx crm <command>` in the container (docker compose exec api npx crm keys list).
COPY bin ./bin
# The key store, API keys and (embedded engines only) the SQLite files live in DATA_DIR.
RUN mkdir -p /data && chown node:node /data
USER node
VOLUME ["/data"]
EXPOSE 3000
# GET /health/ready on this container's own HOST and PORT, with node (the image has no curl).
HEALTHCHECK --interval=10s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "dist/apps/api/src/healthcheck.js"]
CMD ["node", "dist/apps/api/src/main.js"]
