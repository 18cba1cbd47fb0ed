using Chat.Grains.Streams;
using Microsoft.Extensions.Options;

namespace Chat.WebFrontend.Realtime;

/// <summary>
/// Who is typing where, for this node's connections. Typing is never stored: a start goes out on the conversation's
/// stream at once, then at most once per <see cref="RealtimeOptions.TypingRepeat"/> while the client keeps
/// refreshing (so a fast typist does not flood a big group), and a stop goes out on StopTyping, on disconnect, or
/// when no refresh came for <see cref="RealtimeOptions.TypingTimeout"/>.
/// </summary>
public sealed class TypingTracker(IClusterClient cluster, IOptions<RealtimeOptions> options, TimeProvider clock)
{
    private readonly Lock _gate = new();
    private readonly Dictionary<(Guid ConversationId, Guid UserId), Typist> _typists = [];

    public async Task StartAsync(Guid conversationId, Guid userId, string connectionId)
    {
        var now = clock.GetUtcNow();
        bool publish;
        lock (_gate)
        {
            var key = (conversationId, userId);
            publish = !_typists.TryGetValue(key, out var typist) || now - typist.LastPublished >= options.Value.TypingRepeat;
            _typists[key] = new Typist(connectionId, now, publish ? now : typist!.LastPublished);
        }

        if (publish)
        {
            await PublishAsync(conversationId, userId, isTyping: true);
        }
    }

    public async Task StopAsync(Guid conversationId, Guid userId)
    {
        bool wasTyping;
        lock (_gate)
        {
            wasTyping = _typists.Remove((conversationId, userId));
        }

        if (wasTyping)
        {
            await PublishAsync(conversationId, userId, isTyping: false);
        }
    }

    /// <summary>A connection that goes away stops typing wherever it was.</summary>
    public Task DisconnectedAsync(string connectionId) => StopWhereAsync(t => t.ConnectionId == connectionId);

    /// <summary>Stops the typists whose last refresh is older than the timeout (run every second or so).</summary>
    public Task ExpireAsync()
    {
        var cutoff = clock.GetUtcNow() - options.Value.TypingTimeout;
        return StopWhereAsync(t => t.LastRefresh < cutoff);
    }

    private async Task StopWhereAsync(Func<Typist, bool> predicate)
    {
        List<(Guid ConversationId, Guid UserId)> stopped;
        lock (_gate)
        {
            stopped = [.. _typists.Where(t => predicate(t.Value)).Select(t => t.Key)];
            stopped.ForEach(key => _typists.Remove(key));
        }

        await Task.WhenAll(stopped.Select(key => PublishAsync(key.ConversationId, key.UserId, isTyping: false)));
    }

    private Task PublishAsync(Guid conversationId, Guid userId, bool isTyping) =>
        cluster.GetStreamProvider(ChatStreams.Provider).GetStream<ConversationEvent>(ChatStreams.Conversation(conversationId))
            .OnNextAsync(new TypingEvent(conversationId, userId, isTyping));

    private sealed record Typist(string ConnectionId, DateTimeOffset LastRefresh, DateTimeOffset LastPublished);
}
