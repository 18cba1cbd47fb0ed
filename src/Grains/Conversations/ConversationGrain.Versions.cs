using Chat.Grains.Errors;
using Chat.Grains.Storage;
using Microsoft.Extensions.Logging;
using Chat.Grains.Streams;

namespace Chat.Grains.Conversations;

/// <summary>
/// The conversation's version (API.md): every change members can see takes the next one, written in the same
/// statement as the change, and its event carries it. Like seq, the counter is recovered from PostgreSQL on
/// activation and after any write whose outcome is unknown, never trusted from memory alone.
/// </summary>
internal sealed partial class ConversationGrain
{
    private long? _version;
    private long _infoVersion;
    private readonly List<ConversationEvent> _unpublished = [];
    private TaskCompletionSource? _published; // completed when the events in _unpublished are out
    private bool _publishing;

    public async Task<ConversationChangeSet> GetChangesAsync(Guid? callerId, long since, int limit)
    {
        if (callerId is { } caller && !(state.State.Exists && _members.ContainsKey(caller)))
        {
            return ConversationChangeSet.NotMember(Id, since);
        }

        if (since < 0 || limit < 1)
        {
            throw ChatException.Validation("since must be >= 0 and limit >= 1.");
        }

        // The head is read from the log, not trusted from memory: an activation that another one (briefly alive beside
        // it while silos came and went) has overtaken must not answer with what it last knew.
        var (head, _) = await messages.GetVersionAsync(Id);
        if (head != _version)
        {
            await ReloadAllAsync();
            head = _version!.Value;
        }

        var changed = await messages.ChangedSinceAsync(Id, since, limit + 1, callerId);
        var hasMore = changed.Length > limit;
        var upTo = hasMore ? changed[limit - 1].Version : Math.Max(head, since);
        var membership = await memberStore.MembershipChangesAsync(Id, since, upTo);
        var receipts = _members.Values.Where(m => m.Version > since && m.Version <= upTo).OrderBy(m => m.Version).Select(ToReceipts);
        var conversationChanged = membership.Length > 0 || (_infoVersion > since && _infoVersion <= upTo);
        var view = callerId is { } me ? View(me) : SharedView();
        return new ConversationChangeSet(Id, upTo, hasMore ? changed[..limit] : changed, [.. receipts], membership,
            conversationChanged ? view : null, IsMember: true, hasMore, _infoVersion, Summarizes ? PendingReceipts.Summarize(_members.Values) : null);
    }

    /// <summary>
    /// Runs one change at the next version. The write reports whether it changed anything (a no-op leaves the
    /// counter alone); a write that throws may or may not have committed, so the counter is re-read from the log.
    /// </summary>
    /// <returns>The version the change took, or null when it changed nothing.</returns>
    private async Task<long?> AtNextVersionAsync(Func<long, Task<bool>> write)
    {
        var version = (_version ?? await ReloadVersionAsync()) + 1;
        bool changed;
        try
        {
            changed = await write(version);
        }
        catch (Exception exception) when (ConversationHeads.IsStale(exception))
        {
            throw MovedOn();
        }
        catch
        {
            _version = null;
            throw;
        }

        if (changed)
        {
            _version = version;
        }

        return changed ? version : null;
    }

    private async Task ReloadAllAsync()
    {
        await state.ReadStateAsync();
        _members = await memberStore.LoadAsync(Id);
        await ReloadLastSeqAsync();
        await ReloadVersionAsync();
    }

    private async Task<long> ReloadVersionAsync()
    {
        (var version, _infoVersion) = await messages.GetVersionAsync(Id);
        _version = version;
        return version;
    }

    /// <summary>
    /// Publishes an event of a change already stored, in the order of the calls: one batch is out at a time, and the
    /// events that queue meanwhile go together in the next (concurrent publishes could reach the stream's queue in
    /// any order, and each event out of order costs every frontend a repair from the log). Completes once its batch
    /// is out; a failure is only logged, since the frontends repair a lost event from the log.
    /// </summary>
    private Task PublishAsync(ConversationEvent @event)
    {
        _unpublished.Add(@event);
        var published = _published ??= new(TaskCreationOptions.RunContinuationsAsynchronously);
        if (!_publishing)
        {
            _publishing = true; // set here, not in the loop: it may finish before returning
            _ = PublishQueuedAsync();
        }

        return published.Task;
    }

    private async Task PublishQueuedAsync()
    {
        try
        {
            while (_unpublished.Count > 0)
            {
                List<ConversationEvent> batch = [.. _unpublished];
                var published = _published!;
                _unpublished.Clear();
                _published = null;
                try
                {
                    await (batch.Count == 1 ? _stream.OnNextAsync(batch[0]) : _stream.OnNextBatchAsync(batch));
                }
                catch (Exception exception)
                {
                    LogPublishFailed(logger, exception, Id);
                }

                published.SetResult();
            }
        }
        finally
        {
            _publishing = false;
        }
    }

    /// <summary>
    /// Tells a user's live sessions about their membership on their own stream. Published, not called on the user's
    /// grain: that grain may be waiting on this one (listing conversations), and two non-reentrant grains must never
    /// wait on each other.
    /// </summary>
    private async Task NotifyUserAsync(UserEvent @event)
    {
        try
        {
            await this.GetStreamProvider(ChatStreams.Provider).GetStream<UserEvent>(ChatStreams.User(@event.UserId)).OnNextAsync(@event);
        }
        catch (Exception exception)
        {
            LogPublishFailed(logger, exception, Id);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Conversation {ConversationId}: another activation wrote meanwhile; reloaded")]
    private static partial void LogMovedOn(ILogger logger, Guid conversationId);
}
