# Standalone gateway image: the HTTP API on an Orleans client of the cluster (src/Gateway.Host).
# Build from the repository root: docker build -f deploy/gateway.Dockerfile -t model-governance/gateway .
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
COPY global.json Directory.Build.props Directory.Packages.props .editorconfig Cluster.sln ./
COPY src/ src/
RUN dotnet publish src/Gateway.Host/Governance.Gateway.Host.csproj -c Release -o /app --nologo

FROM mcr.microsoft.com/dotnet/aspnet:10.0
WORKDIR /app
COPY --from=build /app .
ENV ASPNETCORE_URLS=http://0.0.0.0:8080
EXPOSE 8080
USER $APP_UID
ENTRYPOINT ["dotnet", "Governance.Gateway.Host.dll"]
