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

    /// <summary>Keeps sessions alive; unknown ones are registered again (after a silo crash lost them).</summary>
    [Alias("Heartbeat")]
    Task HeartbeatAsync(IReadOnlyList<string> connectionIds, string frontendNode);

    /// <summary>The current presence.</summary>
    [Alias("Get")]
    Task<PresenceStatus> GetAsync();
}

/// <summary>Presence states of API.md.</summary>
public static class PresenceStates
{
    public const string Online = "online";
    public const string Offline = "offline";
}

[GenerateSerializer, Immutable, Alias("chat.presence")]
public sealed record PresenceStatus(
    [property: Id(0)] Guid UserId,
    [property: Id(1)] string Status,
    [property: Id(2)] string? CustomStatus,
    [property: Id(3)] DateTimeOffset? LastSeenAt);
