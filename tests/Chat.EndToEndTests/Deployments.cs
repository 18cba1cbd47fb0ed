using Chat.Testing;

namespace Chat.EndToEndTests;

/// <summary>
/// For tests that fire hundreds of messages or requests from a few users at once to test ordering, durability or
/// the authorization matrix: the send limit (10/s, burst 20 by default) and the request limit (100/s, burst 200)
/// are raised so that they are not what these tests measure. The matrix got a 429 once the frontend answered its
/// owner's hundreds of requests faster than 100 a second.
/// </summary>
public class BulkSendDeployment : ChatDeployment
{
    protected override IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string>
    {
        ["Chat__RateLimits__SendsPerSecond"] = "10000",
        ["Chat__RateLimits__SendBurst"] = "10000",
        ["Chat__RateLimits__RequestsPerSecond"] = "100000",
        ["Chat__RateLimits__RequestBurst"] = "100000",
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
    };
}

/// <summary>
/// The default bursts (20 sends, 200 requests per user) refilling at one a second: a loaded machine cannot refill
/// a bucket between two requests of a test that empties it, as it can at the default 10 and 100 a second.
/// </summary>
public sealed class SlowRefillDeployment : ChatDeployment
{
    protected override IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string>
    {
        ["Chat__RateLimits__SendsPerSecond"] = "1",
        ["Chat__RateLimits__SendBurst"] = "20",
        ["Chat__RateLimits__RequestsPerSecond"] = "1",
        ["Chat__RateLimits__RequestBurst"] = "200",
    };
}

/// <summary>
/// A feed keeps at most one stream event queued (so a burst makes it repair from the log); connections buffer as
/// usual; neither sends nor requests are limited (a test may need several bursts).
/// </summary>
public sealed class DroppingFeedDeployment : BulkSendDeployment
{
    protected override IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string>(base.Settings)
    {
        ["Chat__Realtime__FeedBuffer"] = "1",
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

/// <summary>
/// Sessions on a short clock: access tokens live 20 s, a session 8 s at most, and a key roll is under way (tokens
/// of the previous key, id "old", are still accepted; new ones are signed with the current key, id "new").
/// </summary>
public sealed class ShortSessionDeployment : ChatDeployment
{
    public const string PreviousKey = "the-previous-signing-key-of-this-deployment-0123456789";

    protected override IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string>
    {
        ["Chat__Auth__AccessTokenLifetime"] = "00:00:20",
        ["Chat__Auth__MaxSessionAge"] = "00:00:08",
        ["Chat__Auth__SigningKeyId"] = "new",
        ["Chat__Auth__PreviousSigningKey"] = PreviousKey,
        ["Chat__Auth__PreviousSigningKeyId"] = "old",
    };
}

/// <summary>
/// Two frontends behind a "proxy" at loopback (trusted to name the client in <c>X-Forwarded-For</c>), with a small
/// per-address sign-in budget (8 at once, then one a second).
/// </summary>
public sealed class ProxiedDeployment : ChatDeployment
{
    protected override int ExtraFrontends => 1;

    protected override IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string>
    {
        ["Chat__Network__KnownProxies__0"] = "127.0.0.1",
        ["Chat__RateLimits__AuthAttemptBurst"] = "8",
        ["Chat__RateLimits__AuthAttemptsPerMinute"] = "60",
    };
}

/// <summary>
/// The frontend starts 5 s before the silo, on a fresh database: it meets neither a gateway nor the cluster's tables
/// (the silo creates them), as when a deployment brings its pods up in any order.
/// </summary>
public sealed class FrontendFirstDeployment : ChatDeployment
{
    protected override TimeSpan FrontendHeadStart => TimeSpan.FromSeconds(5);
}
