using Chat.Grains.Conversations;
using Chat.Grains.Hosting;

namespace Chat.WebFrontend.Realtime;

/// <summary>
/// Gathers the receipts this node's connections send, per conversation: the first goes to the conversation's grain at
/// once, and those that arrive while that call is out go together in the next one. Every member of a big group marks
/// every message delivered and read, so a call per receipt would be two thousand calls per message in a group of 1,000.
/// </summary>
public sealed class ReceiptForwarder(GrainReferences grains)
{
    private readonly Dictionary<Guid, List<Waiting>> _next = []; // a conversation is here while a call to it is out
    private readonly Lock _lock = new();

    /// <summary>Completes once the conversation accepted the receipt (it is stored with its next flush); throws what it refused it with.</summary>
    public async Task MarkAsync(Guid conversationId, ReceiptMark mark)
    {
        var waiting = new Waiting(mark, new(TaskCreationOptions.RunContinuationsAsynchronously));
        bool idle;
        lock (_lock)
        {
            idle = !_next.TryGetValue(conversationId, out var next);
            (next ??= _next[conversationId] = []).Add(waiting);
        }

        if (idle)
        {
            _ = Task.Run(() => ForwardAsync(conversationId));
        }

        (await waiting.Outcome.Task).ThrowIfRefused();
    }

    private async Task ForwardAsync(Guid conversationId)
    {
        while (true)
        {
            List<Waiting> batch;
            lock (_lock)
            {
                batch = _next[conversationId];
                if (batch.Count == 0)
                {
                    _next.Remove(conversationId);
                    return;
                }

                _next[conversationId] = [];
            }

            try
            {
                var outcomes = await grains.Get<IConversationGrain>(conversationId).MarkAsync([.. batch.Select(w => w.Mark)]);
                for (var i = 0; i < batch.Count; i++)
                {
                    batch[i].Outcome.TrySetResult(outcomes[i]);
                }
            }
            catch (Exception exception)
            {
                batch.ForEach(w => w.Outcome.TrySetException(exception));
            }
        }
    }

    private sealed record Waiting(ReceiptMark Mark, TaskCompletionSource<ReceiptOutcome> Outcome);
}
