# Kefu server image. Build: docker build -t kefu .   Run several: see docker-compose.yml.
#
# Why a full `npm ci` and not `npm ci --omit=dev`: the server runs its TypeScript
# sources directly through tsx (`node --import tsx core/src/main.ts`), and tsx is
# a devDependency of the root package.json; the console (admin-ui) is built with
# Vite, also a devDependency. So the image keeps the complete install. Moving tsx
# to "dependencies" would allow `npm ci --omit=dev` in the runtime stage (smaller
# image) once the lock file is regenerated; until then this is the correct choice.
FROM node:20-slim AS build
WORKDIR /app
# Workspace manifests first, so dependency layers are cached across source edits.
COPY package.json package-lock.json ./
COPY config/package.json config/
COPY core/package.json core/
COPY admin-ui/package.json admin-ui/
COPY widget/package.json widget/
COPY plugins plugins
RUN npm ci --no-audit --no-fund
COPY . .
RUN npm run build:ui

FROM node:20-slim
# The image has no .git: the commit shown in 关于 (MENU-ABOUT-5) comes from the build.
ARG KEFU_BUILD_COMMIT
ENV KEFU_BUILD_COMMIT=$KEFU_BUILD_COMMIT \
    NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=3000 \
    KEFU_DATA_DIR=/data \
    LOG_LEVEL=info
WORKDIR /app
COPY --from=build --chown=node:node /app /app
RUN mkdir -p /data && chown node:node /data
USER node
VOLUME ["/data"]
EXPOSE 3000
HEALTHCHECK --interval=10s --timeout=3s --start-period=60s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:3000/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# SIGTERM drains sockets and HTTP, then closes the database (core/src/main.ts).
CMD ["node", "--import", "tsx", "core/src/main.ts"]
