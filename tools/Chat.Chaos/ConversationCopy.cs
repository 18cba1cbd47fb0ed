using System.Text.Json;

namespace Chat.Chaos;

/// <summary>
/// One client's copy of one conversation, built only from what the server sent it: events, and GetChanges after a
/// (re)connect. Comparable with the same conversation read from PostgreSQL (<see cref="Snapshot"/>).
/// </summary>
internal sealed class ConversationCopy
{
    public Dictionary<long, string> Messages { get; } = [];
    public Dictionary<Guid, (long Delivered, long Read)> Receipts { get; } = [];
    public HashSet<Guid> Members { get; } = [];
    public long Version { get; set; }
    public bool IsMember { get; set; } = true;

    private long LastSeq => Messages.Count == 0 ? 0 : Messages.Keys.Max();

    public void Apply(string name, JsonElement payload)
    {
        switch (name)
        {
            case "messageReceived":
                var message = Describe(payload);
                Messages[message.Seq] = message.Text;
                var sender = payload.GetProperty("senderId").GetGuid();
                Receipts[sender] = Receipts.TryGetValue(sender, out var r)
                    ? (Math.Max(r.Delivered, message.Seq), Math.Max(r.Read, message.Seq))
                    : (message.Seq, message.Seq);
                break;
            case "messageEdited":
                var edited = Describe(payload);
                Messages[edited.Seq] = edited.Text;
                break;
            case "messageDeleted":
                Messages[payload.GetProperty("seq").GetInt64()] = "(deleted)";
                break;
            case "reactionsChanged":
                var seq = payload.GetProperty("seq").GetInt64();
                Messages[seq] = $"{Messages.GetValueOrDefault(seq, "?").Split('|')[0]}|{Reactions(payload)}";
                break;
            case "receiptsChanged":
                Receipts[payload.GetProperty("userId").GetGuid()] = (payload.GetProperty("deliveredSeq").GetInt64(), payload.GetProperty("readSeq").GetInt64());
                break;
            case "memberAdded":
                var added = payload.GetProperty("userId").GetGuid();
                Members.Add(added);
                Receipts[added] = (LastSeq, LastSeq);
                break;
            case "memberRemoved":
                var removed = payload.GetProperty("userId").GetGuid();
                Members.Remove(removed);
                Receipts.Remove(removed);
                break;
            case "conversationUpdated":
                SetMembers(payload.GetProperty("members"));
                break;
        }
    }

    /// <summary>Applies a <c>changes</c> (API.md): everything changed after this copy's version, as it is now.</summary>
    public void ApplyChanges(JsonElement changes)
    {
        IsMember = changes.GetProperty("isMember").GetBoolean();
        if (!IsMember)
        {
            return;
        }

        foreach (var message in changes.GetProperty("messages").EnumerateArray())
        {
            var (seq, text) = Describe(message);
            Messages[seq] = text;
        }

        if (changes.GetProperty("members") is { ValueKind: JsonValueKind.Array } members)
        {
            SetMembers(members);
        }

        foreach (var receipt in changes.GetProperty("receipts").EnumerateArray())
        {
            Receipts[receipt.GetProperty("userId").GetGuid()] = (receipt.GetProperty("deliveredSeq").GetInt64(), receipt.GetProperty("readSeq").GetInt64());
        }

        Version = Math.Max(Version, changes.GetProperty("version").GetInt64());
    }

    /// <summary>What differs from the stored conversation, or null when nothing does.</summary>
    public string? Compare(Snapshot.Conversation stored)
    {
        if (!Members.SetEquals(stored.Members.Keys))
        {
            return $"members {Members.Count} vs {stored.Members.Count} stored";
        }

        foreach (var (seq, text) in stored.Messages)
        {
            if (Messages.GetValueOrDefault(seq) != text)
            {
                return $"seq {seq}: '{Messages.GetValueOrDefault(seq) ?? "missing"}' vs '{text}' stored";
            }
        }

        foreach (var (user, watermarks) in stored.Members)
        {
            if (Receipts.GetValueOrDefault(user) != watermarks)
            {
                return $"receipts of {user}: {Receipts.GetValueOrDefault(user)} vs {watermarks} stored";
            }
        }

        return Messages.Keys.Except(stored.Messages.Keys).Any() ? "messages that are not stored" : null;
    }

    private void SetMembers(JsonElement members)
    {
        var now = members.EnumerateArray().Select(m => m.GetProperty("userId").GetGuid()).ToHashSet();
        foreach (var gone in Members.Except(now).ToList())
        {
            Receipts.Remove(gone);
        }

        Members.Clear();
        Members.UnionWith(now);
    }

    private static (long Seq, string Text) Describe(JsonElement message) => (
        message.GetProperty("seq").GetInt64(),
        message.GetProperty("deletedAt").ValueKind != JsonValueKind.Null ? "(deleted)" : $"{message.GetProperty("content").GetString()}|{Reactions(message)}");

    /// <summary>Reactions as "emoji:count" in emoji order, as <see cref="Snapshot"/> writes them.</summary>
    public static string Reactions(JsonElement payload) =>
        string.Join(",", payload.GetProperty("reactions").EnumerateArray()
            .Select(r => $"{r.GetProperty("emoji").GetString()}:{r.GetProperty("count").GetInt32()}").Order(StringComparer.Ordinal));
}
