using System.Diagnostics;
using System.Text.Json;
using Chat.LoadTest;

// Load scenarios against a running Chat (scripts/bench.sh starts one): see Scenarios.Help, or --help.
// A thousand SignalR connections in one process rent their pipe buffers from the shared pool all at once; at its
// default size (32 per core) most were allocated and dropped, and the tool's own GC pauses counted as latency.
Environment.SetEnvironmentVariable("DOTNET_SYSTEM_BUFFERS_SHAREDARRAYPOOL_MAXARRAYSPERPARTITION",
    Environment.GetEnvironmentVariable("DOTNET_SYSTEM_BUFFERS_SHAREDARRAYPOOL_MAXARRAYSPERPARTITION") ?? "1024");
if (args.Length == 0 || args.Contains("--help"))
{
    Console.WriteLine("Chat.LoadTest SCENARIO [options]\n" + Scenarios.Help);
    return args.Length == 0 ? 2 : 0;
}

var options = LoadOptions.Parse(args);
using var http = new HttpClient { BaseAddress = options.Url, Timeout = TimeSpan.FromMinutes(5) };
var people = new Population(options.Url, http);
var ledger = new DeliveryLedger();
var processes = ProcessStats.Discover(options.PostgresPid);
Dictionary<string, object> result;
if (options.Scenario == "idle")
{
    result = await IdleAsync();
}
else
{
    Console.WriteLine($"{options.Scenario}: {options.Users} users, {options.Rate} msgs/s for {options.Duration.TotalSeconds} s against {options.Url}");
    var plan = await Scenarios.BuildAsync(options.Scenario, options, people);
    var clients = await people.ConnectAsync([.. Enumerable.Range(0, options.Users)], ledger, plan.Receipts);
    Console.WriteLine($"{clients.Length} connections, {plan.Conversations.Count} conversations; sending...");
    result = await new Runner(options, plan, clients, ledger, processes).RunAsync();
    await Task.WhenAll(clients.Select(c => c.DisposeAsync().AsTask()));
}

var json = JsonSerializer.Serialize(result, new JsonSerializerOptions { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.CamelCase });
Console.WriteLine(json);
if (options.Out is { } path)
{
    await File.WriteAllTextAsync(path, json);
}

return result.GetValueOrDefault("exactlyOnceInOrder") is DeliveryLedger.Verdict { Holds: false } ? 1 : 0;

// N connections held by a few users: what each costs the frontend, and how long connecting them all takes.
async Task<Dictionary<string, object>> IdleAsync()
{
    var frontend = ProcessStats.Find(c => c.Contains("Chat.WebFrontend.dll")).Single();
    await people.RegisterAsync(options.Users);
    GC.Collect();
    await Task.Delay(2000);
    var before = ProcessStats.RssKiB(frontend);
    var clock = Stopwatch.StartNew();
    var clients = await people.ConnectAsync([.. Enumerable.Range(0, options.Connections).Select(i => i % options.Users)], ledger, LoadClient.Receipts.None, parallel: 64);
    var connectSeconds = clock.Elapsed.TotalSeconds;
    Console.WriteLine($"{clients.Length} connections in {connectSeconds:F1} s; holding for {options.Duration.TotalSeconds} s");
    processes.Start();
    await Task.Delay(options.Duration);
    var after = ProcessStats.RssKiB(frontend);
    var atRest = processes.Report(); // what the processes spend holding the connections, with nothing sent
    await Task.WhenAll(clients.Select(c => c.DisposeAsync().AsTask()));
    return new Dictionary<string, object>
    {
        ["scenario"] = "idle",
        ["connections"] = clients.Length,
        ["users"] = options.Users,
        ["connectSeconds"] = Math.Round(connectSeconds, 1),
        ["frontendRssMiBBefore"] = before / 1024,
        ["frontendRssMiBAfter"] = after / 1024,
        ["kiBPerConnection"] = Math.Round((after - before) / (double)clients.Length, 1),
        ["processes"] = atRest,
    };
}
