# syntax=docker/dockerfile:1
# Production image: build with dev dependencies, run with production dependencies only.

FROM node:20-slim AS build
WORKDIR /app
# better-sqlite3 compiles from source when no prebuilt binary matches.
RUN apt-get update && apt-get install -y --no-install-recommends python3 make g++ && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
RUN npm ci
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
COPY seed ./seed
COPY bench ./bench
RUN npm run build && npm prune --omit=dev

FROM node:20-slim
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=3000 \
    DATABASE_PATH=/data/news.db
WORKDIR /app
COPY --from=build /app/package.json /app/package-lock.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY migrations ./migrations
COPY views ./views
COPY assets ./assets
COPY seed ./seed
# Litestream's configuration (REPLICA_URL); the VCL is for the cache nodes, not this image.
COPY deploy/litestream.yml ./deploy/litestream.yml
# Every command, from the build: `docker exec CONTAINER news import /data/stories.ndjson`.
COPY bin ./bin
RUN ln -s /app/bin/news.js /usr/local/bin/news && mkdir -p /data && chown node:node /data
USER node
VOLUME ["/data"]
EXPOSE 3000
HEALTHCHECK --interval=30s --timeout=3s --start-period=20s --retries=3 \
  CMD node -e "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
# Node's memory flags (README, Benchmarks): a small young generation and a capped old generation keep
# memory down; the old generation may double between full collections, which makes them rarer under
# bursts of searches. The benchmarks use the same list (SITE_NODE_FLAGS; tests/integration/start-flags.test.ts).
CMD ["node", "--max-semi-space-size=4", "--max-old-space-size=128", "--heap-growing-percent=100", "dist/src/server.js"]
