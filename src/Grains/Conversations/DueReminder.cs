namespace Chat.Grains.Conversations;

/// <summary>
/// When a conversation's one reminder must fire: for the earliest of what is due (a scheduled message to post, a
/// disappearing message to expire). Decisions only; the grain reads the stored times and writes the reminder.
/// </summary>
internal static class DueReminder
{
    /// <summary>Whether a reminder already armed for <paramref name="armedFor"/> covers something due at <paramref name="due"/>.</summary>
    public static bool Covers(DateTimeOffset? armedFor, DateTimeOffset? due) => due is { } later && armedFor is { } armed && armed <= later;

    /// <summary>
    /// Whether the stored times must be read to decide. Only when the reminder is known to be armed (for a later
    /// time) is the new time alone the earliest; a fresh activation or a tick does not know what the reminder row
    /// holds, and must not overwrite an earlier time with a later one.
    /// </summary>
    public static bool MustReadStored(DateTimeOffset? armedFor, DateTimeOffset? due) => due is null || armedFor is null;

    /// <summary>The earliest of the given times, null when there is none (then no reminder is needed).</summary>
    public static DateTimeOffset? Earliest(params DateTimeOffset?[] times) => times.Where(t => t is not null).Min();

    /// <summary>How long until <paramref name="next"/>; something already due fires at once.</summary>
    public static TimeSpan DueIn(DateTimeOffset next, DateTimeOffset now) => next > now ? next - now : TimeSpan.Zero;
}
