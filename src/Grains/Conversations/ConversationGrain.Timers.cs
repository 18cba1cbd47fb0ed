using System.Collections.Immutable;
using Chat.Grains.Errors;
using Chat.Grains.Storage;
using Chat.Grains.Streams;
using Microsoft.Extensions.Logging;

namespace Chat.Grains.Conversations;

/// <summary>
/// Scheduled and disappearing messages, driven by one Orleans reminder per conversation that is always set for the
/// next thing due (a scheduled message to post, a message to expire). Reminders live in PostgreSQL, so a silo
/// restart only delays them. The one-minute period is a retry should a tick fail.
/// </summary>
internal sealed partial class ConversationGrain : IRemindable
{
    private const string DueReminderName = "due";
    private DateTimeOffset? _armedFor;

    public async Task<ScheduledMessage> ScheduleAsync(Guid senderId, SendMessageRequest request, DateTimeOffset scheduledFor)
    {
        RequireMember(senderId);
        request = MessageRules.Validate(request, limits.Value);
        var now = clock.GetUtcNow();
        if (scheduledFor <= now || scheduledFor > now + TimingLimits.MaxScheduleAhead)
        {
            throw ChatException.Validation($"scheduledFor must be in the future, at most {TimingLimits.MaxScheduleAhead.TotalDays} days ahead.");
        }

        if (state.State.Type == ConversationTypes.Direct)
        {
            await RequireNotBlockedAsync(senderId, _members.Keys.FirstOrDefault(id => id != senderId));
        }

        await RequireSendableAttachmentsAsync(senderId, request.AttachmentIds);
        var stored = await scheduled.InsertAsync(
            new ScheduledMessage(Guid.CreateVersion7(), Id, senderId, request, scheduledFor.ToUniversalTime(), ScheduledStates.Pending, null, null),
            clock.UtcNowForStorage());
        await ArmAsync(stored.ScheduledFor);
        return stored;
    }

    public async Task<ImmutableArray<ScheduledMessage>> GetScheduledAsync(Guid callerId)
    {
        RequireMember(callerId);
        return await scheduled.ListUnsentAsync(Id, callerId);
    }

    public async Task CancelScheduledAsync(Guid callerId, Guid scheduledId)
    {
        RequireMember(callerId);
        if (!await scheduled.CancelAsync(Id, callerId, scheduledId))
        {
            throw ChatException.NotFound("No pending scheduled message of yours with that id.");
        }
    }

    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        if (reminderName != DueReminderName)
        {
            return;
        }

        _armedFor = null;
        var now = clock.GetUtcNow();
        foreach (var due in await scheduled.DueAsync(Id, now))
        {
            await PostScheduledAsync(due);
        }

        foreach (var seq in await messages.ExpiredAsync(Id, now))
        {
            await ExpireAsync(seq);
        }

        await ArmAsync(null);
    }

    /// <summary>
    /// Makes sure the reminder fires by <paramref name="due"/> (null: by whatever is due next, or not at all). The
    /// reminder row is only rewritten when the time moves earlier, so a busy disappearing conversation does not
    /// write it per message.
    /// </summary>
    private async Task ArmAsync(DateTimeOffset? due)
    {
        if (DueReminder.Covers(_armedFor, due))
        {
            return;
        }

        var next = DueReminder.MustReadStored(_armedFor, due)
            ? DueReminder.Earliest(due, await scheduled.NextDueAsync(Id), await messages.NextExpiryAsync(Id))
            : due;
        if (next is null)
        {
            if (await this.GetReminder(DueReminderName) is { } reminder)
            {
                await this.UnregisterReminder(reminder);
            }

            return;
        }

        await this.RegisterOrUpdateReminder(DueReminderName, DueReminder.DueIn(next.Value, clock.GetUtcNow()), TimeSpan.FromMinutes(1));
        _armedFor = next;
    }

    private async Task PostScheduledAsync(ScheduledMessage due)
    {
        try
        {
            // The scheduled id makes the post idempotent: a tick repeated after a crash finds the same message.
            var request = due.Request with { ClientMessageId = $"scheduled:{due.Id:N}" };
            var posted = await SendCoreAsync(due.SenderId, request);
            await scheduled.FinishAsync(due.Id, posted.Message.Seq, null);
        }
        catch (ChatException refused) when (refused.Code != ErrorCodes.ServiceUnavailable)
        {
            // The sender left, was blocked, or an attachment went: it fails, visibly, instead of posting late or never.
            LogScheduledFailed(logger, Id, due.Id, refused.Message);
            await scheduled.FinishAsync(due.Id, null, refused.Message);
        }
    }

    /// <summary>A disappearing message whose time is up becomes a tombstone, as if deleted for everyone.</summary>
    private Task ExpireAsync(long seq) => TombstoneAsync(seq);

    [LoggerMessage(Level = LogLevel.Information, Message = "Conversation {ConversationId}: scheduled message {ScheduledId} not posted: {Reason}")]
    private static partial void LogScheduledFailed(ILogger logger, Guid conversationId, Guid scheduledId, string reason);
}
