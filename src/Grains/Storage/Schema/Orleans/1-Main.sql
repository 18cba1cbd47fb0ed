-- The query catalogue that every Orleans ADO.NET provider reads at start-up (ORLEANS-ADONET-CONTRACT.md §1).
-- Each feature script upserts its rows, so re-running a script replaces its queries with the current text.
CREATE TABLE IF NOT EXISTS OrleansQuery
(
    QueryKey  varchar(64) NOT NULL PRIMARY KEY,
    QueryText text        NOT NULL
);
