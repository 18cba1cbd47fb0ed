using System.Threading.Channels;
using Chat.Grains.Conversations;
using Chat.Grains.History;
using Chat.Grains.Streams;
using Chat.WebFrontend.Api;
using Chat.WebFrontend.Hubs;
using Microsoft.AspNetCore.SignalR;
using Orleans.Streams;

namespace Chat.WebFrontend.Realtime;

/// <summary>
/// This node's one subscription to one conversation, shared by every local connection in it. Events go through
/// a single queue, so messages reach the SignalR group in seq order: a seq already forwarded is dropped, and a
/// seq beyond the next one first pulls the missing range from the log. The stream is therefore only a
/// doorbell; the log is what makes delivery complete.
/// </summary>
internal sealed partial class ConversationFeed
{
    private const int RepairBatch = 500;
    private static readonly TimeSpan RemovalGrace = TimeSpan.FromSeconds(5);
    private readonly Channel<object> _inbox = Channel.CreateUnbounded<object>(new UnboundedChannelOptions { SingleReader = true });
    private readonly IClusterClient _cluster;
    private readonly IHubContext<ChatHub, IChatClient> _hub;
    private readonly IChatClient _group;
    private readonly LocalConnections _local;
    private readonly ILogger _logger;
    private StreamSubscriptionHandle<ConversationEvent>? _subscription;
    private readonly HashSet<Guid> _removedUsers = []; // pump only: removals already announced to the group
    private readonly List<RemoveConnection> _pendingRemovals = []; // pump only: waiting for their announcement
    private long _forwarded;
    private long _lastProbe;
    private Task _pump = Task.CompletedTask;

    public ConversationFeed(Guid id, IClusterClient cluster, IHubContext<ChatHub, IChatClient> hub, LocalConnections local, ILogger logger)
    {
        (Id, _cluster, _hub, _local, _logger) = (id, cluster, hub, local, logger);
        _group = hub.Clients.Group(GroupName(id));
        Started = StartAsync();
    }

    public Guid Id { get; }

    /// <summary>Local connections using this feed; guarded by <see cref="ConversationFeeds"/>.</summary>
    public int References { get; set; }

    /// <summary>Completes once the subscription is live and the starting seq is known.</summary>
    public Task Started { get; }

    public long Forwarded => Volatile.Read(ref _forwarded);

    public static string GroupName(Guid conversationId) => $"c:{conversationId}";

    /// <summary>
    /// Lease check with the log's current last seq. Anything behind is fetched; if something committed before the
    /// previous probe has still not arrived, the stream is presumed dead and the subscription is renewed.
    /// </summary>
    public void Probe(long lastSeq)
    {
        var stale = _lastProbe > Forwarded;
        _lastProbe = lastSeq;
        _inbox.Writer.TryWrite(ExpireRemovals.Instance);
        if (lastSeq > Forwarded)
        {
            LogBehind(_logger, Id, Forwarded, lastSeq, stale);
            _inbox.Writer.TryWrite(new Repair(lastSeq, stale));
        }
    }

