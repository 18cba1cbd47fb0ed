using System.Collections.Concurrent;
using Chat.Grains.Conversations;
using Chat.Grains.Errors;
using Chat.Grains.Streams;
using Chat.Testing;
using Orleans.Streams;

namespace Chat.ClusterTests;

/// <summary>Receipts are gathered into flushes: detailed in small groups, summarised in big ones (ClusterFixture.ReceiptsDetailedUpTo).</summary>
[Collection(ClusterCollection.Name)]
public sealed class ReceiptTests(ClusterFixture fixture)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task ABigGroupStoresReceiptsThatArriveTogetherAtOneVersionAndTellsOnlyASummary()
    {
        var (conversation, users) = await fixture.NewGroupAsync(ClusterFixture.ReceiptsDetailedUpTo + 3);
        for (var i = 0; i < 3; i++)
        {
            await conversation.SendAsync(users[0], Text($"m{i}"));
        }

        var before = (await conversation.GetAsync(users[0])).Version;
        await using var events = await EventsAsync(conversation, after: before);

        // Everyone but the sender reads up to 2, then all but the last reads 3: a frontend's gathered call, then single ones.
        var outcomes = await conversation.MarkAsync([.. users[1..].Select(u => new ReceiptMark(u, 2, Read: true))]);
        await Task.WhenAll(users[1..^1].Select(u => conversation.MarkReadAsync(u, 3)));

        Assert.All(outcomes, o => Assert.Equal(ReceiptOutcome.Marked, o));
        var changes = await Poll.UntilAsync(() => conversation.GetChangesAsync(users[0], before, 100),
            c => c.Receipts.Count(r => r.ReadSeq == 3) == users.Length - 2, Patience, "every receipt stored"); // the gathered call answers before
        Assert.InRange(changes.Version - before, 2, users.Length - 1); // one version per flush, never one per receipt
        Assert.Equal(new ReceiptsSummary(DeliveredSeq: 2, ReadSeq: 2), changes.ReceiptsSummary);
        Assert.Equal(users[1..].Order(), changes.Receipts.Select(r => r.UserId).Order()); // each member's own stays exact
        var last = changes.Receipts.Single(r => r.UserId == users[^1]);
        Assert.Equal((2L, 2L), (last.DeliveredSeq, last.ReadSeq));
        Assert.All(changes.Receipts.Where(r => r.UserId != users[^1]), r => Assert.Equal((3L, 3L), (r.DeliveredSeq, r.ReadSeq)));
        var told = await events.UntilAsync(changes.Version);
        Assert.All(told, e => Assert.IsType<ReceiptsSummaryEvent>(e));
        Assert.Equal(changes.Version, told[^1].Version);
        Assert.Equal(new ReceiptsSummary(2, 2), ((ReceiptsSummaryEvent)told[^1]).Summary);
    }

    [Fact]
    public async Task ASmallGroupGivesEachMovedMemberAVersionAndAnEventOfItsOwn()
    {
        var (conversation, users) = await fixture.NewGroupAsync(3);
        await conversation.SendAsync(users[0], Text("hello"));
        var before = (await conversation.GetAsync(users[0])).Version;
        await using var events = await EventsAsync(conversation, after: before);

        var outcomes = await conversation.MarkAsync([new(users[1], 1, Read: false), new(users[2], 1, Read: true), new(users[1], 1, Read: true)]);

        Assert.All(outcomes, o => Assert.Equal(ReceiptOutcome.Marked, o));
        List<ConversationEvent> told;
        try
        {
            told = await events.UntilAsync(before + 2);
        }
        catch (TimeoutException timeout)
        {
            var stored = await conversation.GetChangesAsync(users[0], before, 100);
            throw new TimeoutException($"{timeout.Message} Stored: version {stored.Version}, receipts {string.Join(", ", stored.Receipts.Select(r => $"{r.UserId}:{r.DeliveredSeq}/{r.ReadSeq}"))}", timeout);
        }

        Assert.Equal([before + 1, before + 2], told.Select(e => e.Version));
        var receipts = told.Cast<ReceiptsEvent>().Select(e => e.Receipts).ToDictionary(r => r.UserId, r => (r.DeliveredSeq, r.ReadSeq));
        Assert.Equal((1L, 1L), receipts[users[1]]);
        Assert.Equal((1L, 1L), receipts[users[2]]);
        Assert.Null((await conversation.GetChangesAsync(users[0], before, 100)).ReceiptsSummary);
    }

    [Fact]
    public async Task AGatheredCallRefusesEachBadReceiptAloneAndStoresTheRest()
    {
        var (conversation, users) = await fixture.NewGroupAsync(2);
        await conversation.SendAsync(users[0], Text("hello"));
        var stranger = (await fixture.NewUsersAsync(1))[0];

        var outcomes = await conversation.MarkAsync([new(stranger, 1, Read: true), new(users[1], 2, Read: true), new(users[1], 1, Read: false)]);
        var single = await Assert.ThrowsAsync<ChatException>(() => conversation.MarkReadAsync(stranger, 1));

        Assert.Equal([ReceiptOutcome.NotMember, ReceiptOutcome.SeqOutOfRange, ReceiptOutcome.Marked], outcomes.ToArray());
        Assert.Equal(ErrorCodes.NotFound, single.Code);
        var view = await conversation.GetAsync(users[1]);
        Assert.Equal((1L, 0L), (view.DeliveredSeq, view.ReadSeq));
    }

    [Fact]
    public async Task ReceiptsAndSendsInterleavedKeepEveryVersionOnceAndInOrder()
    {
        var (conversation, users) = await fixture.NewGroupAsync(ClusterFixture.ReceiptsDetailedUpTo + 2);
        await conversation.SendAsync(users[0], Text("first"));
        var before = (await conversation.GetAsync(users[0])).Version;
        await using var events = await EventsAsync(conversation, after: before);

        var work = new List<Task>();
        for (var i = 0; i < 20; i++)
        {
            work.Add(conversation.SendAsync(users[i % 2], Text($"s{i}")));
            work.AddRange(users[2..].Select(u => (Task)conversation.MarkAsync([new(u, 1 + i / 2, Read: true)]))); // may come before the send
        }

        await Task.WhenAll(work);
        var head = (await conversation.GetAsync(users[0])).Version;
        var told = await events.UntilAsync(head);
        Assert.Equal(told.Select(e => e.Version).Order(), told.Select(e => e.Version)); // published in version order
        Assert.Equal(told.Count, told.Select(e => e.Version).Distinct().Count());
        Assert.Equal(20, told.OfType<MessageEvent>().Count());
        var changes = await conversation.GetChangesAsync(users[0], before, 100);
        Assert.Equal(20, changes.Messages.Length);
        Assert.InRange(changes.Version, head, head + 1); // with a flush of receipts accepted before it, perhaps
    }

    private static SendMessageRequest Text(string id) => new(id, id, "text", "plain", null, []);

    /// <summary>Records the conversation's events after version <paramref name="after"/> (the stream may still bring earlier ones).</summary>
    private async Task<Recorder> EventsAsync(IConversationGrain conversation, long after)
    {
        var recorder = new Recorder(after);
        var stream = fixture.Client.GetStreamProvider(ChatStreams.Provider).GetStream<ConversationEvent>(ChatStreams.Conversation(conversation.GetPrimaryKey()));
        recorder.Subscription = await stream.SubscribeAsync((e, _) => recorder.Add(e));
        return recorder;
    }

    /// <summary>The versioned events of one conversation, in the order the stream delivered them.</summary>
    private sealed class Recorder(long after) : IAsyncDisposable
    {
        private readonly ConcurrentQueue<ConversationEvent> _events = new();
        private readonly SemaphoreSlim _arrived = new(0);

        public StreamSubscriptionHandle<ConversationEvent>? Subscription { get; set; }

        public Task Add(ConversationEvent e)
        {
            if (e.Version > after)
            {
                _events.Enqueue(e);
                _arrived.Release();
            }

            return Task.CompletedTask;
        }

        /// <summary>Everything told up to the event at <paramref name="version"/>.</summary>
        public async Task<List<ConversationEvent>> UntilAsync(long version)
        {
            using var timeout = new CancellationTokenSource(Patience);
            while (!_events.Any(e => e.Version >= version))
            {
                try
                {
                    await _arrived.WaitAsync(timeout.Token);
                }
                catch (OperationCanceledException)
                {
                    throw new TimeoutException($"Waited for version {version}; the stream told {string.Join(", ", _events.Select(e => $"{e.GetType().Name} {e.Version}"))}.");
                }
            }

            return [.. _events];
        }

        public async ValueTask DisposeAsync()
        {
            if (Subscription is { } subscription)
            {
                await subscription.UnsubscribeAsync();
            }
        }
    }
}
