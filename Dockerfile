# Entente in a container: build a release binary with the Swift standard
# library linked statically, then run it in a slim image with only the shared
# libraries it needs. The Swift version is the one CI tests with (.ci/run
# checks that the two agree, and builds this stage).
FROM swift:6.3.1-bookworm AS build
RUN apt-get update \
    && apt-get install -y --no-install-recommends libsqlite3-dev libssl-dev libcurl4-openssl-dev pkg-config \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /src
# SwiftPM loads the whole manifest, test targets included, even to build one product.
COPY Package.swift ./
COPY Sources ./Sources
COPY Tests ./Tests
RUN swift build -c release --static-swift-stdlib --product entente
COPY Migrations ./Migrations
COPY docs/openapi.yaml ./docs/openapi.yaml

FROM debian:bookworm-slim
# libsqlite3-0: storage; libssl3: libcrypto (token hashes, webhook signatures);
# libcurl4: FoundationNetworking's URLSession (webhook delivery, healthcheck).
RUN apt-get update \
    && apt-get install -y --no-install-recommends libsqlite3-0 libssl3 libcurl4 ca-certificates tzdata \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --system --uid 10001 --home-dir /data --shell /usr/sbin/nologin entente \
    && mkdir -p /data && chown entente:entente /data
COPY --from=build /src/.build/release/entente /usr/local/bin/entente
COPY --from=build /src/Migrations /usr/local/share/entente/Migrations
COPY --from=build /src/docs/openapi.yaml /usr/local/share/entente/docs/openapi.yaml
ENV ENTENTE_HOST=0.0.0.0 \
    ENTENTE_PORT=8080 \
    ENTENTE_DB=/data/entente.sqlite
USER 10001
WORKDIR /data
VOLUME ["/data"]
EXPOSE 8080
STOPSIGNAL SIGTERM
HEALTHCHECK --interval=15s --timeout=5s --start-period=10s --retries=3 CMD ["entente", "healthcheck"]
ENTRYPOINT ["entente"]
CMD ["serve"]
