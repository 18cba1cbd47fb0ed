using Chat.Grains.Errors;
using Microsoft.Extensions.Logging;

namespace Chat.Grains.Conversations;

/// <summary>
/// Sends pipeline (and receipts with them: ConversationGrain.Receipts.cs): a send takes its seq and version and queues its insert with the silo's group commit, and the
/// next send may take the next seq while the first one's commit is still under way (sends interleave). The log's
/// head check keeps them honest: a message commits only right after the one before it, so a failed commit can
/// never leave a gap that a later one fills. A send refused only because one ahead of it did not take its version
/// (a retried clientMessageId, or an unknown outcome) takes a fresh seq instead of failing.
/// <para>
/// Everything else has the conversation to itself, as before: it starts once the sends in flight have landed, and
/// sends that arrive meanwhile wait for it. After a failed or refused send, the counters are read again from the log
/// once the sends in flight have landed, before the next send takes a seq.
/// </para>
/// </summary>
internal sealed partial class ConversationGrain : IIncomingGrainCallFilter
{
    private TaskCompletionSource? _exclusive; // a call other than a send is running
    private int _sendsInFlight;
    private TaskCompletionSource? _sendsLanded;
    private Task? _reloadingCounters;
    private bool _movedOn; // another activation wrote: everything in memory is read again
    private long _pipelineGeneration; // moves whenever the counters are forgotten

    /// <summary>The calls that pipeline instead of having the conversation to themselves: sends and receipts.</summary>
    private static readonly HashSet<string> Pipelined =
    [
        nameof(IConversationGrain.SendAsync), nameof(IConversationGrain.MarkAsync),
        nameof(IConversationGrain.MarkReadAsync), nameof(IConversationGrain.MarkDeliveredAsync),
    ];

    public async Task Invoke(IIncomingGrainCallContext context)
    {
        if (Pipelined.Contains(context.InterfaceMethod.Name))
        {
            await context.Invoke();
            return;
        }

        var exclusive = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _exclusive = exclusive;
        try
        {
            await SendsLandedAsync();
            await ReloadAfterMoveAsync();
            await context.Invoke();
        }
        finally
        {
            _exclusive = null;
            exclusive.SetResult();
        }
    }

    /// <summary>A send from a client waits while another kind of call has the conversation.</summary>
    public async Task<SendMessageResult> SendAsync(Guid senderId, SendMessageRequest request)
    {
        while (_exclusive is { } busy)
        {
            await busy.Task;
        }

        return await SendCoreAsync(senderId, request);
    }

    /// <summary>The last seq and version taken, sends in flight included; read from the log when unknown.</summary>
    private async Task<(long Seq, long Version)> CountersAsync()
    {
        while (_lastSeq is null || _version is null)
        {
            // One reload at a time, shared by the sends waiting for it.
            var reload = _reloadingCounters ??= ReloadCountersAsync();
            try
            {
                await reload;
            }
            finally
            {
                if (_reloadingCounters == reload)
                {
                    _reloadingCounters = null;
                }
            }
        }

        return (_lastSeq.Value, _version.Value);
    }

    private async Task ReloadCountersAsync()
    {
        await SendsLandedAsync();
        if (_movedOn)
        {
            await ReloadAfterMoveAsync(); // the counters too
            return;
        }

        await ReloadLastSeqAsync();
        await ReloadVersionAsync();
    }

    /// <summary>After another activation wrote, everything in memory is read again (and again, until that succeeds).</summary>
    private async Task ReloadAfterMoveAsync()
    {
        if (_movedOn)
        {
            await ReloadAllAsync();
            _movedOn = false;
        }
    }

    /// <summary>The seq and version taken by a send that did not commit (or whose commit is unknown) are not the log's.</summary>
    private void ForgetCounters()
    {
        _pipelineGeneration++;
        _lastSeq = null;
        _version = null;
    }

    /// <summary>
    /// Another activation of this conversation wrote meanwhile (the head was not where this one expected): nothing of
    /// this one's memory can be trusted, so it is all read again before the next call or send, and the caller is asked to retry.
    /// </summary>
    private ChatException MovedOn()
    {
        LogMovedOn(logger, Id);
        _movedOn = true;
        ForgetCounters();
        return new ChatException(ErrorCodes.ServiceUnavailable, "The conversation moved on; retry.");
    }

    private void SendStarted() => _sendsInFlight++;

    private void SendLanded()
    {
        if (--_sendsInFlight == 0 && _sendsLanded is { } landed)
        {
            _sendsLanded = null;
            landed.SetResult();
        }
    }

    private Task SendsLandedAsync() =>
        _sendsInFlight == 0 ? Task.CompletedTask : (_sendsLanded ??= new(TaskCreationOptions.RunContinuationsAsynchronously)).Task;
}
