using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Chat.LoadTest;
using HdrHistogram;
using Microsoft.AspNetCore.SignalR.Client;

// Drives N SignalR clients in groups against a running Chat and prints throughput and latency figures.
// Every user sends its messages (with a few in flight at once) to its group; every member's connection
// records the time from send to messageReceived. Bounded in count and in time.
var options = LoadOptions.Parse(args);
var http = new HttpClient { BaseAddress = options.Url };
var run = Guid.NewGuid().ToString("N")[..6];
Console.WriteLine($"Chat load: {options.Users} users in groups of {options.GroupSize}, {options.MessagesPerUser} messages each, {options.Concurrency} in flight per user, against {options.Url}");

var users = await Task.WhenAll(Enumerable.Range(0, options.Users).Select(async i =>
{
    var response = await http.PostAsJsonAsync("/api/v1/auth/register", new { username = $"load{run}_{i}", password = "Load-test-1!" });
    response.EnsureSuccessStatusCode();
    var body = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
    return (Id: body["user"]!["id"]!.GetValue<Guid>(), Token: body["accessToken"]!.GetValue<string>());
}));

var groups = new List<(Guid Id, int[] Members)>();
for (var start = 0; start < users.Length; start += options.GroupSize)
{
    var members = Enumerable.Range(start, Math.Min(options.GroupSize, users.Length - start)).ToArray();
    using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/conversations/group")
    {
        Content = JsonContent.Create(new { name = $"load {start}", memberIds = members.Skip(1).Select(m => users[m].Id) }),
    };
    request.Headers.Authorization = new("Bearer", users[members[0]].Token);
    var response = await http.SendAsync(request);
    response.EnsureSuccessStatusCode();
    groups.Add(((await response.Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<Guid>(), members));
}

var sentAt = new ConcurrentDictionary<string, long>();
var delivery = new LongConcurrentHistogram(1, TimeStamp.Seconds(60), 3);
var ack = new LongConcurrentHistogram(1, TimeStamp.Seconds(60), 3);
var expectedDeliveries = groups.Sum(g => (long)g.Members.Length * g.Members.Length * options.MessagesPerUser);
long delivered = 0;
var allDelivered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

var connections = await Task.WhenAll(users.Select(async user =>
{
    var connection = new HubConnectionBuilder()
        .WithUrl(new Uri(options.Url, "/hubs/chat"), o => o.AccessTokenProvider = () => Task.FromResult<string?>(user.Token))
        .Build();
    connection.On<JsonElement>("messageReceived", message =>
    {
        if (sentAt.TryGetValue(message.GetProperty("clientMessageId").GetString()!, out var sent))
        {
            delivery.RecordValue(Math.Max(1, Stopwatch.GetTimestamp() - sent));
        }

        if (Interlocked.Increment(ref delivered) == expectedDeliveries)
        {
            allDelivered.TrySetResult();
        }
    });
    await connection.StartAsync();
    await connection.InvokeAsync<JsonElement>("GetMissed", new Dictionary<Guid, long>());
    return connection;
}));

Console.WriteLine($"{users.Length} users connected in {groups.Count} groups; sending...");
var clock = Stopwatch.StartNew();
using var deadline = new CancellationTokenSource(options.MaxDuration);
await Task.WhenAll(groups.SelectMany(group => group.Members.Select(async member =>
{
    var connection = connections[member];
    using var inFlight = new SemaphoreSlim(options.Concurrency);
    var sends = Enumerable.Range(0, options.MessagesPerUser).Select(async i =>
    {
        await inFlight.WaitAsync(deadline.Token);
        try
        {
            var clientMessageId = $"{member}-{i}";
            var start = Stopwatch.GetTimestamp();
            sentAt[clientMessageId] = start;
            await connection.InvokeAsync<JsonElement>("SendMessage",
                new { conversationId = group.Id, clientMessageId, content = $"load message {i} from {member}" }, deadline.Token);
            ack.RecordValue(Math.Max(1, Stopwatch.GetTimestamp() - start));
        }
        finally
        {
            inFlight.Release();
        }
    });
    await Task.WhenAll(sends);
})));
var sendSeconds = clock.Elapsed.TotalSeconds;
await Task.WhenAny(allDelivered.Task, Task.Delay(TimeSpan.FromSeconds(30)));
var totalSeconds = clock.Elapsed.TotalSeconds;

var messages = (long)users.Length * options.MessagesPerUser;
double Ms(LongConcurrentHistogram h, double percentile) => h.GetValueAtPercentile(percentile) * 1000.0 / Stopwatch.Frequency;
Console.WriteLine($"messages acknowledged: {ack.TotalCount} of {messages} in {sendSeconds:F1} s = {ack.TotalCount / sendSeconds:F0} msgs/s");
Console.WriteLine($"deliveries: {Interlocked.Read(ref delivered)} of {expectedDeliveries} in {totalSeconds:F1} s = {Interlocked.Read(ref delivered) / totalSeconds:F0} deliveries/s");
Console.WriteLine($"ack latency ms: p50 {Ms(ack, 50):F1}  p95 {Ms(ack, 95):F1}  p99 {Ms(ack, 99):F1}  max {Ms(ack, 100):F1}");
Console.WriteLine($"end-to-end delivery latency ms: p50 {Ms(delivery, 50):F1}  p95 {Ms(delivery, 95):F1}  p99 {Ms(delivery, 99):F1}  max {Ms(delivery, 100):F1}");

foreach (var connection in connections)
{
    await connection.DisposeAsync();
}

return Interlocked.Read(ref delivered) == expectedDeliveries ? 0 : 1;
