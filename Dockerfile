# Dispute Autopilot: one image for every role. The command picks the role:
#   all (default: HTTP server + workers), server, or worker.
# Operator commands run the same image: docker compose run --rm worker cli doctor

# Build stage: compile the TypeScript once (`npm run build` → dist/).
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
COPY workers ./workers
RUN npm run build

# Run stage: production dependencies and compiled JavaScript only (no TypeScript loader at run time).
FROM node:20-bookworm-slim
ENV NODE_ENV=production
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force
COPY --from=build /app/dist ./dist
COPY docker-entrypoint.sh /usr/local/bin/docker-entrypoint.sh

# Never root: the service needs no privileges, and a compromise should not get them.
USER node
EXPOSE 3000

HEALTHCHECK --interval=15s --timeout=3s --start-period=20s --retries=3 \
  CMD node -e "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"

# exec'd node (not npm), so SIGTERM reaches the process and it can drain before exiting.
ENTRYPOINT ["docker-entrypoint.sh"]
CMD ["all"]
