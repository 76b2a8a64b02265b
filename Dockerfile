# The NeuroMesh silo node image (the long-running node: `dotnet NeuroMesh.Silo.dll`, no verb).
#   docker build -t neuromesh-silo .
# Build stage: the .NET 10 SDK restores (project files first, so the restore layer is cached) and publishes the Silo.
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
COPY global.json Directory.Build.props Directory.Packages.props .editorconfig ./
COPY Grains.Abstractions/NeuroMesh.Grains.Abstractions.csproj Grains.Abstractions/
COPY Gpu/NeuroMesh.Gpu.csproj Gpu/
COPY Grains/NeuroMesh.Grains.csproj Grains/
COPY Silo/NeuroMesh.Silo.csproj Silo/
RUN dotnet restore Silo/NeuroMesh.Silo.csproj
COPY Grains.Abstractions/ Grains.Abstractions/
COPY Gpu/ Gpu/
COPY Grains/ Grains/
COPY Silo/ Silo/
RUN dotnet publish Silo/NeuroMesh.Silo.csproj -c Release --no-restore -o /app

# Runtime stage: ASP.NET Core runtime only, curl for the health check, and the image's non-root `app` user.
FROM mcr.microsoft.com/dotnet/aspnet:10.0 AS runtime
RUN apt-get update \
 && apt-get install -y --no-install-recommends curl \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY --from=build /app ./
RUN mkdir -p /app/data && chown "$APP_UID" /app/data
USER $APP_UID
# HTTP (health, /metrics), HTTPS (with NeuroMesh:Gateway:Https and an https:// Urls entry), silo-to-silo, client gateway.
ENV Urls=http://+:8080 \
    NeuroMesh__Clustering__SiloPort=11111 \
    NeuroMesh__Clustering__GatewayPort=30000 \
    DOTNET_gcServer=1
EXPOSE 8080 8443 11111 30000
HEALTHCHECK --interval=10s --timeout=3s --start-period=30s --retries=3 \
  CMD curl -fsS http://127.0.0.1:8080/health/live || exit 1
ENTRYPOINT ["dotnet", "NeuroMesh.Silo.dll"]
