#!/bin/sh
# Runs once, when the PostgreSQL volume is new: Chat connects as "chat", which owns its database and nothing else
# (no superuser, no CREATEDB, no CREATEROLE). The same statements set up an external server (docs/OPERATIONS.md).
set -eu
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname postgres <<SQL
CREATE ROLE chat LOGIN PASSWORD '$CHAT_PASSWORD' NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION;
CREATE DATABASE chat OWNER chat;
REVOKE ALL ON DATABASE chat FROM PUBLIC;
SQL
