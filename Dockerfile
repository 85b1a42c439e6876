# The hub as an image (used by docker-compose.yml). Not built in this repository's CI: see README "Run a cluster".
FROM node:20-bookworm-slim AS build
WORKDIR /app
# better-sqlite3 falls back to compiling when no prebuilt binary fits.
RUN apt-get update && apt-get install -y --no-install-recommends python3 make g++ && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
RUN npm ci
COPY tsconfig.json tsconfig.build.json nest-cli.json connectors.manifest.json ./
COPY src ./src
COPY sandbox ./sandbox
RUN npm run build && npm prune --omit=dev

FROM node:20-bookworm-slim
ENV NODE_ENV=production HUB_DATA_DIR=/data HUB_LOG_FORMAT=json
WORKDIR /app
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY package.json connectors.manifest.json ./
RUN mkdir -p /data && chown node:node /data
USER node
EXPOSE 3000
# SIGTERM drains (HUB_SHUTDOWN_TIMEOUT): node runs as PID 1 and handles it itself.
CMD ["node", "dist/src/main.js"]
