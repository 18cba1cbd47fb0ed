using System.Collections.Immutable;
using Chat.Grains.Errors;
using Chat.Grains.Storage;
using Chat.Grains.Streams;
using Microsoft.Extensions.Logging;

namespace Chat.Grains.Conversations;

/// <summary>
/// Receipts are gathered and flushed together, like group commit: a receipt is accepted at once and stored with the
/// next flush (what arrives while one is in flight goes in the next), one statement for all of them. A flush takes its versions
/// in the send pipeline (ConversationGrain.Pipeline.cs), so it never waits for the sends in flight and they never
/// wait for it. In a group of up to <see cref="ReceiptOptions.DetailedUpTo"/> members each moved member takes a
/// version of its own and every member hears each receipt; a bigger group flushes at most once per
/// <see cref="ReceiptOptions.SummaryInterval"/>, at one version, and tells only where every member stands.
/// </summary>
internal sealed partial class ConversationGrain
{
    private static readonly TimeSpan ReceiptRetryDelay = TimeSpan.FromSeconds(1);
    private readonly PendingReceipts _pendingReceipts = new();
    private bool _flushingReceipts;
    private DateTimeOffset _lastReceiptFlush;
    private bool _deactivating;

    public Task<Receipts> MarkReadAsync(Guid callerId, long seq) => MarkOneAsync(new ReceiptMark(callerId, seq, Read: true));

    public Task<Receipts> MarkDeliveredAsync(Guid callerId, long seq) => MarkOneAsync(new ReceiptMark(callerId, seq, Read: false));

    /// <summary>Answers once the receipts are accepted; they are stored with the next flush (see the class comment).</summary>
    public async Task<ImmutableArray<ReceiptOutcome>> MarkAsync(ImmutableArray<ReceiptMark> marks) => (await AcceptAsync(marks)).Outcomes;

    /// <summary>One receipt, answered once it is stored (REST).</summary>
    private async Task<Receipts> MarkOneAsync(ReceiptMark mark)
    {
        var (outcomes, stored) = await AcceptAsync([mark]);
        outcomes[0].ThrowIfRefused();
        await stored;
        return _members.TryGetValue(mark.UserId, out var member) ? ToReceipts(member) : throw ChatException.NotFound("No such conversation.");
    }

    /// <summary>Checks each receipt and queues those of members for the next flush, which <c>Stored</c> follows.</summary>
    private async Task<(ImmutableArray<ReceiptOutcome> Outcomes, Task Stored)> AcceptAsync(ImmutableArray<ReceiptMark> marks)
    {
        while (_exclusive is { } busy)
        {
            await busy.Task;
        }

        var (lastSeq, _) = await CountersAsync();
        var outcomes = ImmutableArray.CreateBuilder<ReceiptOutcome>(marks.Length);
        var stored = Task.CompletedTask;
        foreach (var mark in marks)
        {
            if (!state.State.Exists || !_members.ContainsKey(mark.UserId))
            {
                outcomes.Add(ReceiptOutcome.NotMember);
            }
            else if (mark.Seq < 0 || mark.Seq > lastSeq)
            {
                outcomes.Add(ReceiptOutcome.SeqOutOfRange);
            }
            else
            {
                stored = _pendingReceipts.Add(mark);
                outcomes.Add(ReceiptOutcome.Marked);
            }
        }

        if (!_pendingReceipts.IsEmpty && !_flushingReceipts)
        {
            _flushingReceipts = true;
            _ = FlushReceiptsAsync(); // may finish at once, so the flag is set here, never from its task
        }

        return (outcomes.MoveToImmutable(), stored);
    }

