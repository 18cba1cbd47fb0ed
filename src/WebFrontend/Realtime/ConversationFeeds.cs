using System.Collections.Immutable;
using Chat.Grains.History;
using Chat.WebFrontend.Hubs;
using Microsoft.AspNetCore.SignalR;

namespace Chat.WebFrontend.Realtime;

/// <summary>
/// The conversation subscriptions of this node, reference counted by local connections: a message to a group of
/// 1000 costs this node one stream event however many of its members are connected here.
/// </summary>
public sealed partial class ConversationFeeds(
    IClusterClient cluster,
    IHubContext<ChatHub, IChatClient> hub,
    LocalConnections local,
    ILogger<ConversationFeeds> logger)
{
    private readonly Dictionary<Guid, ConversationFeed> _feeds = [];
    private readonly Lock _gate = new();

    /// <summary>Takes a lease on the conversation's feed and adds the connection to its group (see <see cref="ConversationFeed.AddConnectionAsync"/>).</summary>
    public async Task AddConnectionAsync(Guid conversationId, string connectionId, long? fromSeq)
    {
        var feed = await AcquireAsync(conversationId);
        try
        {
            await feed.AddConnectionAsync(connectionId, fromSeq);
        }
        catch
        {
            await ReleaseAsync(conversationId);
            throw;
        }
    }

    /// <summary>Takes a connection whose user left out of the group (see <see cref="ConversationFeed.RemoveConnectionAsync"/>).</summary>
    public Task RemoveConnectionAsync(Guid conversationId, string connectionId, Guid userId, Guid by)
    {
        ConversationFeed? feed;
        lock (_gate)
        {
            _feeds.TryGetValue(conversationId, out feed);
        }

        return feed?.RemoveConnectionAsync(connectionId, userId, by) ?? Task.CompletedTask;
    }

    private async Task<ConversationFeed> AcquireAsync(Guid conversationId)
    {
        ConversationFeed feed;
        lock (_gate)
        {
            if (!_feeds.TryGetValue(conversationId, out feed!))
            {
                _feeds[conversationId] = feed = new ConversationFeed(conversationId, cluster, hub, local, logger);
            }

            feed.References++;
        }

        try
        {
            await feed.Started;
            return feed;
        }
        catch
        {
            await ReleaseAsync(conversationId); // a feed that never started must not be handed to the next caller
            throw;
        }
    }

    public async Task ReleaseAsync(Guid conversationId)
    {
        ConversationFeed? last = null;
        lock (_gate)
        {
            if (_feeds.TryGetValue(conversationId, out var feed) && --feed.References == 0)
            {
                _feeds.Remove(conversationId);
                last = feed;
            }
        }

        if (last is null)
        {
            return;
        }

        try
        {
            await last.Started;
        }
        catch
        {
            return; // it never subscribed, so there is nothing to stop
        }

        await last.StopAsync();
    }

    /// <summary>One batched query for the last seq of every conversation served here; each feed repairs itself.</summary>
    public async Task ProbeAsync()
    {
        var feeds = Snapshot();
        if (feeds.Length == 0)
        {
            return;
        }

        LogProbing(logger, feeds.Length);
        var lastSeqs = await cluster.GetGrain<IHistoryGrain>(0).GetLastSeqsAsync([.. feeds.Select(f => f.Id)]);
        foreach (var feed in feeds)
        {
            feed.Probe(lastSeqs.GetValueOrDefault(feed.Id));
        }
    }

    /// <summary>Renews every subscription: a gateway was lost or regained, so subscriptions may be dead.</summary>
    public void RenewAll()
    {
        foreach (var feed in Snapshot())
        {
            feed.Renew();
        }
    }

    private ImmutableArray<ConversationFeed> Snapshot()
    {
        lock (_gate)
        {
            return [.. _feeds.Values.Where(f => f.Started.IsCompletedSuccessfully)];
        }
    }

    [LoggerMessage(Level = LogLevel.Trace, Message = "Probing {Count} conversation(s)")]
    private static partial void LogProbing(ILogger logger, int count);
}
