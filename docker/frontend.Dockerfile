# The frontend image, with the web client built in. From the repository root:
#   docker build -f docker/frontend.Dockerfile -t chat-frontend .
FROM node:20-bookworm-slim AS webclient
WORKDIR /src/src/WebClient
COPY src/WebClient/package.json src/WebClient/package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY src/WebClient/ ./
RUN npm run build

FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
COPY global.json Directory.Build.props Directory.Packages.props ./
COPY src/ src/
COPY --from=webclient /src/src/WebClient/dist src/WebClient/dist
RUN dotnet publish src/WebFrontend/WebFrontend.csproj -c Release -o /app

# Chiseled: no shell, no package manager, a non-root user; "extra" adds ICU and time zones.
FROM mcr.microsoft.com/dotnet/aspnet:10.0-noble-chiseled-extra
WORKDIR /app
COPY --from=build /app .
USER $APP_UID
ENV ASPNETCORE_URLS=http://+:8080
EXPOSE 8080
ENTRYPOINT ["dotnet", "Chat.WebFrontend.dll"]
