namespace Chat.WebFrontend.Realtime;

/// <summary>Bound from <c>Chat:Realtime</c>.</summary>
public sealed class RealtimeOptions
{
    public const string Section = "Chat:Realtime";

    /// <summary>How often the node compares the log's last seqs with what it forwarded (the subscription lease).</summary>
    public TimeSpan ProbeInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>How often the node reports its live connections to the presence grains.</summary>
    public TimeSpan HeartbeatInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>A typist who sends no StartTyping for this long has stopped (API.md: 6 s).</summary>
    public TimeSpan TypingTimeout { get; set; } = TimeSpan.FromSeconds(6);

    /// <summary>While someone keeps typing, "still typing" goes out at most this often, however fast the refreshes come.</summary>
    public TimeSpan TypingRepeat { get; set; } = TimeSpan.FromSeconds(3);
}
