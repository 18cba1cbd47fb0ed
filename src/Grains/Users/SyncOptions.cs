namespace Chat.Grains.Users;

/// <summary>Bound from <c>Chat:Sync</c>.</summary>
public sealed class SyncOptions
{
    public const string Section = "Chat:Sync";

    /// <summary>
    /// Writes commit a little after their timestamps are taken, on clocks that may differ slightly between silos and
    /// the database: each sync token starts this much earlier, so a change may be reported twice but never missed.
    /// </summary>
    public TimeSpan Overlap { get; set; } = TimeSpan.FromSeconds(5);
}
