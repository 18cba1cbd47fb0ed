# One image for both roles; the container command picks the silo or the frontend.
#   docker build -t chat:dev .
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
COPY . .
RUN dotnet publish src/Silo/Silo.csproj -c Release -o /app/silo \
 && dotnet publish src/WebFrontend/WebFrontend.csproj -c Release -o /app/frontend

FROM mcr.microsoft.com/dotnet/aspnet:10.0
WORKDIR /app
COPY --from=build /app .
USER app
