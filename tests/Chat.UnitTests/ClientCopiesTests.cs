using System.Text.Json;
using Chat.Chaos;

namespace Chat.UnitTests;

/// <summary>
/// The chaos client's rule for events that arrive while it catches up: nothing is applied over a gap, so a copy that
/// differs from the database is the server's fault, never the checker's.
/// </summary>
public sealed class ClientCopiesTests
{
    private static readonly Guid Me = Guid.NewGuid();
    private static readonly Guid Other = Guid.NewGuid();
    private static readonly Guid Conversation = Guid.NewGuid();

    private readonly List<object?> _rereads = [];
    private readonly ClientCopies _copies;

    public ClientCopiesTests()
    {
        _copies = new(Me, _rereads.Add);
        _copies.Conversations[Conversation] = new ConversationCopy();
    }

    [Fact]
    public void WhatFollowsBeingReadmittedWaitsForTheCatchUpFromWhereTheCopyStopped()
    {
        _copies.Conversations[Conversation].Version = 5;
        _copies.Conversations[Conversation].IsMember = false; // removed at version 5
        var connection = new object();

        // A reconnect's catch-up (the copy is not a member: nothing to read), with the readmission arriving meanwhile.
        _copies.Hold();
        _copies.BeginRead();
        _copies.Receive(connection, "memberAdded", Event(8, new { userId = Me, by = Other }));
        _copies.Receive(connection, "messageReceived", Message(9, seq: 3));
        _copies.EndCatchUp();

        Assert.Equal([connection], _rereads);
        Assert.True(_copies.Holding);
        Assert.Equal(5, _copies.Conversations[Conversation].Version);
        Assert.Equal(5, _copies.BeginRead()[Conversation]); // what happened while away (seq 2 deleted at 7) is read
        _copies.ApplyChanges(Changes(version: 8, Message(7, seq: 2, deleted: true)));
        _copies.Receive(connection, "messageReceived", Message(9, seq: 3));
        _copies.EndCatchUp();

        Assert.False(_copies.Holding);
        Assert.Equal(9, _copies.Conversations[Conversation].Version);
        Assert.Equal("(deleted)", _copies.Conversations[Conversation].Messages[2]);
        Assert.Equal("m9|", _copies.Conversations[Conversation].Messages[3]);
    }

    [Fact]
    public void AFailedReadKeepsHoldingUntilARead()
    {
        _copies.Hold();
        _copies.BeginRead();
        _copies.Receive(null, "messageReceived", Message(1, seq: 1));
        _copies.Receive(null, "messageDeleted", Event(2, new { seq = 1 })); // the read failed: no EndCatchUp

        Assert.True(_copies.Holding);
        Assert.Equal(0, _copies.Conversations[Conversation].Version);
    }

    [Fact]
    public void AReadCoversWhatArrivedBeforeItAndWhatFollowsIsAppliedAfterIt()
    {
        _copies.Hold();
        _copies.Receive(null, "messageReceived", Message(1, seq: 1));
        Assert.Equal(0, _copies.BeginRead()[Conversation]);
        _copies.Receive(null, "messageDeleted", Event(3, new { seq = 1 }));
        _copies.ApplyChanges(Changes(version: 2, Message(2, seq: 1, content: "edited")));
        _copies.EndCatchUp();

        Assert.Equal(3, _copies.Conversations[Conversation].Version);
        Assert.Equal("(deleted)", _copies.Conversations[Conversation].Messages[1]);
    }

    [Fact]
    public void TwoCatchUpsReleaseWhatWasHeldOnlyWhenBothHaveRead()
    {
        _copies.Hold();
        _copies.Hold();
        _copies.BeginRead();
        _copies.Receive(null, "messageReceived", Message(1, seq: 1));
        _copies.ApplyChanges(Changes(version: 0));
        _copies.EndCatchUp();

        Assert.True(_copies.Holding);
        Assert.Empty(_copies.Conversations[Conversation].Messages);
    }

    private static JsonElement Event(long version, object fields)
    {
        var payload = JsonSerializer.SerializeToNode(fields)!.AsObject();
        payload["conversationId"] = Conversation;
        payload["version"] = version;
        return JsonSerializer.SerializeToElement(payload);
    }

    private static JsonElement Message(long version, long seq, bool deleted = false, string? content = null) => Event(version, new
    {
        seq,
        senderId = Other,
        content = content ?? $"m{version}",
        deletedAt = deleted ? "2026-11-29T00:00:00Z" : null,
        reactions = Array.Empty<object>(),
    });

    private static Dictionary<Guid, JsonElement> Changes(long version, params JsonElement[] messages) => new()
    {
        [Conversation] = JsonSerializer.SerializeToElement(new { isMember = true, version, hasMore = false, messages, receipts = Array.Empty<object>(), members = (object?)null }),
    };
}
