using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Chat.Chaos;

// The chaos suite of RELIABILITY.md: a private cluster (scripts/cluster.sh), a fleet of SignalR clients in direct
// chats and groups spread over the frontends, a steady workload, and faults one at a time. After each fault the
// load stops, every client must settle to exactly what PostgreSQL holds, and the per-connection checks must be
// clean. Prints a table; exits 1 when any guarantee broke. `--short` is the version the test suite runs; `--dir`
// names the cluster's folder (so a caller can always take it down), `--repo` the repository; `--kills N` kills
// each silo N times in turn (1 by default: a second round finds what the first crash left behind).
var shortRun = args.Contains("--short");
var kills = int.Parse(args.SkipWhile(a => a != "--kills").Skip(1).FirstOrDefault() ?? "1");
var repository = args.SkipWhile(a => a != "--repo").Skip(1).FirstOrDefault() ?? FindRepository();
var (silos, frontends, userCount, rate, steady) = shortRun ? (2, 2, 16, 20, TimeSpan.FromSeconds(6)) : (3, 2, 60, 40, TimeSpan.FromSeconds(15));
// Connected clients must keep receiving within this long after a crash, without reconnecting.
var maxRecovery = TimeSpan.FromSeconds(10);
int[] groupSizes = shortRun ? [3, 8] : [3, 5, 10, 20, 50];
var settings = new Dictionary<string, string>
{
    ["Chat__RateLimits__SendsPerSecond"] = "100000", ["Chat__RateLimits__SendBurst"] = "100000",
    ["Chat__RateLimits__RequestsPerSecond"] = "100000", ["Chat__RateLimits__RequestBurst"] = "100000",
    ["Chat__RateLimits__AuthAttemptsPerMinute"] = "6000000", ["Chat__RateLimits__AuthAttemptBurst"] = "100000",
    ["Chat__Realtime__ProbeInterval"] = "00:00:01",
    // The processes' logs are kept in the cluster's folder: timestamps line them up with the faults' start times.
    ["Logging__Console__FormatterName"] = "simple", ["Logging__Console__FormatterOptions__TimestampFormat"] = "HH:mm:ss.fff ",
    ["Logging__Console__FormatterOptions__UseUtcTimestamp"] = "true",
    // When a silo was declared dead, and by whom: what a slow recovery is measured against.
    ["Logging__LogLevel__Orleans.Runtime.MembershipService"] = "Information",
    // Which gateways each frontend is connected to, and where the silos route calls to it: what a stall of every call
    // through one gateway is read from.
    ["Logging__LogLevel__Orleans.Runtime.Messaging.Gateway"] = "Information", ["Logging__LogLevel__Orleans.Messaging"] = "Information",
    ["Logging__LogLevel__Orleans.Runtime.GrainDirectory.ClientDirectory"] = "Debug",
};
var folder = args.SkipWhile(a => a != "--dir").Skip(1).FirstOrDefault() ?? Path.Combine(Path.GetTempPath(), $"chat-chaos-{Environment.ProcessId}");
await using var cluster = new Cluster(repository, folder, settings);
var total = Stopwatch.StartNew();
Console.WriteLine($"Chaos: {silos} silos, {frontends} frontends, {userCount} users, {rate} operations/s{(shortRun ? " (short)" : "")}");
await cluster.StartAsync(silos, frontends);
Console.CancelKeyPress += (_, _) => cluster.DisposeAsync().AsTask().Wait();

// Users, each at home on one frontend; direct chats between halves; groups of the given sizes.
using var http = new HttpClient { BaseAddress = cluster.Frontends[0] };
var run = Guid.NewGuid().ToString("N")[..6];
var accounts = new List<(Guid Id, string Token)>();
foreach (var i in Enumerable.Range(0, userCount))
{
    var response = await http.PostAsJsonAsync("/api/v1/auth/register", new { username = $"chaos{run}_{i}", password = "Chaos-test-1!" });
    var body = (await response.EnsureSuccessStatusCode().Content.ReadFromJsonAsync<JsonObject>())!;
    accounts.Add((body["user"]!["id"]!.GetValue<Guid>(), body["accessToken"]!.GetValue<string>()));
}

var owners = new Dictionary<Guid, Guid>();
var membersOf = new Dictionary<Guid, List<Guid>>();
for (var i = 0; i < userCount / 2; i++)
{
    var (a, b) = (accounts[i], accounts[i + userCount / 2]);
    var direct = await PostAsync(a.Token, "/api/v1/conversations/direct", new { userId = b.Id });
    membersOf[direct] = [a.Id, b.Id];
}

var random = new Random(42);
foreach (var size in groupSizes)
{
    var members = accounts.OrderBy(_ => random.Next()).Take(size).ToList();
    var group = await PostAsync(members[0].Token, "/api/v1/conversations/group", new { name = $"group of {size}", memberIds = members.Skip(1).Select(m => m.Id) });
    owners[group] = members[0].Id;
    membersOf[group] = [.. members.Select(m => m.Id)];
}

