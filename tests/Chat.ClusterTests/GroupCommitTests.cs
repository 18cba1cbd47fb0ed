using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Chat.Grains.Conversations;
using Chat.Grains.Hosting;
using Chat.Grains.Storage;
using Chat.Testing;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Chat.ClusterTests;

/// <summary>The silo's group commit of new messages (MessageWriter) against the real schema.</summary>
[Collection(ClusterCollection.Name)]
public sealed class GroupCommitTests(ClusterFixture fixture)
{
    [Fact]
    public async Task MessagesQueuedBehindACommitGoTogetherAndARefusedOneFailsAlone()
    {
        var groups = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => fixture.NewGroupAsync(2)));
        var ids = groups.Select(g => g.Conversation.GetPrimaryKey()).ToArray();
        await using var dataSource = ChatSiloExtensions.ChatDataSource(fixture.ConnectionString);
        var heads = await Task.WhenAll(ids.Select(id => HeadAsync(dataSource, id)));
        var batches = new ConcurrentQueue<int>();
        using var listener = ListenToBatchSizes(batches);
        await using var services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        await using var writer = new MessageWriter(dataSource, new SiloMetrics(services.GetRequiredService<IMeterFactory>(), new OutboxStore(dataSource)), shards: 1);
        var store = new MessageStore(dataSource, writer);

        // The first insert waits on a lock held here, so the next ones queue behind its commit.
        await using var lockHeld = await HeadLock.TakeAsync(dataSource, ids[0]);
        var first = store.TryInsertAsync(Message(ids[0], groups[0].Users[0], heads[0] + 1), []);
        await Poll.UntilAsync(() => WaitingOnLocksAsync(dataSource), waiting => waiting > 0, TimeSpan.FromSeconds(10), "the first insert to wait on the lock");
        var queued = Enumerable.Range(1, 4).Select(i => store.TryInsertAsync(Message(ids[i], groups[i].Users[0], heads[i] + 1), [])).ToList();
        var stale = store.TryInsertAsync(Message(ids[5], groups[5].Users[0], heads[5] + 5), []); // not the head's next version
        await lockHeld.ReleaseAsync();

        Assert.True(await first);
        Assert.All(await Task.WhenAll(queued), Assert.True);
        var refused = await Assert.ThrowsAsync<PostgresException>(() => stale);
        Assert.True(ConversationHeads.IsStale(refused));
        Assert.Equal(new long[] { 1, 1, 1, 1, 1, 0 }, await Task.WhenAll(ids.Select(id => store.GetMaxSeqAsync(id))));
        Assert.Contains(5, batches); // the four and the stale one were one batch, then each ran alone
    }

    [Fact]
    public async Task SendsIntoOneConversationQueueBehindItsCommitInsteadOfWaitingForIt()
    {
        var (conversation, users) = await fixture.NewGroupAsync(2);
        var id = conversation.GetPrimaryKey();
        await conversation.SendAsync(users[0], Text("before")); // active, counters known
        await using var dataSource = ChatSiloExtensions.ChatDataSource(fixture.ConnectionString);
        var batches = new ConcurrentQueue<int>();
        using var listener = ListenToBatchSizes(batches);
        var writers = fixture.Cluster.Silos.Select(silo => silo.ServiceProvider.GetRequiredService<MessageWriter>()).ToList();

        await using var lockHeld = await HeadLock.TakeAsync(dataSource, id);
        var first = conversation.SendAsync(users[0], Text("first"));
        await Poll.UntilAsync(() => WaitingOnLocksAsync(dataSource), waiting => waiting > 0, TimeSpan.FromSeconds(10), "the first insert to wait on the lock");
        var queued = Enumerable.Range(0, 3).Select(i => conversation.SendAsync(users[i % 2], Text($"queued {i}"))).ToList();
        await Poll.UntilAsync(() => Task.FromResult(writers.Sum(w => w.Queued)), count => count == 3, TimeSpan.FromSeconds(10), "three sends queued behind the first commit");
        await lockHeld.ReleaseAsync();

        Assert.Equal(2, (await first).Message.Seq);
        var seqs = (await Task.WhenAll(queued)).Select(r => r.Message.Seq).Order().ToArray();
        Assert.Equal(new long[] { 3, 4, 5 }, seqs);
        Assert.Contains(3, batches);
        var log = await SiloStore().GetAfterAsync(id, 0, 10);
        Assert.Equal(new long[] { 1, 2, 3, 4, 5 }, log.Select(m => m.Seq).ToArray());
        Assert.Equal(log.Select(m => m.Version).Order().ToArray(), log.Select(m => m.Version).ToArray());
    }

    [Fact]
    public async Task ARetryQueuedBehindItsOriginalReturnsItAndTheSendsBehindItStillCommit()
    {
        var (conversation, users) = await fixture.NewGroupAsync(2);
        var id = conversation.GetPrimaryKey();
        await conversation.SendAsync(users[0], Text("before"));
        await using var dataSource = ChatSiloExtensions.ChatDataSource(fixture.ConnectionString);
        var writers = fixture.Cluster.Silos.Select(silo => silo.ServiceProvider.GetRequiredService<MessageWriter>()).ToList();

        await using var lockHeld = await HeadLock.TakeAsync(dataSource, id);
        var original = Text("sent twice");
        var first = conversation.SendAsync(users[0], original);
        await Poll.UntilAsync(() => WaitingOnLocksAsync(dataSource), waiting => waiting > 0, TimeSpan.FromSeconds(10), "the first insert to wait on the lock");
        var retry = conversation.SendAsync(users[0], original);
        await Poll.UntilAsync(() => Task.FromResult(writers.Sum(w => w.Queued)), count => count == 1, TimeSpan.FromSeconds(10), "the retry queued");
        var behind = conversation.SendAsync(users[1], Text("behind the retry"));
        await Poll.UntilAsync(() => Task.FromResult(writers.Sum(w => w.Queued)), count => count == 2, TimeSpan.FromSeconds(10), "a send queued behind the retry");
        await lockHeld.ReleaseAsync();

        var (sent, retried, after) = (await first, await retry, await behind);
        Assert.Equal((2L, true), (sent.Message.Seq, sent.Created));
        Assert.Equal((2L, false), (retried.Message.Seq, retried.Created));
        Assert.Equal((3L, true), (after.Message.Seq, after.Created));
        var log = await SiloStore().GetAfterAsync(id, 0, 10);
        Assert.Equal(new[] { "before", "sent twice", "behind the retry" }, log.Select(m => m.Content).ToArray());
    }

    /// <summary>The message store of the cluster's silos (both read the same log).</summary>
    private MessageStore SiloStore() => fixture.Cluster.Silos[0].ServiceProvider.GetRequiredService<MessageStore>();

    private static SendMessageRequest Text(string content) => new(Guid.NewGuid().ToString(), content, "text", "plain", null, [], null);

    private static ChatMessage Message(Guid conversationId, Guid senderId, long version) =>
        new(Guid.CreateVersion7(), conversationId, 1, senderId, Guid.NewGuid().ToString(), "text", "batched", "plain", null,
            DateTimeOffset.UtcNow, null, null, [], [], null, [], null, version, version);

    private static async Task<long> HeadAsync(NpgsqlDataSource dataSource, Guid conversationId)
    {
        await using var command = dataSource.CreateCommand("SELECT version FROM conversation_heads WHERE conversation_id = $1");
        command.Parameters.AddWithValue(conversationId);
        return (long)(await command.ExecuteScalarAsync())!;
    }

    /// <summary>A conversation's head row held locked, so that a commit moving it waits until <see cref="ReleaseAsync"/>.</summary>
    private sealed class HeadLock(NpgsqlConnection connection, NpgsqlTransaction transaction) : IAsyncDisposable
    {
        public static async Task<HeadLock> TakeAsync(NpgsqlDataSource dataSource, Guid conversationId)
        {
            var connection = await dataSource.OpenConnectionAsync();
            var transaction = await connection.BeginTransactionAsync();
            await using var command = new NpgsqlCommand("SELECT 1 FROM conversation_heads WHERE conversation_id = $1 FOR UPDATE", connection, transaction)
            {
                Parameters = { new() { Value = conversationId } },
            };
            await command.ExecuteNonQueryAsync();
            return new HeadLock(connection, transaction);
        }

        public Task ReleaseAsync() => transaction.RollbackAsync();

        public async ValueTask DisposeAsync()
        {
            await transaction.DisposeAsync();
            await connection.DisposeAsync();
        }
    }

    private static async Task<long> WaitingOnLocksAsync(NpgsqlDataSource dataSource)
    {
        await using var command = dataSource.CreateCommand("SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock'");
        return (long)(await command.ExecuteScalarAsync())!;
    }

    private static MeterListener ListenToBatchSizes(ConcurrentQueue<int> sizes)
    {
        var listener = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Name == "chat.messages.batch.size")
                {
                    l.EnableMeasurementEvents(instrument);
                }
            },
        };
        listener.SetMeasurementEventCallback<int>((_, size, _, _) => sizes.Enqueue(size));
        listener.Start();
        return listener;
    }
}
