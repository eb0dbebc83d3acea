# docker init's Go template (Docker docs, `docker init` -> Go), for the gin fixture. Offline
# changes only: no "# syntax=" line (would pull docker/dockerfile from Docker Hub),
# GO_VERSION 1.26 (the stand-in's Go), alpine:3.23 instead of :latest, no `apk add`
# (the stand-in already has the CA bundle; apk cannot reach its mirror) and the user appended
# to /etc/passwd instead of adduser (busybox-static has none); ARG GOPROXY lets the build
# reach the local module proxy.
ARG GO_VERSION=1.26
FROM --platform=$BUILDPLATFORM golang:${GO_VERSION} AS build
WORKDIR /src
ARG GOPROXY
RUN --mount=type=cache,target=/go/pkg/mod/ \
    --mount=type=bind,source=go.sum,target=go.sum \
    --mount=type=bind,source=go.mod,target=go.mod \
    go mod download -x
ARG TARGETARCH
RUN --mount=type=cache,target=/go/pkg/mod/ \
    --mount=type=bind,target=. \
    CGO_ENABLED=0 GOARCH=$TARGETARCH go build -o /bin/server .

FROM alpine:3.23 AS final
ARG UID=10001
RUN echo "appuser:x:${UID}:${UID}::/nonexistent:/sbin/nologin" >> /etc/passwd
USER appuser
COPY --from=build /bin/server /bin/
EXPOSE 8080
ENTRYPOINT [ "/bin/server" ]
