using Npgsql;

namespace Chat.Grains.Storage;

/// <summary>
/// The <c>conversation_heads</c> row holds a conversation's latest version. Every change statement moves it in the
/// same statement, from exactly the version before (compare-and-set), so the version a grain recovers on
/// activation is never behind a committed change, and two activations of one conversation can never both write
/// at one version: the stale one's statement rolls back with <see cref="StaleState"/>.
/// </summary>
internal static class ConversationHeads
{
    /// <summary>SQLSTATE raised by <c>chat_require_head</c> when the head was not at the version before.</summary>
    public const string StaleState = "40001";

    /// <summary>
    /// A CTE named <c>head</c> moving conversation <paramref name="conversation"/> to <paramref name="version"/> (SQL
    /// parameters, e.g. <c>$1</c>) from the version before it, only if the CTE <paramref name="when"/> has a row
    /// (always without one). <paramref name="info"/>: the change is to the conversation's own fields or roles.
    /// <paramref name="from"/>: the version it must be at, when the change took several (the one before by default).
    /// </summary>
    public static string Bump(string conversation, string version, string? when = null, bool info = false, string? from = null) => $"""
        head AS (
            INSERT INTO conversation_heads AS h (conversation_id, version, info_version)
            SELECT {conversation}::uuid, {version}::bigint, {(info ? version : "0")}::bigint {(when is null ? "" : $"FROM (SELECT 1 FROM {when} LIMIT 1) w")}
            ON CONFLICT (conversation_id) DO UPDATE
            SET version = EXCLUDED.version, info_version = GREATEST(h.info_version, EXCLUDED.info_version)
            WHERE h.version = {from ?? "EXCLUDED.version - 1"}
            RETURNING 1
        )
        """;

    /// <summary>A select-list expression failing the statement when <paramref name="when"/> changed something but the head did not move.</summary>
    public static string Check(string? when = null) =>
        when is null
            ? "chat_require_head(EXISTS (SELECT 1 FROM head))"
            : $"chat_require_head(NOT EXISTS (SELECT 1 FROM {when}) OR EXISTS (SELECT 1 FROM head))";

    /// <summary>A whole statement moving the head alone (a change stored elsewhere, or the members of a new conversation).</summary>
    public static NpgsqlBatchCommand Alone(Guid conversationId, long version, bool info) =>
        new($"WITH {Bump("$1", "$2", info: info)} SELECT {Check()}") { Parameters = { new() { Value = conversationId }, new() { Value = version } } };

    public static bool IsStale(Exception exception) => exception is PostgresException { SqlState: StaleState };
}
