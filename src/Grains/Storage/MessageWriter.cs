using System.Diagnostics;
using System.Threading.Channels;
using Npgsql;

namespace Chat.Grains.Storage;

/// <summary>
/// Group commit of new messages and receipts, one writer per silo. Conversations hash onto a few shards; each shard commits
/// what queued while its previous commit ran as one batch: one round trip and one commit for many messages, each
/// still its own statement with its own head check. A shard holds at most one commit in flight, and a conversation
/// always lands on the same shard, so its writes stay in order. Alone, a message waits for nothing.
/// <para>
/// If the server refuses any statement, PostgreSQL rolled the whole batch back, so each message runs again alone and
/// only the refused one fails. If the connection fails, whether the batch committed is unknown: every message of it
/// fails as a lone insert would, and its grain re-reads the log before its next write.
/// </para>
/// </summary>
public sealed class MessageWriter : IAsyncDisposable
{
    /// <summary>Most messages in one commit: beyond this a batch only adds latency to its first message.</summary>
    private const int MaxBatch = 64;

    private readonly NpgsqlDataSource _dataSource;
    private readonly Hosting.SiloMetrics _metrics;
    private readonly Channel<Pending>[] _shards;
    private readonly Task[] _loops;

    public MessageWriter(NpgsqlDataSource dataSource, Hosting.SiloMetrics metrics, int shards = 4)
    {
        (_dataSource, _metrics) = (dataSource, metrics);
        _shards = [.. Enumerable.Range(0, shards).Select(_ => Channel.CreateUnbounded<Pending>())];
        _loops = [.. _shards.Select(shard => Task.Run(() => RunAsync(shard.Reader)))];
    }

    /// <summary>
    /// Runs the statement that <paramref name="command"/> builds (one returning a scalar first) in the next commit of
    /// its conversation's shard, and answers that scalar. Built anew for each attempt: a command joins one batch only.
    /// </summary>
    public Task<object?> WriteAsync(Guid conversationId, Func<NpgsqlBatchCommand> command)
    {
        var pending = new Pending(command, new TaskCompletionSource<object?>(TaskCreationOptions.RunContinuationsAsynchronously));
        var shard = _shards[(int)((uint)conversationId.GetHashCode() % (uint)_shards.Length)];
        if (!shard.Writer.TryWrite(pending))
        {
            throw new ObjectDisposedException(nameof(MessageWriter));
        }

        return pending.Result.Task;
    }

    /// <summary>Messages waiting for their shard's next commit.</summary>
    public int Queued => _shards.Sum(shard => shard.Reader.Count);

    public async ValueTask DisposeAsync()
    {
        foreach (var shard in _shards)
        {
            shard.Writer.TryComplete();
        }

        await Task.WhenAll(_loops);
    }

    private async Task RunAsync(ChannelReader<Pending> queue)
    {
        var batch = new List<Pending>(MaxBatch);
        while (await queue.WaitToReadAsync())
        {
            while (batch.Count < MaxBatch && queue.TryRead(out var pending))
            {
                batch.Add(pending);
            }

            _metrics.MessagesBatched(batch.Count);
            try
            {
                await CommitAsync(batch);
            }
            catch (PostgresException) when (batch.Count > 1)
            {
                // Refused by the server, so nothing of the batch committed: each alone, and only the refused one fails.
                foreach (var pending in batch)
                {
                    await TryCommitAsync([pending]);
                }
            }
            catch (Exception exception)
            {
                foreach (var pending in batch)
                {
                    pending.Result.TrySetException(exception);
                }
            }

            batch.Clear();
        }
    }

    private async Task TryCommitAsync(List<Pending> alone)
    {
        try
        {
            await CommitAsync(alone);
        }
        catch (Exception exception)
        {
            alone[0].Result.TrySetException(exception);
        }
    }

    /// <summary>One round trip: PostgreSQL runs a batch's statements in one implicit transaction.</summary>
    private async Task CommitAsync(List<Pending> batch)
    {
        var results = new object?[batch.Count];
        var started = Stopwatch.GetTimestamp();
        await using (var connection = await _dataSource.OpenConnectionAsync())
        await using (var commands = new NpgsqlBatch(connection))
        {
            foreach (var pending in batch)
            {
                commands.BatchCommands.Add(pending.Command());
            }

            await using var reader = await commands.ExecuteReaderAsync();
            for (var i = 0; i < batch.Count; i++)
            {
                results[i] = await reader.ReadAsync() ? reader.GetValue(0) : null;
                await reader.NextResultAsync();
            }
        }

        _metrics.BatchCommitted(Stopwatch.GetElapsedTime(started));
        for (var i = 0; i < batch.Count; i++)
        {
            batch[i].Result.TrySetResult(results[i]);
        }
    }

    private sealed record Pending(Func<NpgsqlBatchCommand> Command, TaskCompletionSource<object?> Result);
}