// Homes split the users in consecutive blocks, so each direct chat (i, i + n/2) spans two frontends.
var clients = accounts.Select((a, i) => new ChaosClient(a.Id, a.Token, cluster.Frontends, i * frontends / userCount)).ToList();
foreach (var client in clients)
{
    foreach (var (conversation, members) in membersOf.Where(c => c.Value.Contains(client.UserId)))
    {
        client.Conversations[conversation] = new ConversationCopy();
    }
}

await Task.WhenAll(clients.Select(c => c.ConnectAsync()));
var workload = new Workload(clients, owners, rate);

Fault[] faults = shortRun
    ? [Fault.KillSilo(2), Fault.KillFrontend(2)]
    : [Fault.None, .. Enumerable.Range(0, kills).SelectMany(_ => Enumerable.Range(1, silos)).Select(Fault.KillSilo), Fault.KillFrontend(2), Fault.StopSilo(2, TimeSpan.FromSeconds(20)),
        Fault.PostgresDown(TimeSpan.FromSeconds(10)), Fault.RollingRestart(silos, frontends)];

Console.WriteLine();
Console.WriteLine("| fault | operations | acked | lost | duplicates | reorders | after removal | divergent clients | reconnects | recover s | notes |");
Console.WriteLine("|---|---|---|---|---|---|---|---|---|---|---|");
var failed = false;
foreach (var fault in faults)
{
    var before = (Operations: workload.Operations, Acked: workload.Acked.Count, Reconnects: clients.Sum(c => c.Reconnects),
        Duplicates: clients.Sum(c => c.Duplicates), Reorders: clients.Sum(c => c.Reorders), AfterRemoval: clients.Sum(c => c.AfterRemoval));
    using var stop = new CancellationTokenSource();
    var load = workload.RunAsync(stop.Token);
    await Task.Delay(steady);
    var (notes, outageOk) = ($"at {DateTime.UtcNow:HH:mm:ss}; ", true);
    await fault.Inject(cluster);
    var recovery = fault.SurvivedUnhealed ? Recovery.MeasureAsync(clients, membersOf, TimeSpan.FromSeconds(90)) : null;
    await Task.Delay(fault.Hold);
    if (fault.Name.StartsWith("PostgreSQL", StringComparison.Ordinal))
    {
        (outageOk, var outage) = await OutageCheck.ProbeAsync(cluster.Frontends[0], accounts[0].Token);
        notes += outage;
    }

    await fault.Heal(cluster);
    var recover = await (recovery ?? Recovery.MeasureAsync(clients, membersOf, TimeSpan.FromSeconds(90)));
    var recoverSeconds = recover is { } r ? $"{r.TotalSeconds:0.0}" : "never";
    await Task.Delay(steady);
    await stop.CancelAsync();
    await load;

    var (divergent, detail) = await Recovery.SettleAndCompareAsync(clients, cluster.ConnectionString, TimeSpan.FromSeconds(60));
    var lost = await Snapshot.CountLostAsync(cluster.ConnectionString, [.. workload.Acked]);
    var (duplicates, reorders, afterRemoval) = (clients.Sum(c => c.Duplicates) - before.Duplicates, clients.Sum(c => c.Reorders) - before.Reorders,
        clients.Sum(c => c.AfterRemoval) - before.AfterRemoval);
    if (duplicates + reorders + afterRemoval > 0)
    {
        detail += $" first out of order: {clients.Select(c => c.FirstAnomaly).First(a => a is not null)}";
    }

    var recoveredInTime = recover is { } took && (!fault.SurvivedUnhealed || took <= maxRecovery);
    failed |= lost > 0 || duplicates > 0 || reorders > 0 || afterRemoval > 0 || divergent > 0 || !recoveredInTime || !outageOk;
    Console.WriteLine($"| {fault.Name} | {workload.Operations - before.Operations} | {workload.Acked.Count - before.Acked} | {lost} | {duplicates} | {reorders} | {afterRemoval} | {divergent} | {clients.Sum(c => c.Reconnects) - before.Reconnects} | {recoverSeconds} | {notes}{detail} |");
}

foreach (var client in clients)
{
    await client.DisposeAsync();
}

Console.WriteLine();
Console.WriteLine($"chaos: {(failed ? "FAILED" : "passed")} in {total.Elapsed.TotalSeconds:0} s ({workload.Operations} operations, {workload.Acked.Count} acknowledged sends, {workload.Failures} refused or failed during faults)");
return failed ? 1 : 0;

async Task<Guid> PostAsync(string token, string path, object body)
{
    using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = JsonContent.Create(body) };
    request.Headers.Authorization = new("Bearer", token);
    var response = await http.SendAsync(request);
    return (await response.EnsureSuccessStatusCode().Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<Guid>();
}

static string FindRepository()
{
    var dir = new DirectoryInfo(AppContext.BaseDirectory);
    while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Chat.sln")))
    {
        dir = dir.Parent;
    }

    return dir?.FullName ?? throw new InvalidOperationException("Run from inside the repository, or pass --repo.");
}
