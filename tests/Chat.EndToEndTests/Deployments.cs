using Chat.Testing;

namespace Chat.EndToEndTests;

/// <summary>
/// For tests that fire hundreds of messages from a few users at once to test ordering and durability: the send
/// limit (10/s, burst 20 by default) is raised so that it is not what they measure.
/// </summary>
public class BulkSendDeployment : ChatDeployment
{
    protected override IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string>
    {
        ["Chat__RateLimits__SendsPerSecond"] = "10000",
        ["Chat__RateLimits__SendBurst"] = "10000",
    };
}

/// <summary>
/// A deployment whose feeds keep at most one stream event queued and whose connections buffer few events: stream
/// events get dropped under any burst (as a failing stream would drop them) and slow sockets fill up quickly.
/// </summary>
public sealed class LossyFeedDeployment : BulkSendDeployment
{
    protected override IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string>(base.Settings)
    {
        ["Chat__Realtime__FeedBuffer"] = "1",
        ["Chat__Realtime__ConnectionBuffer"] = "50",
        ["Chat__RateLimits__RequestsPerSecond"] = "100000",
        ["Chat__RateLimits__RequestBurst"] = "100000",
    };
}

/// <summary>Presence heartbeats every second, so a connection the node wrongly keeps would show within the test.</summary>
public sealed class FastHeartbeatDeployment : ChatDeployment
{
    protected override IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string>
    {
        ["Chat__Realtime__HeartbeatInterval"] = "00:00:01",
    };
}