    /// <summary>
    /// Flushes until nothing is pending; one runs at a time. Receipts whose flush failed stay pending and are tried
    /// again after <see cref="ReceiptRetryDelay"/>, while this activation lives.
    /// </summary>
    private async Task FlushReceiptsAsync()
    {
        try
        {
            while (!_pendingReceipts.IsEmpty && !_deactivating)
            {
                var interval = receiptOptions.Value.SummaryInterval;
                var wait = _lastReceiptFlush + interval - clock.GetUtcNow();
                if (Summarizes && wait > TimeSpan.Zero)
                {
                    await Task.Delay(wait < interval ? wait : interval, clock); // the clock may have been set back
                }

                if (!await FlushPendingReceiptsAsync())
                {
                    await Task.Delay(ReceiptRetryDelay, clock);
                }

                _lastReceiptFlush = clock.GetUtcNow();
            }
        }
        finally
        {
            _flushingReceipts = false;
        }
    }

    /// <summary>Receipts accepted but not stored yet are stored before the activation goes, if the log takes them.</summary>
    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        _deactivating = true;
        if (!_pendingReceipts.IsEmpty)
        {
            await FlushPendingReceiptsAsync();
        }
    }

    /// <summary>Stores what is pending; false when that failed, and it stays pending (merged with what arrives meanwhile).</summary>
    private async Task<bool> FlushPendingReceiptsAsync()
    {
        var (marks, stored) = _pendingReceipts.Take();
        try
        {
            await StoreReceiptsAsync(marks);
            stored.SetResult();
            return true;
        }
        catch (Exception exception)
        {
            stored.SetException(exception);
            _pendingReceipts.Return(marks);
            LogReceiptsNotStored(logger, exception, Id, marks.Count);
            return false;
        }
    }

    /// <summary>A big group tells receipts by summary (<see cref="ReceiptOptions.DetailedUpTo"/>).</summary>
    private bool Summarizes => _members.Count > receiptOptions.Value.DetailedUpTo;

    /// <summary>Stores one flush at the next versions, in the send pipeline, and publishes it once stored.</summary>
    private async Task StoreReceiptsAsync(IReadOnlyDictionary<Guid, PendingReceipts.Watermarks> marks)
    {
        ImmutableArray<ConversationMember> moved;
        bool summarize;
        while (true)
        {
            while (_exclusive is { } busy)
            {
                await busy.Task;
            }

            var (_, lastVersion) = await CountersAsync();
            if (_exclusive is not null)
            {
                continue; // it started while the counters were read
            }

            summarize = Summarizes;
            moved = [.. PendingReceipts.Advance(marks, _members).Select((m, i) => m with { Version = lastVersion + 1 + (summarize ? 0 : i) })];
            if (moved.IsEmpty)
            {
                return;
            }

            var generation = _pipelineGeneration;
            _version = moved[^1].Version;
            SendStarted();
            try
            {
                await memberStore.AdvanceAsync(Id, moved, lastVersion);
                break;
            }
            catch (Exception exception) when (ConversationHeads.IsStale(exception) && generation != _pipelineGeneration)
            {
                // A send ahead of this flush in the pipeline did not take its version: try again at fresh ones.
            }
            catch (Exception exception) when (ConversationHeads.IsStale(exception))
            {
                throw MovedOn();
            }
            catch
            {
                ForgetCounters();
                throw;
            }
            finally
            {
                SendLanded();
            }
        }

        foreach (var member in moved)
        {
            // A send meanwhile may have moved its sender's own receipts further, at a later version.
            var now = _members[member.UserId];
            _members[member.UserId] = now with
            {
                DeliveredSeq = Math.Max(now.DeliveredSeq, member.DeliveredSeq),
                ReadSeq = Math.Max(now.ReadSeq, member.ReadSeq),
                Version = Math.Max(now.Version, member.Version),
            };
        }

        IEnumerable<ConversationEvent> events = summarize
            ? [new ReceiptsSummaryEvent(Id, PendingReceipts.Summarize(_members.Values)) { Version = moved[0].Version }]
            : moved.Select(member => new ReceiptsEvent(Id, ToReceipts(member)) { Version = member.Version });
        await Task.WhenAll(events.Select(PublishAsync).ToList());
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Conversation {ConversationId}: storing {Count} members' receipts failed; they stay pending")]
    private static partial void LogReceiptsNotStored(ILogger logger, Exception exception, Guid conversationId, int count);
}
