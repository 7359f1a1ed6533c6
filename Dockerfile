# The yunshu operator's image: `yunshu operator` (and `yunshu console`) on
# Node 24. The TypeScript sources are bundled into one module
# (scripts/bundle-operator.ts) rather than run directly, which would keep
# Node's type stripper in memory (32 MiB of resident memory, measured with
# `make bench`); the npm packages stay as they are, in node_modules. Build it
# from the repository root:
#
#   docker build -t <registry>/yunshu/operator:0.1.0 .
#
# It runs as uid 65532 with a read-only root filesystem (the chart sets
# readOnlyRootFilesystem): nothing here writes at runtime, and the code it
# runs belongs to root, so the process cannot change it.
ARG NODE_IMAGE=node:24-bookworm-slim

FROM ${NODE_IMAGE} AS dependencies
WORKDIR /app
COPY package.json package-lock.json ./
# Exactly the locked production dependencies; none of them needs an install
# script, so none runs. Only node_modules goes on to the final stage.
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund

# yunshu's bundle and the console's page (React and its libraries), both
# made by esbuild: built here with the development dependencies, of which
# only the bundles go on.
FROM ${NODE_IMAGE} AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY operator/ ./operator/
COPY console/ ./console/
# The page's request form compiles the TenantRequest CRD's schema.
COPY crds/ ./crds/
COPY scripts/bundle-operator.ts ./scripts/
RUN node scripts/bundle-operator.ts && node console/web/build.ts

FROM ${NODE_IMAGE}
ENV NODE_ENV=production
# A small young generation: measured with `make bench` (300 tenants x 3
# namespaces), RSS after convergence 304 MiB instead of 392 MiB at the same
# CPU. The chart adds a bound on the old generation (heapLimitMiB);
# tools/bench/bench.ts runs the operator with the chart's flags.
ENV NODE_OPTIONS=--max-semi-space-size=4
WORKDIR /app
COPY --from=dependencies /app/node_modules ./node_modules
# The version yunshu reports, and the root it finds its files from
# (operator/repository.ts); its "type": "module" is not needed by the .mjs.
COPY package.json ./
COPY --from=build /app/dist/yunshu.mjs ./dist/
# `yunshu console` serves the page.
COPY --from=build /app/console/web/dist ./console/web/dist
# `yunshu install` applies these; the console reads the TenantRequest CRD's schema.
COPY crds/ ./crds/
# `yunshu bill` evaluates the metering rules' own expressions.
COPY charts/yunshu/files/metering-rules.yaml ./charts/yunshu/files/
USER 65532:65532
EXPOSE 8080
ENTRYPOINT ["node", "dist/yunshu.mjs"]
CMD ["operator"]
