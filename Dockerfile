# syntax=docker/dockerfile:1
# Personalization cluster silo: one container = one silo (one pod on EKS).
#   docker build -t personalization-silo:dev .
#   docker run --rm -p 8080:8080 personalization-silo:dev
# Without settings the silo runs alone (Cluster__Provider=localhost, Storage__Provider=memory); on Kubernetes
# deploy/k8s sets Redis clustering and storage, and POD_IP as the address other silos reach it at.
# The floating 10.0 tags carry the newest SDK feature band, which global.json (10.0.401, latestFeature) accepts;
# pin both images by digest in CI for reproducible builds.
ARG SDK_IMAGE=mcr.microsoft.com/dotnet/sdk:10.0
ARG RUNTIME_IMAGE=mcr.microsoft.com/dotnet/aspnet:10.0

FROM ${SDK_IMAGE} AS build
# The image's platform, as a .NET runtime identifier: the published assemblies are precompiled (ReadyToRun) for it.
ARG TARGETARCH=amd64
WORKDIR /src
# Restore in its own layer from the project files alone, so code edits reuse the downloaded packages.
# Keep this list in step with the ProjectReference closure of src/Silo (deploy/check-dockerfile.sh checks it).
COPY global.json Directory.Build.props Directory.Packages.props ./
COPY src/Silo/Personalization.Silo.csproj src/Silo/
COPY src/Api/Personalization.Api.csproj src/Api/
COPY src/Grains/Personalization.Grains.csproj src/Grains/
COPY src/Catalog.Aws/Personalization.Catalog.Aws.csproj src/Catalog.Aws/
COPY src/Aws/Personalization.Aws.csproj src/Aws/
COPY src/Orleans.Clustering.DynamoDB/Personalization.Orleans.Clustering.DynamoDB.csproj src/Orleans.Clustering.DynamoDB/
COPY src/Orleans.Persistence.DynamoDB/Personalization.Orleans.Persistence.DynamoDB.csproj src/Orleans.Persistence.DynamoDB/
RUN case "$TARGETARCH" in arm64) rid=linux-arm64 ;; *) rid=linux-x64 ;; esac \
    && dotnet restore src/Silo/Personalization.Silo.csproj -r "$rid" -p:PublishReadyToRun=true
# Everything else the build may read (sources, embedded samples); .dockerignore keeps tests, bench and deploy out.
COPY . .
# ReadyToRun: Orleans, the AWS SDK and the project's own assemblies arrive precompiled, so a new pod spends its first
# second serving rather than JIT-compiling (about 15 % less CPU to /ready, BENCHMARKS.md).
RUN case "$TARGETARCH" in arm64) rid=linux-arm64 ;; *) rid=linux-x64 ;; esac \
    && dotnet publish src/Silo/Personalization.Silo.csproj --configuration Release --no-restore \
        -r "$rid" --self-contained false -p:PublishReadyToRun=true \
        --output /app -p:UseAppHost=false

FROM ${RUNTIME_IMAGE} AS runtime
WORKDIR /app
# Server GC: a silo is a long-lived, allocation-heavy server process; the GC sizes its heaps to the
# container's CPU and memory limits. ASPNETCORE_HTTP_PORTS is the image default, stated because
# the probes and Services assume 8080.
ENV DOTNET_gcServer=1 \
    ASPNETCORE_HTTP_PORTS=8080
COPY --from=build /app ./
# APP_UID (1654) is the non-root user the .NET images ship; numeric so Kubernetes runAsNonRoot can verify it.
USER $APP_UID
# HTTP API, Orleans silo-to-silo (Cluster__SiloPort) and Orleans client gateway (Cluster__GatewayPort).
EXPOSE 8080 11111 30000
# Container-level readiness for plain Docker/Compose (Kubernetes uses its own probes on /health and /ready).
# The aspnet image has no curl; bash's /dev/tcp speaks just enough HTTP/1.1 to read the status line.
HEALTHCHECK --interval=10s --timeout=3s --start-period=30s --retries=3 \
    CMD ["bash", "-c", "exec 3<>/dev/tcp/127.0.0.1/8080 && printf 'GET /ready HTTP/1.1\\r\\nHost: localhost\\r\\nConnection: close\\r\\n\\r\\n' >&3 && head -n 1 <&3 | grep -q ' 200 '"]
ENTRYPOINT ["dotnet", "Personalization.Silo.dll"]
CMD ["serve"]
