using System.Text.Json;

namespace Chat.Chaos;

/// <summary>
/// What one client knows of its conversations, and the rule for applying what arrives while a catch-up reads: events
/// are held from the moment a catch-up is wanted; a read covers every event that arrived before it began, so those
/// are dropped when it begins; the rest are applied once no catch-up is left, in the order they arrived. A read that
/// fails leaves its catch-up pending (the caller reads again), so nothing is applied over a gap. Being readmitted to a
/// conversation starts a catch-up from where the copy stopped, and what follows waits for it. No I/O here: the
/// caller reads, and serialises its calls (one lock).
/// </summary>
internal sealed class ClientCopies(Guid userId, Action<object?> catchUpWanted)
{
    private List<(object? Via, string Name, JsonElement Payload)>? _held;
    private int _pending;

    public Dictionary<Guid, ConversationCopy> Conversations { get; } = [];

    public bool Holding => _held is not null;

    /// <summary>A catch-up is wanted: from now on events wait for it.</summary>
    public void Hold()
    {
        _pending++;
        _held ??= [];
    }

    /// <summary>A catch-up's read begins: what was held so far is in it. Returns the versions to read from.</summary>
    public Dictionary<Guid, long> BeginRead()
    {
        _held?.Clear();
        return Conversations.ToDictionary(c => c.Key, c => c.Value.Version);
    }

    /// <summary>Applies one answer of GetChanges; returns the conversations to read again, from where they now stand.</summary>
    public Dictionary<Guid, long> ApplyChanges(IReadOnlyDictionary<Guid, JsonElement> changes)
    {
        foreach (var (id, change) in changes)
        {
            Conversations[id].ApplyChanges(change);
        }

        return changes.Where(c => c.Value.GetProperty("hasMore").GetBoolean()).ToDictionary(c => c.Key, c => Conversations[c.Key].Version);
    }

    /// <summary>A catch-up read everything; when it was the last, what was held meanwhile is applied.</summary>
    public void EndCatchUp()
    {
        if (--_pending > 0)
        {
            return;
        }

        var held = _held ?? [];
        _held = null;
        foreach (var (via, name, payload) in held)
        {
            Receive(via, name, payload); // being readmitted holds again what follows it
        }
    }

    /// <summary>An event that arrived on connection <paramref name="via"/>: held, or applied.</summary>
    public void Receive(object? via, string name, JsonElement payload)
    {
        if (_held is { } held)
        {
            held.Add((via, name, payload));
            return;
        }

        var conversationId = (payload.TryGetProperty("conversationId", out var id) ? id : payload.GetProperty("id")).GetGuid();
        var version = payload.GetProperty("version").GetInt64();
        if (!Conversations.TryGetValue(conversationId, out var copy) || version <= copy.Version)
        {
            return; // already in the copy (GetChanges read it)
        }

        var aboutMe = payload.TryGetProperty("userId", out var user) && user.ValueKind == JsonValueKind.String && user.GetGuid() == userId;
        if (name == "memberAdded" && aboutMe && !copy.IsMember)
        {
            // Back in: what happened while away is read from where the copy stopped, and what follows waits for it.
            copy.IsMember = true;
            Hold();
            catchUpWanted(via);
            return;
        }

        copy.Apply(name, payload);
        copy.Version = version;
        if (name == "memberRemoved" && aboutMe)
        {
            copy.IsMember = false;
        }
    }
}
