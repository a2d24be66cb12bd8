# syntax=docker/dockerfile:1
# One image for every Ozhivlyator service; the command picks the executable:
#   ozh-gateway (default), ozh-generation-worker, ozh-payment-worker, ozh-admin, ozh-sandbox.
#
#   docker build -t ozhivlyator .
#   docker run --rm -e MONGO_URI=... -e REDIS_URL=... -e API_KEY=... -p 8000:8000 ozhivlyator
#   docker run --rm ... ozhivlyator ozh-generation-worker
#
# Both stages are Debian 12 (bookworm): the -dev packages the build links against and the
# runtime packages below come from the same release, so the sonames match.

ARG SWIFT_IMAGE=swift:6.3-bookworm
ARG RUNTIME_IMAGE=debian:bookworm-slim

# ---- build -------------------------------------------------------------------------------
FROM ${SWIFT_IMAGE} AS build
RUN apt-get update \
    && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
        pkg-config libhiredis-dev libmongoc-dev libbson-dev libcurl4-openssl-dev libmagickwand-dev \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /src
# Dependencies first: editing Sources/ does not fetch them again. Package.resolved is optional.
COPY Package.swift Package.resolve[d] ./
RUN swift package resolve
COPY . .
ARG PRODUCTS="ozh-gateway ozh-generation-worker ozh-payment-worker ozh-admin ozh-sandbox"
# Built with deploy/link/flags.sh: the Swift runtime linked in, lld with packed relative
# relocations, one section per function, and for each executable with a deploy/link/*.order the
# functions it runs while idle placed first (deploy/link/text-order.sh writes them): with that an
# idle generation worker's RSS went 42.3 -> 29.4-29.8 MB, a payment worker's 39.7 -> 28.9-29.9
# (bench/worker_rss.sh).
# Debug info is a quarter of each binary: it goes, the symbols stay (backtraces keep names).
# Resource bundles (Bundle.module) must sit next to the executables; there may be none.
RUN set -eu; \
    . deploy/link/flags.sh; \
    for product in $PRODUCTS; do \
        swift build -c release $RELEASE_FLAGS $(release_order_flags "$product") --product "$product"; \
    done; \
    bin=$(swift build -c release $RELEASE_FLAGS --show-bin-path); \
    mkdir -p /staging/bin; \
    for product in $PRODUCTS; do cp "$bin/$product" /staging/bin/; done; \
    strip --strip-debug /staging/bin/*; \
    find "$bin" -maxdepth 1 -name '*.resources' -exec cp -R {} /staging/bin/ \;

# ---- runtime -----------------------------------------------------------------------------
FROM ${RUNTIME_IMAGE}
# Only the shared libraries the executables load (the Swift runtime is linked in statically):
# hiredis 0.14, libmongoc/libbson 1.23, libcurl (OpenSSL), MagickWand 6 (its PNG/JPEG/WebP/GIF
# coders come with libmagickcore-6.q16-6), CA roots for Gemini/YooKassa, zone data for
# BONUS_TIME_ZONE.
RUN apt-get update \
    && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
        libhiredis0.14 libmongoc-1.0-0 libbson-1.0-0 libcurl4 libmagickwand-6.q16-6 \
        ca-certificates tzdata \
    && rm -rf /var/lib/apt/lists/* \
    && groupadd --system --gid 10001 ozh \
    && useradd --system --uid 10001 --gid ozh --home-dir /nonexistent --no-create-home --shell /usr/sbin/nologin ozh
COPY --from=build /staging/bin/ /usr/local/bin/
# Settings come from the environment (a ./.env is read too when present; none is shipped).
# libmongoc initialises itself when loaded and would map /dev/shm/mongoc-<pid> for counters we
# never read (left behind by a killed process, then a warning line for the next one with that pid).
ENV MONGOC_DISABLE_SHM=1
WORKDIR /app
USER 10001:10001
# 8000: the gateway's API, /health, /ready. 9091: a worker's /metrics, /health, /ready.
EXPOSE 8000 9091
# No HEALTHCHECK here: the same image runs services with different ports. docker-compose.yml
# and the Kubernetes probes check each one on its own port.
CMD ["ozh-gateway"]