    /// <summary>
    /// Adds a local connection to the group through the queue, so no message is forwarded in between: first it
    /// receives, alone, the messages after <paramref name="fromSeq"/> that the group already got, then it joins.
    /// Without <paramref name="fromSeq"/> it starts at what the group has now (a client catches up with GetMissed).
    /// </summary>
    public Task AddConnectionAsync(string connectionId, long? fromSeq)
    {
        var added = new AddConnection(connectionId, fromSeq, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
        _inbox.Writer.TryWrite(added);
        return added.Done.Task;
    }

    /// <summary>
    /// Takes the connection of a user who left out of the group, after the group (the user included) has seen
    /// <c>memberRemoved</c>. The removal and its announcement travel on different streams, so whichever comes
    /// second completes it; if the announcement never comes, the connection is told directly after a grace period.
    /// </summary>
    public Task RemoveConnectionAsync(string connectionId, Guid userId, Guid by)
    {
        var removal = new RemoveConnection(connectionId, userId, by, DateTime.UtcNow + RemovalGrace,
            new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
        _inbox.Writer.TryWrite(removal);
        return removal.Done.Task;
    }

    /// <summary>Renews the subscription (after a gateway reconnect) and catches up from the log.</summary>
    public void Renew() => _inbox.Writer.TryWrite(new Repair(long.MaxValue, Resubscribe: true));

    public async Task StopAsync()
    {
        _inbox.Writer.TryComplete();
        await _pump;
        await UnsubscribeAsync();
    }

    private async Task StartAsync()
    {
        await SubscribeAsync();
        var lastSeqs = await History.GetLastSeqsAsync([Id]);
        _forwarded = _lastProbe = lastSeqs.GetValueOrDefault(Id);
        _pump = Task.Run(PumpAsync);
    }

    private IHistoryGrain History => _cluster.GetGrain<IHistoryGrain>(0);

    private async Task SubscribeAsync()
    {
        var stream = _cluster.GetStreamProvider(ChatStreams.Provider).GetStream<ConversationEvent>(ChatStreams.Conversation(Id));
        _subscription = await stream.SubscribeAsync((@event, _) =>
        {
            _inbox.Writer.TryWrite(@event);
            return Task.CompletedTask;
        });
    }

    private async Task UnsubscribeAsync()
    {
        try
        {
            if (_subscription is { } subscription)
            {
                await subscription.UnsubscribeAsync();
            }
        }
        catch (Exception exception)
        {
            LogUnsubscribeFailed(_logger, exception, Id);
        }
    }

    private async Task PumpAsync()
    {
        await foreach (var item in _inbox.Reader.ReadAllAsync())
        {
            try
            {
                switch (item)
                {
                    case MessageEvent { Message: var message }:
                        await ForwardAsync(message);
                        break;
                    // A change to a message never reaches a client before the message itself.
                    case MessageEditedEvent { Message: var edited }:
                        await CatchUpAsync(edited.Seq);
                        await _group.messageEdited(MessageDto.From(edited));
                        break;
                    case MessageDeletedEvent deleted:
                        await CatchUpAsync(deleted.Seq);
                        await _group.messageDeleted(new MessageDeletedDto(Id, deleted.Seq, DeleteScopes.Everyone));
                        break;
                    case ReactionsChangedEvent changed:
                        await CatchUpAsync(changed.Seq);
                        await _group.reactionsChanged(ReactionsDto.From(Id, changed.Seq, changed.Reactions));
                        break;
                    case MembershipEvent { Added: true } added:
                        _removedUsers.Remove(added.UserId);
                        await _group.memberAdded(new MembershipDto(Id, added.UserId, added.By));
                        break;
                    case MembershipEvent removed:
                        await _group.memberRemoved(new MembershipDto(Id, removed.UserId, removed.By));
                        _removedUsers.Add(removed.UserId);
                        foreach (var waiting in _pendingRemovals.Where(r => r.UserId == removed.UserId).ToList())
                        {
                            await LeaveGroupAsync(waiting);
                        }

                        break;
                    case RemoveConnection removal when _removedUsers.Contains(removal.UserId):
                        await LeaveGroupAsync(removal);
                        break;
                    case RemoveConnection removal:
                        _pendingRemovals.Add(removal);
                        break;
                    case ExpireRemovals:
                        foreach (var late in _pendingRemovals.Where(r => r.Deadline <= DateTime.UtcNow).ToList())
                        {
                            await _hub.Clients.Client(late.ConnectionId).memberRemoved(new MembershipDto(Id, late.UserId, late.By));
                            await LeaveGroupAsync(late);
                        }

                        break;
                    case ConversationUpdatedEvent { Conversation: var conversation }:
                        await _group.conversationUpdated(ConversationDto.From(conversation));
                        break;
                    case TypingEvent typing:
                        await _group.typingChanged(new TypingDto(Id, typing.UserId, typing.IsTyping));
                        break;
                    case ReceiptsEvent { Receipts: var receipts }:
                        await _group.receiptsChanged(ReceiptsDto.From(receipts));
                        break;
                    case PresenceEvent { Presence: var p } presence:
                        // Users the subject blocked never see their presence.
                        var hidden = presence.HiddenFrom.IsDefaultOrEmpty ? [] : presence.HiddenFrom.SelectMany(_local.ConnectionsOf).ToList();
                        var audience = hidden.Count == 0 ? _group : _hub.Clients.GroupExcept(GroupName(Id), hidden);
                        await audience.presenceChanged(new PresenceDto(p.UserId, p.Status, p.CustomStatus, p.LastSeenAt));
                        break;
                    case AddConnection added:
                        await AddToGroupAsync(added);
                        break;
                    case Repair repair:
                        if (repair.Resubscribe)
                        {
                            LogRenewing(_logger, Id, Forwarded);
                            await UnsubscribeAsync();
                            await SubscribeAsync();
                        }

                        await CatchUpAsync(repair.UpTo);
                        break;
                }
            }
            catch (Exception exception) when (item is AddConnection added)
            {
                added.Done.TrySetException(exception);
            }
            catch (Exception exception) when (item is RemoveConnection removal)
            {
                _pendingRemovals.Remove(removal);
                removal.Done.TrySetException(exception);
            }
            catch (Exception exception)
            {
                // The next probe sees the log ahead of what was forwarded and repairs it.
                LogForwardFailed(_logger, exception, Id);
            }
        }
    }

    private async Task ForwardAsync(ChatMessage message)
    {
        if (message.Seq > Forwarded + 1)
        {
            await CatchUpAsync(message.Seq - 1);
        }

        if (message.Seq == Forwarded + 1)
        {
            await SendAsync(message);
        }
    }

    private async Task CatchUpAsync(long upTo)
    {
        while (Forwarded < upTo)
        {
            var batch = await History.GetRangeAsync(Id, Forwarded, (int)Math.Min(RepairBatch, upTo - Forwarded));
            if (batch.IsEmpty || batch[0].Seq != Forwarded + 1)
            {
                return;
            }

            foreach (var message in batch)
            {
                await SendAsync(message);
            }
        }
    }

    private async Task AddToGroupAsync(AddConnection added)
    {
        var connection = _hub.Clients.Client(added.ConnectionId);
        var next = added.FromSeq ?? Forwarded;
        while (next < Forwarded)
        {
            var batch = await History.GetRangeAsync(Id, next, (int)Math.Min(RepairBatch, Forwarded - next));
            foreach (var message in batch.TakeWhile(m => m.Seq <= Forwarded))
            {
                await connection.messageReceived(MessageDto.From(message));
                next = message.Seq;
            }

            if (batch.IsEmpty)
            {
                break;
            }
        }

        await _hub.Groups.AddToGroupAsync(added.ConnectionId, GroupName(Id));
        added.Done.TrySetResult();
    }

    private async Task LeaveGroupAsync(RemoveConnection removal)
    {
        _pendingRemovals.Remove(removal);
        await _hub.Groups.RemoveFromGroupAsync(removal.ConnectionId, GroupName(Id));
        removal.Done.TrySetResult();
    }

    private async Task SendAsync(ChatMessage message)
    {
        await _group.messageReceived(MessageDto.From(message));
        Volatile.Write(ref _forwarded, message.Seq);
        LogForwarded(_logger, Id, message.Seq);
    }

    private sealed record Repair(long UpTo, bool Resubscribe);

    private sealed record AddConnection(string ConnectionId, long? FromSeq, TaskCompletionSource Done);

    private sealed record RemoveConnection(string ConnectionId, Guid UserId, Guid By, DateTime Deadline, TaskCompletionSource Done);

    private sealed record ExpireRemovals
    {
        public static readonly ExpireRemovals Instance = new();
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Conversation {ConversationId}: forwarding failed; the lease probe will repair")]
    private static partial void LogForwardFailed(ILogger logger, Exception exception, Guid conversationId);

    [LoggerMessage(Level = LogLevel.Trace, Message = "Conversation {ConversationId}: forwarded seq {Seq}")]
    private static partial void LogForwarded(ILogger logger, Guid conversationId, long seq);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Conversation {ConversationId}: forwarded {Forwarded}, log at {LastSeq} (stale: {Stale})")]
    private static partial void LogBehind(ILogger logger, Guid conversationId, long forwarded, long lastSeq, bool stale);

    [LoggerMessage(Level = LogLevel.Information, Message = "Conversation {ConversationId}: renewing the stream subscription at seq {Seq}")]
    private static partial void LogRenewing(ILogger logger, Guid conversationId, long seq);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Conversation {ConversationId}: unsubscribe failed")]
    private static partial void LogUnsubscribeFailed(ILogger logger, Exception exception, Guid conversationId);
}
