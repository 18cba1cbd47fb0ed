namespace Chat.Grains.Presence;

/// <summary>Session liveness, configurable under <c>Chat:Presence</c>.</summary>
public sealed class PresenceOptions
{
    public const string Section = "Chat:Presence";

    /// <summary>A session with no heartbeat for this long is dead (its frontend crashed or lost the cluster).</summary>
    public TimeSpan SessionTimeout { get; set; } = TimeSpan.FromSeconds(90);

    /// <summary>How often frontends send heartbeats for their connections.</summary>
    public TimeSpan HeartbeatInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>A user shown as online becomes away after this long without doing anything.</summary>
    public TimeSpan AwayAfter { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// Changes are published at most this often: a change sooner waits, and only the latest is sent. One change fans
    /// out to every conversation of the user, so a client toggling its status must not multiply into a storm.
    /// </summary>
    public TimeSpan MinPublishInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Changes reach conversations of at most this many members. Every change to every member of a group of N is N
    /// times N deliveries: a thousand members coming online in a morning would be a million events, most about
    /// people nobody is looking at. Members of bigger groups read presence on demand (<c>GET /users/{id}/presence</c>);
    /// contacts and co-members of smaller conversations still get every change.
    /// </summary>
    public int PushedUpTo { get; set; } = 100;
}
