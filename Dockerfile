# syntax=docker/dockerfile:1
# Build: a static binary (pure-Go SQLite, no cgo).
FROM golang:1.26 AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
ARG VERSION=dev
RUN CGO_ENABLED=0 go build -trimpath -ldflags "-s -w -X github.com/resultlinks/resultlinks/internal/cli.Version=${VERSION}" \
      -o /out/resultlinks ./cmd/resultlinks \
 && mkdir -p /out/data

# Run: no shell, no package manager, a non-root user, data on a volume.
FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/resultlinks /usr/local/bin/resultlinks
COPY --from=build --chown=65532:65532 /out/data /data
ENV RESULTLINKS_ADDR=0.0.0.0:8080 \
    RESULTLINKS_DATABASE_URL=sqlite:///data/resultlinks.db \
    RESULTLINKS_LOG_FORMAT=json
VOLUME ["/data"]
EXPOSE 8080
USER 65532:65532
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s CMD ["/usr/local/bin/resultlinks", "healthcheck", "--url", "http://127.0.0.1:8080/readyz"]
ENTRYPOINT ["/usr/local/bin/resultlinks"]
CMD ["serve"]
