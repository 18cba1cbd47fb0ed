namespace Chat.Grains.Presence;

/// <summary>
/// One user's live sessions (key: user id). The user is online while any session lives; a session that stops
/// sending heartbeats expires by timer, so a crashed frontend cannot leave a user online forever.
/// </summary>
[Alias("chat.IPresenceGrain")]
public interface IPresenceGrain : IGrainWithGuidKey
{
    /// <summary>Registers a live connection served by <paramref name="frontendNode"/>.</summary>
    [Alias("Connect")]
    Task ConnectAsync(string connectionId, string frontendNode);

    /// <summary>Ends one session; the user goes offline when it was the last.</summary>
    [Alias("Disconnect")]
    Task DisconnectAsync(string connectionId);

    /// <summary>
    /// Keeps sessions alive (unknown ones are registered again, after a silo crash lost them) and reports when the
    /// user last did something on that node, for "away after inactivity".
    /// </summary>
    [Alias("Heartbeat")]
    Task HeartbeatAsync(IReadOnlyList<string> connectionIds, string frontendNode, DateTimeOffset? lastActivityAt);

    /// <summary>The user's chosen status (online, away, busy or invisible) and custom status text, kept across sessions.</summary>
    [Alias("SetStatus")]
    Task<PresenceStatus> SetStatusAsync(string status, string? customStatus);

    /// <summary>Whether any session of the user is live (whatever they show others): no push needed then.</summary>
    [Alias("HasLiveSession")]
    Task<bool> HasLiveSessionAsync();

    /// <summary>The presence as <paramref name="viewerId"/> may see it: offline (without last seen) to those who may not.</summary>
    [Alias("Get")]
    Task<PresenceStatus> GetAsync(Guid viewerId);
}

/// <summary>Presence states of API.md. <see cref="Invisible"/> is chosen by a user and shown to others as offline.</summary>
public static class PresenceStates
{
    public const string Online = "online";
    public const string Away = "away";
    public const string Busy = "busy";
    public const string Offline = "offline";
    public const string Invisible = "invisible";

    public const int MaxCustomStatusLength = 100;

    public static bool IsChoosable(string? status) => status is Online or Away or Busy or Invisible;
}

[GenerateSerializer, Immutable, Alias("chat.presence")]
public sealed record PresenceStatus(
    [property: Id(0)] Guid UserId,
    [property: Id(1)] string Status,
    [property: Id(2)] string? CustomStatus,
    [property: Id(3)] DateTimeOffset? LastSeenAt);
