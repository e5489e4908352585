# Dispute Autopilot: one image for every role. The command picks the role:
#   all (default: HTTP server + workers), server, or worker.
FROM node:20-bookworm-slim

ENV NODE_ENV=production
WORKDIR /app

# Dependencies first, so code changes do not invalidate the npm layer. tsx is a runtime dependency:
# the service runs its TypeScript directly, exactly as `npm start` does, with no build step to forget.
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force

COPY tsconfig.json ./
COPY src ./src
COPY workers ./workers

USER node
EXPOSE 3000

HEALTHCHECK --interval=15s --timeout=3s --start-period=20s --retries=3 \
  CMD node -e "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"

# node directly (not npm) so SIGTERM reaches the process and it can drain before exiting.
ENTRYPOINT ["node", "--import", "tsx", "src/main.ts"]
CMD ["all"]
