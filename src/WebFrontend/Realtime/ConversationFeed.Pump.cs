using Chat.Grains.Streams;

namespace Chat.WebFrontend.Realtime;

/// <summary>The feed's queue: what each item does, one at a time.</summary>
internal sealed partial class ConversationFeed
{
    private async Task PumpAsync()
    {
        await foreach (var item in _inbox.Reader.ReadAllAsync())
        {
            try
            {
                switch (item)
                {
                    case ConversationEvent { Version: 0 } ephemeral:
                        Interlocked.Decrement(ref _queuedEvents);
                        SendEphemeral(ephemeral);
                        break;
                    case ConversationEvent @event:
                        Interlocked.Decrement(ref _queuedEvents);
                        if (@event.Version > Forwarded + 1)
                        {
                            await RepairAsync();
                        }

                        // Only ever the next version: if the log could not fill the gap yet, the probe repairs later,
                        // rather than this event skipping over what is missing.
                        if (@event.Version == Forwarded + 1)
                        {
                            Forward(@event);
                        }

                        break;
                    case AddConnection added:
                        await AddAsync(added);
                        break;
                    case RemovedConnection removed:
                        _connections.Remove(removed.ConnectionId);
                        break;
                    case RemovalCheck enforce:
                        await RepairAsync();
                        await EnforceRemovalAsync(enforce.UserId);
                        break;
                    case RepairRequest repair:
                        if (repair.Resubscribe && _renewal.IsCompleted)
                        {
                            LogRenewing(_logger, Id, Forwarded);
                            _metrics.Resubscribed();
                            _renewal = RenewSubscriptionAsync();
                        }

                        await RepairAsync();
                        break;
                }
            }
            catch (Exception exception) when (item is AddConnection added)
            {
                added.Done.TrySetException(exception);
            }
            catch (Exception exception)
            {
                // The next probe sees the conversation ahead of what was forwarded and repairs it.
                LogForwardFailed(_logger, exception, Id);
            }
        }
    }

    /// <summary>Forwards everything that changed after <see cref="Forwarded"/>, read from the log, in version order.</summary>
    private async Task RepairAsync()
    {
        while (true)
        {
            var since = Forwarded;
            var changes = await Bounded(Grain.GetChangesAsync(null, since, RepairBatch));
            foreach (var @event in ChangeReplay.Events(changes, since))
            {
                _metrics.Repaired();
                Forward(@event);
            }

            Volatile.Write(ref _forwarded, Math.Max(Forwarded, changes.Version));
            if (!changes.HasMore)
            {
                return;
            }
        }
    }

    /// <summary>Sends one versioned event to every connection of the feed, applying what it says about membership.</summary>
    private void Forward(ConversationEvent @event)
    {
        Volatile.Write(ref _forwarded, @event.Version);
        LogForwarded(_logger, Id, @event.Version);
        if (@event is MembershipEvent { Added: true } joined)
        {
            _membership[joined.UserId] = true;
            foreach (var connectionId in _feeds.Adopt(Id, joined.UserId))
            {
                _connections[connectionId] = joined.UserId;
            }
        }

        SendToAll(ClientEvents.For(@event)!, except: null);
        if (@event is MessageEvent message)
        {
            _metrics.Delivered(message.Message.CreatedAt);
        }

        if (@event is MembershipEvent { Added: false } left)
        {
            _membership[left.UserId] = false;
            DropUser(left.UserId);
        }
    }

    private void SendEphemeral(ConversationEvent @event)
    {
        if (ClientEvents.For(@event) is not { } send)
        {
            return;
        }

        // Users the subject blocked never see their presence.
        var hidden = @event is PresenceEvent { HiddenFrom: { IsDefaultOrEmpty: false } hiddenFrom } ? hiddenFrom.ToHashSet() : null;
        SendToAll(send, hidden);
    }

    private void SendToAll(Microsoft.AspNetCore.SignalR.SerializedHubMessage send, HashSet<Guid>? except)
    {
        List<string>? gone = null;
        foreach (var (connectionId, userId) in _connections)
        {
            if (except?.Contains(userId) != true && !_local.Send(connectionId, send))
            {
                (gone ??= []).Add(connectionId);
            }
        }

        gone?.ForEach(connectionId => _connections.Remove(connectionId));
    }

    private async Task AddAsync(AddConnection added)
    {
        if (_connections.ContainsKey(added.ConnectionId))
        {
            added.Done.TrySetResult();
            return;
        }

        var stillMember = _membership.GetValueOrDefault(added.UserId, true);
        for (var since = added.Since ?? Forwarded; stillMember && since < Forwarded;)
        {
            var changes = await Bounded(Grain.GetChangesAsync(added.UserId, since, RepairBatch));
            stillMember = changes.IsMember;
            foreach (var @event in ChangeReplay.Events(changes, since).Where(e => e.Version <= Forwarded))
            {
                _local.Send(added.ConnectionId, ClientEvents.For(@event)!);
            }

            since = changes.HasMore ? changes.Version : Forwarded;
        }

        if (stillMember)
        {
            _connections[added.ConnectionId] = added.UserId;
        }
        else
        {
            _feeds.Drop(Id, [added.ConnectionId]); // removed before it could join: it holds no lease here
        }

        added.Done.TrySetResult();
    }

    private async Task EnforceRemovalAsync(Guid userId)
    {
        var member = _membership.TryGetValue(userId, out var added) ? added : await Bounded(Grain.IsMemberAsync(userId));
        if (!member)
        {
            DropUser(userId);
        }
    }

    private void DropUser(Guid userId)
    {
        var connections = _connections.Where(c => c.Value == userId).Select(c => c.Key).ToList();
        connections.ForEach(connectionId => _connections.Remove(connectionId));
        _feeds.Drop(Id, connections);
    }

    private sealed record RepairRequest(bool Resubscribe);

    private sealed record AddConnection(string ConnectionId, Guid UserId, long? Since, TaskCompletionSource Done);

    private sealed record RemovedConnection(string ConnectionId);

    private sealed record RemovalCheck(Guid UserId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Conversation {ConversationId}: forwarding failed; the lease probe will repair")]
    private static partial void LogForwardFailed(ILogger logger, Exception exception, Guid conversationId);

    [LoggerMessage(Level = LogLevel.Trace, Message = "Conversation {ConversationId}: forwarded version {Version}")]
    private static partial void LogForwarded(ILogger logger, Guid conversationId, long version);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Conversation {ConversationId}: forwarded {Forwarded}, conversation at {Version} (stale: {Stale})")]
    private static partial void LogBehind(ILogger logger, Guid conversationId, long forwarded, long version, bool stale);

    [LoggerMessage(Level = LogLevel.Information, Message = "Conversation {ConversationId}: renewing the stream subscription at version {Version}")]
    private static partial void LogRenewing(ILogger logger, Guid conversationId, long version);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Conversation {ConversationId}: feed queue full, dropped version {Version} (repaired from the log)")]
    private static partial void LogDropped(ILogger logger, Guid conversationId, long version);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Conversation {ConversationId}: renewing the stream subscription failed; the lease probe retries")]
    private static partial void LogRenewFailed(ILogger logger, Exception exception, Guid conversationId);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Conversation {ConversationId}: unsubscribe failed")]
    private static partial void LogUnsubscribeFailed(ILogger logger, Exception exception, Guid conversationId);
}
