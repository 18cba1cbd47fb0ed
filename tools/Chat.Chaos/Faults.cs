using System.Diagnostics;
using System.Net;

namespace Chat.Chaos;

/// <summary>
/// One fault: how to inject it, how long it lasts, and how to heal it. A crash must be survived without the
/// healing (the restart only brings capacity back), so recovery is timed from the crash; a hang or an outage
/// cannot end before it is healed, so recovery is timed from the healing.
/// </summary>
internal sealed record Fault(string Name, Func<Cluster, Task> Inject, TimeSpan Hold, Func<Cluster, Task> Heal, bool SurvivedUnhealed = false)
{
    public static Fault None { get; } = new("none (steady load)", _ => Task.CompletedTask, TimeSpan.Zero, _ => Task.CompletedTask);

    public static Fault KillSilo(int n) => new($"SIGKILL silo {n}", c => c.RunAsync("kill", "silo", $"{n}"), TimeSpan.FromSeconds(5),
        c => c.RunAsync("restart", "silo", $"{n}"), SurvivedUnhealed: true);

    public static Fault KillFrontend(int n) => new($"SIGKILL frontend {n}", c => c.RunAsync("kill", "frontend", $"{n}"), TimeSpan.FromSeconds(5),
        c => c.RunAsync("restart", "frontend", $"{n}"), SurvivedUnhealed: true);

    public static Fault StopSilo(int n, TimeSpan hold) => new($"SIGSTOP silo {n} {hold.TotalSeconds:0} s", c => c.RunAsync("stop", "silo", $"{n}"), hold,
        c => c.RunAsync("cont", "silo", $"{n}"));

    public static Fault PostgresDown(TimeSpan hold) => new($"PostgreSQL down {hold.TotalSeconds:0} s", c => c.RunAsync("pg", "stop"), hold,
        c => c.RunAsync("pg", "start"));

    public static Fault RollingRestart(int silos, int frontends) => new("rolling restart", async c =>
    {
        for (var n = 1; n <= silos; n++)
        {
            await c.RunAsync("restart", "silo", $"{n}");
        }

        for (var n = 1; n <= frontends; n++)
        {
            await c.RunAsync("restart", "frontend", $"{n}");
        }
    }, TimeSpan.Zero, _ => Task.CompletedTask);
}

/// <summary>While PostgreSQL is down: readiness must be red and a request refused fast with 503, not left hanging.</summary>
internal static class OutageCheck
{
    public static readonly TimeSpan Fast = TimeSpan.FromSeconds(2);

    public static async Task<(bool Ok, string Notes)> ProbeAsync(Uri frontend, string token)
    {
        using var http = new HttpClient { BaseAddress = frontend, Timeout = TimeSpan.FromSeconds(30) };
        http.DefaultRequestHeaders.Authorization = new("Bearer", token);
        var ready = await http.GetAsync("/health/ready");
        var watch = Stopwatch.StartNew();
        var refused = await http.GetAsync("/api/v1/conversations");
        var ok = ready.StatusCode == HttpStatusCode.ServiceUnavailable && refused.StatusCode == HttpStatusCode.ServiceUnavailable && watch.Elapsed < Fast;
        return (ok, $"ready {(int)ready.StatusCode}, a read answered {(int)refused.StatusCode} in {watch.ElapsedMilliseconds} ms");
    }
}
