# syntax=docker/dockerfile:1
# One image for every role: `start` (API + UI, the default), `worker` and any CLI command. Multi-stage: the
# build stage has the dev dependencies (tsc, vite); the runtime stage only the production ones, as a non-root
# user. No secret is baked in: configuration arrives through the environment (deploy/.env.example).
ARG NODE_IMAGE=node:24.20.0-trixie-slim

FROM ${NODE_IMAGE} AS build
WORKDIR /app
# Dependencies first, so a source change does not reinstall them. --ignore-scripts: `prepare` builds from
# sources that are not copied yet; the build runs explicitly below.
COPY package.json package-lock.json ./
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
COPY web ./web
COPY bin ./bin
COPY scripts/ensure-built.mjs scripts/ensure-built.d.mts ./scripts/
RUN npm run build \
  && npm prune --omit=dev --no-audit --no-fund

FROM ${NODE_IMAGE} AS runtime
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=8000 \
    STOCKOPS_HOME=/data
WORKDIR /app
COPY --from=build --chown=root:root /app/package.json ./
COPY --from=build --chown=root:root /app/node_modules ./node_modules
COPY --from=build --chown=root:root /app/dist ./dist
COPY --from=build --chown=root:root /app/web/dist ./web/dist
COPY --from=build --chown=root:root /app/bin ./bin
COPY --from=build --chown=root:root /app/scripts/ensure-built.mjs ./scripts/
# The data folder (embedded database, artifacts) is the only place the app writes; in the stack it is a volume.
RUN mkdir -p /data && chown node:node /data
USER node
EXPOSE 8000
# Liveness, as the orchestrators' probes use it; readiness (/api/ready) is for load balancers.
HEALTHCHECK --interval=10s --timeout=3s --start-period=90s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||8000)+'/api/health').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
ENTRYPOINT ["node", "bin/stockops.js"]
CMD ["start"]
