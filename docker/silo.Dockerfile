# The silo image. From the repository root:   docker build -f docker/silo.Dockerfile -t chat-silo .
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
COPY global.json Directory.Build.props Directory.Packages.props ./
COPY src/ src/
RUN dotnet publish src/Silo/Silo.csproj -c Release -o /app

# Chiseled: no shell, no package manager, a non-root user; "extra" adds ICU and time zones.
FROM mcr.microsoft.com/dotnet/aspnet:10.0-noble-chiseled-extra
WORKDIR /app
COPY --from=build /app .
USER $APP_UID
# Orleans silo-to-silo, gateway (frontends), and HTTP (/metrics, /health/*).
EXPOSE 11111 30000 9464
ENTRYPOINT ["dotnet", "Chat.Silo.dll"]
