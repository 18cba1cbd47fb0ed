namespace Chat.Grains.Presence;

/// <summary>Durable presence: when the user was last seen and what they chose to show. Live sessions are in memory by design.</summary>
[GenerateSerializer, Alias("chat.presence-state")]
public sealed class PresenceState
{
    [Id(0)] public DateTimeOffset? LastSeenAt { get; set; }
    [Id(1)] public string ChosenStatus { get; set; } = PresenceStates.Online;
    [Id(2)] public string? CustomStatus { get; set; }
}
