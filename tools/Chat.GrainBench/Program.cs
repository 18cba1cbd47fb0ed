using Chat.GrainBench;
using Chat.Grains.Accounts;
using Chat.Grains.Conversations;
using Chat.Grains.Hosting;
using Chat.Grains.Storage;
using Chat.Grains.Streams;
using Chat.LoadTest;
using Chat.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Orleans.TestingHost;

// The grain-level load test: messages per second through the silo's group commit alone, then through the
// conversation grains, in one process (Orleans' in-process test cluster, one silo) on a private PostgreSQL, with no
// SignalR, frontend or network in between, so that the cost of each layer shows beside scripts/bench.sh's figures.
const string Help = """
    Chat.GrainBench [--conversations 200] [--hot-senders 50] [--seconds 15]
      writer   closed loop, one sender per conversation, straight into MessageWriter (PostgreSQL and the group commit)
      grains   the same through IConversationGrain.SendAsync (grain turn, seq and version, writer, publish)
      hot      --hot-senders concurrent senders into one conversation through its grain (the send pipeline)
    """;
if (args.Contains("--help"))
{
    Console.WriteLine(Help);
    return 0;
}

int Arg(string name, int fallback) => Array.IndexOf(args, name) is var i and >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1]) : fallback;
var conversations = Arg("--conversations", 200);
var hotSenders = Arg("--hot-senders", 50);
var duration = TimeSpan.FromSeconds(Arg("--seconds", 15));

await using var postgres = await PostgresInstance.StartAsync();
var connectionString = await postgres.CreateDatabaseAsync("chat");
await SchemaMigrator.ApplyAsync(connectionString);
var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
{
    ["ConnectionStrings:Blobs"] = "UseDevelopmentStorage=true", // required setting; no attachment is touched
}).Build();
var builder = new InProcessTestClusterBuilder(1);
builder.ConfigureSilo((_, silo) => silo.AddChatGrains(connectionString, configuration));
builder.ConfigureClient(client => client.AddMemoryStreams(ChatStreams.Provider, streams => streams.ConfigurePartitioning(ChatStreams.Queues)));
await using var cluster = builder.Build();
await cluster.DeployAsync();
var client = cluster.Client;
var silo = cluster.Silos[0].ServiceProvider;

Console.WriteLine($"{conversations} conversations of two, {hotSenders} senders into one, {duration.TotalSeconds} s each");
var users = await Task.WhenAll(Enumerable.Range(0, conversations * 2).Select(i =>
    client.GetGrain<IAccountsGrain>(0).RegisterAsync($"bench{i}_{Guid.NewGuid():N}"[..20], $"Bench {i}", "not-a-real-hash")));
var groups = await Task.WhenAll(Enumerable.Range(0, conversations).Select(async i =>
{
    var grain = client.GetGrain<IConversationGrain>(Guid.NewGuid());
    await grain.CreateGroupAsync(users[2 * i].Id, $"bench {i}", null, [users[2 * i + 1].Id]);
    return (Grain: grain, Sender: users[2 * i].Id);
}));
var stats = ProcessStats.ForThisProcess(postgres.PostmasterPid);
var results = new List<Measurement>();

// writer: each sender owns a conversation of its own (none of the grains above will write to them).
var store = silo.GetRequiredService<MessageStore>();
var writerConversations = Enumerable.Range(0, conversations).Select(_ => Guid.NewGuid()).ToArray();
results.Add(await Measurement.RunAsync("writer", conversations, duration, stats, async (sender, next) =>
{
    var seq = next + 1; // a conversation of its own: seq and version are the sender's count
    var message = new ChatMessage(Guid.CreateVersion7(), writerConversations[sender], seq, Guid.Empty, $"w{seq}", "text", new string('x', 64),
        "plain", null, DateTimeOffset.UtcNow, null, null, [], [], null, [], null, seq, seq);
    await store.TryInsertAsync(message, []);
}));

results.Add(await Measurement.RunAsync("grains", conversations, duration, stats, (sender, next) =>
    groups[sender].Grain.SendAsync(groups[sender].Sender, Text(next))));

var (hot, hotUsers) = (client.GetGrain<IConversationGrain>(Guid.NewGuid()), users.Take(Math.Min(hotSenders, users.Length)).Select(u => u.Id).ToArray());
await hot.CreateGroupAsync(hotUsers[0], "hot", null, hotUsers[1..]);
results.Add(await Measurement.RunAsync("hot", hotSenders, duration, stats, (sender, next) =>
    hot.SendAsync(hotUsers[sender % hotUsers.Length], Text(next))));

Console.WriteLine();
Console.WriteLine("| layer | senders | msgs/s | latency p50 / p99 / max ms | CPU % of a core: this process (silo and callers), PostgreSQL |");
Console.WriteLine("|---|---|---|---|---|");
foreach (var result in results)
{
    Console.WriteLine(result);
}

await cluster.StopAllSilosAsync();
return 0;

static SendMessageRequest Text(long n) => new($"g{n}_{Guid.NewGuid():N}", new string('x', 64), "text", "plain", null, [], null);
