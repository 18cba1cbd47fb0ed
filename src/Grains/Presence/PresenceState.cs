namespace Chat.Grains.Presence;

/// <summary>Durable presence: only when the user was last seen. Live sessions are in memory by design.</summary>
[GenerateSerializer, Alias("chat.presence-state")]
public sealed class PresenceState
{
    [Id(0)] public DateTimeOffset? LastSeenAt { get; set; }
}
