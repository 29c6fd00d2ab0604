# PixelUnion: one image for every role (PIXELUNION_ROLE=all | api | worker).
# The server runs its TypeScript sources through tsx (a runtime dependency), so there is no
# compile step for the server; the web app is built by Vite here, at image build time.

FROM node:20-bookworm-slim AS build
WORKDIR /app
# better-sqlite3 compiles with node-gyp when its prebuilt binary cannot be fetched.
RUN apt-get update \
  && apt-get install -y --no-install-recommends python3 make g++ \
  && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
# Runtime dependencies only: vite, tsx and the React plugin are among them (they build the web
# app and run the server); TypeScript, vitest, eslint and the test tools are not.
RUN npm ci --omit=dev --no-audit --no-fund
COPY bin ./bin
COPY server ./server
COPY web ./web
COPY tsconfig.json ./
RUN npx vite build web

FROM node:20-bookworm-slim
# perl: exiftool-vendored runs ExifTool, a Perl program. tini: PID 1 that passes SIGTERM on and
# reaps exiftool's and ffmpeg's processes.
RUN apt-get update \
  && apt-get install -y --no-install-recommends perl tini \
  && rm -rf /var/lib/apt/lists/* \
  && mkdir -p /data \
  && chown node:node /data
WORKDIR /app
COPY --from=build /app/package.json /app/package-lock.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/bin ./bin
COPY --from=build /app/server ./server
COPY --from=build /app/tsconfig.json ./
COPY --from=build /app/web/dist ./web/dist
ENV NODE_ENV=production \
  PIXELUNION_DATA_DIR=/data \
  HOST=0.0.0.0 \
  PORT=8080
USER node
VOLUME ["/data"]
EXPOSE 8080
# Every role answers /api/health on PORT (a worker answers nothing else there).
HEALTHCHECK --interval=15s --timeout=5s --start-period=60s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||8080)+'/api/health').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
ENTRYPOINT ["/usr/bin/tini", "--", "node", "bin/pixelunion.mjs"]
CMD ["serve"]
