using System.Collections.Immutable;

namespace Chat.Grains.Conversations;

/// <summary>A message waiting for its time (or what became of it).</summary>
[GenerateSerializer, Immutable, Alias("chat.scheduled-message")]
public sealed record ScheduledMessage(
    [property: Id(0)] Guid Id,
    [property: Id(1)] Guid ConversationId,
    [property: Id(2)] Guid SenderId,
    [property: Id(3)] SendMessageRequest Request,
    [property: Id(4)] DateTimeOffset ScheduledFor,
    [property: Id(5)] string Status,
    [property: Id(6)] long? Seq,
    [property: Id(7)] string? Error);

/// <summary>States of a scheduled message.</summary>
public static class ScheduledStates
{
    public const string Pending = "pending";
    public const string Sent = "sent";
    public const string Failed = "failed";
    public const string Cancelled = "cancelled";
}

/// <summary>Bounds of scheduling and disappearing messages.</summary>
public static class TimingLimits
{
    public static readonly TimeSpan MaxScheduleAhead = TimeSpan.FromDays(366);
    public const int MinDisappearAfterSeconds = 1;
    public const int MaxDisappearAfterSeconds = 366 * 24 * 3600;
}
