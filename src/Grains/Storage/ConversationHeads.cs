namespace Chat.Grains.Storage;

/// <summary>
/// The <c>conversation_heads</c> row holds a conversation's latest version. Every change statement moves it in the
/// same statement, so the version a grain recovers on activation is never behind a committed change.
/// </summary>
internal static class ConversationHeads
{
    /// <summary>
    /// A statement (for a CTE) moving the head of conversation <paramref name="conversation"/> to
    /// <paramref name="version"/> (SQL parameters, e.g. <c>$1</c>), only if the CTE <paramref name="when"/> has a row
    /// (always without one). <paramref name="info"/>: the change is to the conversation's own fields or roles.
    /// </summary>
    public static string Bump(string conversation, string version, string? when = null, bool info = false) => $"""
        INSERT INTO conversation_heads AS h (conversation_id, version, info_version)
        SELECT {conversation}::uuid, {version}::bigint, {(info ? version : "0")}::bigint {(when is null ? "" : $"FROM (SELECT 1 FROM {when} LIMIT 1) w")}
        ON CONFLICT (conversation_id) DO UPDATE
        SET version = GREATEST(h.version, EXCLUDED.version), info_version = GREATEST(h.info_version, EXCLUDED.info_version)
        """;
}
