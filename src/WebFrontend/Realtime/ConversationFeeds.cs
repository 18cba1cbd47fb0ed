using System.Collections.Immutable;
using Chat.Grains.History;
using Microsoft.Extensions.Options;

namespace Chat.WebFrontend.Realtime;

/// <summary>
/// The conversation subscriptions of this node and the leases on them: each connection holds one lease per
/// conversation it is in, taken and released together with that fact under one lock, so a message to a group of
/// 1000 costs this node one stream event however many of its members are connected here, and a feed stops exactly
/// when its last connection goes.
/// </summary>
public sealed partial class ConversationFeeds(
    IClusterClient cluster,
    LocalConnections local,
    IOptions<RealtimeOptions> options,
    RealtimeMetrics metrics,
    ILogger<ConversationFeeds> logger)
{
    private readonly Dictionary<Guid, ConversationFeed> _feeds = [];
    private readonly Dictionary<string, HashSet<Guid>> _leases = [];
    private readonly Lock _gate = new();

    /// <summary>The feeds open on this node.</summary>
    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _feeds.Count;
            }
        }
    }

    /// <summary>A new connection, in no conversation yet.</summary>
    public void Open(string connectionId)
    {
        lock (_gate)
        {
            _leases.TryAdd(connectionId, []);
        }
    }

    /// <summary>The connection went: every lease it held is released.</summary>
    public void Close(string connectionId)
    {
        List<ConversationFeed> feeds = [];
        lock (_gate)
        {
            if (!_leases.Remove(connectionId, out var conversations))
            {
                return;
            }

            foreach (var conversationId in conversations)
            {
                feeds.Add(_feeds[conversationId]);
                ReleaseLocked(conversationId);
            }
        }

        feeds.ForEach(feed => feed.RemoveConnection(connectionId));
    }

    /// <summary>Whether the connection is in the conversation (so its user is a member, as of joining).</summary>
    public bool IsIn(string connectionId, Guid conversationId)
    {
        lock (_gate)
        {
            return _leases.TryGetValue(connectionId, out var conversations) && conversations.Contains(conversationId);
        }
    }

    /// <summary>The conversations the connection is in.</summary>
    public IReadOnlyList<Guid> ConversationsOf(string connectionId)
    {
        lock (_gate)
        {
            return _leases.TryGetValue(connectionId, out var conversations) ? [.. conversations] : [];
        }
    }

    /// <summary>
    /// Puts a live connection in a conversation (see <see cref="ConversationFeed.AddConnectionAsync"/>); nothing when
    /// it is already in it or gone.
    /// </summary>
    public async Task JoinAsync(string connectionId, Guid userId, Guid conversationId, long? since)
    {
        ConversationFeed feed;
        lock (_gate)
        {
            if (!_leases.TryGetValue(connectionId, out var conversations) || !conversations.Add(conversationId))
            {
                return;
            }

            feed = AcquireLocked(conversationId);
        }

        try
        {
            await feed.Started;
            await feed.AddConnectionAsync(connectionId, userId, since);
        }
        catch
        {
            Drop(conversationId, [connectionId]);
            throw;
        }
    }

    /// <summary>Called by a feed as it forwards a user's <c>memberAdded</c>: that user's connections here join now, each with a lease.</summary>
    internal IReadOnlyList<string> Adopt(Guid conversationId, Guid userId)
    {
        List<string> adopted = [];
        lock (_gate)
        {
            foreach (var connectionId in local.ConnectionsOf(userId))
            {
                if (_leases.TryGetValue(connectionId, out var conversations) && conversations.Add(conversationId))
                {
                    AcquireLocked(conversationId);
                    adopted.Add(connectionId);
                }
            }
        }

        return adopted;
    }

    /// <summary>Takes connections out of a conversation (their user left it), releasing their leases.</summary>
    internal void Drop(Guid conversationId, IEnumerable<string> connectionIds)
    {
        lock (_gate)
        {
            foreach (var connectionId in connectionIds)
            {
                if (_leases.TryGetValue(connectionId, out var conversations) && conversations.Remove(conversationId))
                {
                    ReleaseLocked(conversationId);
                }
            }
        }
    }

    /// <summary>Asks the conversation's feed here, if any, to check that the user's connections are out (see <see cref="ConversationFeed.EnforceRemoval"/>).</summary>
    public void EnforceRemoval(Guid conversationId, Guid userId) => Find(conversationId)?.EnforceRemoval(userId);

    /// <summary>One batched query for the version of every conversation served here; each feed repairs itself.</summary>
    public async Task ProbeAsync()
    {
        var feeds = Snapshot();
        if (feeds.Length == 0)
        {
            return;
        }

        LogProbing(logger, feeds.Length);
        // An answer later than the next tick or two is not waited for: the next probe asks again. Waiting longer
        // held every repair of this node back when the call had gone to a silo that died with it.
        var versions = await cluster.GetGrain<IHistoryGrain>(0).GetVersionsAsync([.. feeds.Select(f => f.Id)]).WaitAsync(2 * options.Value.ProbeInterval);
        foreach (var feed in feeds)
        {
            feed.Probe(versions.GetValueOrDefault(feed.Id));
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

    private ConversationFeed? Find(Guid conversationId)
    {
        lock (_gate)
        {
            return _feeds.GetValueOrDefault(conversationId);
        }
    }

    private ConversationFeed AcquireLocked(Guid conversationId)
    {
        if (!_feeds.TryGetValue(conversationId, out var feed))
        {
            _feeds[conversationId] = feed = new ConversationFeed(conversationId, cluster, this, local, options.Value, metrics, logger);
        }

        feed.References++;
        return feed;
    }

    private void ReleaseLocked(Guid conversationId)
    {
        if (_feeds.TryGetValue(conversationId, out var feed) && --feed.References == 0)
        {
            _feeds.Remove(conversationId);
            // Not awaited: a feed may release its own last lease from inside its queue.
            _ = StopAsync(feed);
        }
    }

    private async Task StopAsync(ConversationFeed feed)
    {
        try
        {
            await feed.Started;
            await feed.StopAsync();
        }
        catch (Exception exception)
        {
            LogStopFailed(logger, exception, feed.Id);
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

    [LoggerMessage(Level = LogLevel.Debug, Message = "Conversation {ConversationId}: the feed never started or failed to stop cleanly")]
    private static partial void LogStopFailed(ILogger logger, Exception exception, Guid conversationId);
}
