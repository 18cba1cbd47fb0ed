namespace Chat.WebFrontend.Realtime;

/// <summary>Bound from <c>Chat:Realtime</c>.</summary>
public sealed class RealtimeOptions
{
    public const string Section = "Chat:Realtime";

    /// <summary>How often the node compares each conversation's version with what it forwarded (the subscription lease).</summary>
    public TimeSpan ProbeInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// How long the real-time upkeep (log reads, subscribing, renewing user streams) waits for one cluster call before
    /// trying again at the next probe; a probe itself waits two probe intervals. A call forwarded to a silo that dies
    /// is otherwise answered only by the client's response timeout (30 s), and a feed waiting for it forwards nothing
    /// meanwhile. The calls are reads or renewals, so a retry is always safe.
    /// </summary>
    public TimeSpan CallTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Events queued for one connection at most; a connection that falls further behind is closed (it catches up on reconnect).</summary>
    public int ConnectionBuffer { get; set; } = 2000;

    /// <summary>Stream events queued for one conversation feed at most; beyond, events are dropped and repaired from the log.</summary>
    public int FeedBuffer { get; set; } = 10000;

    /// <summary>How often the node reports its live connections to the presence grains.</summary>
    public TimeSpan HeartbeatInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>A typist who sends no StartTyping for this long has stopped (API.md: 6 s).</summary>
    public TimeSpan TypingTimeout { get; set; } = TimeSpan.FromSeconds(6);

    /// <summary>While someone keeps typing, "still typing" goes out at most this often, however fast the refreshes come.</summary>
    public TimeSpan TypingRepeat { get; set; } = TimeSpan.FromSeconds(3);

    /// <summary>How long a frontend being stopped waits for the sends under way before it closes its connections.</summary>
    public TimeSpan DrainTimeout { get; set; } = TimeSpan.FromSeconds(10);
}
