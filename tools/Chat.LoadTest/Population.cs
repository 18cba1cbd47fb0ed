using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.SignalR.Client;

namespace Chat.LoadTest;

/// <summary>The users of a run (registered through REST), their conversations, and their hub connections.</summary>
public sealed class Population(Uri url, HttpClient http)
{
    private readonly string _run = Guid.NewGuid().ToString("N")[..6];

    public List<(Guid Id, string Token)> Users { get; } = [];

    public async Task RegisterAsync(int count)
    {
        using var parallel = new SemaphoreSlim(16);
        var users = await Task.WhenAll(Enumerable.Range(Users.Count, count).Select(async i =>
        {
            await parallel.WaitAsync();
            try
            {
                var response = await http.PostAsJsonAsync("/api/v1/auth/register", new { username = $"load{_run}_{i}", password = "Load-test-1!" });
                response.EnsureSuccessStatusCode();
                var body = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
                return (body["user"]!["id"]!.GetValue<Guid>(), body["accessToken"]!.GetValue<string>());
            }
            finally
            {
                parallel.Release();
            }
        }));
        Users.AddRange(users);
    }

    public Task<Guid> DirectAsync(int owner, int other) =>
        CreateAsync(owner, "/api/v1/conversations/direct", new { userId = Users[other].Id });

    public Task<Guid> GroupAsync(int owner, IEnumerable<int> members) =>
        CreateAsync(owner, "/api/v1/conversations/group", new { name = "load", memberIds = members.Where(m => m != owner).Select(m => Users[m].Id) });

    /// <summary>Opens hub connections (several per user when asked), at most <paramref name="parallel"/> at once.</summary>
    public async Task<LoadClient[]> ConnectAsync(IReadOnlyList<int> users, DeliveryLedger ledger, LoadClient.Receipts receipts, int parallel = 32)
    {
        using var gate = new SemaphoreSlim(parallel);
        return await Task.WhenAll(users.Select(async (user, index) =>
        {
            await gate.WaitAsync();
            try
            {
                var connection = new HubConnectionBuilder()
                    .WithUrl(new Uri(url, "/hubs/chat"), o =>
                    {
                        o.AccessTokenProvider = () => Task.FromResult<string?>(Users[user].Token);
                        // WebSockets straight away: one TCP connection per client, as the web client keeps. With a
                        // negotiation first, each .NET client also holds its negotiation's keep-alive connection.
                        (o.SkipNegotiation, o.Transports) = (true, Microsoft.AspNetCore.Http.Connections.HttpTransportType.WebSockets);
                    })
                    .Build();
                var client = new LoadClient(index, Users[user].Id, connection, ledger, receipts);
                await connection.StartAsync();
                await connection.InvokeAsync<JsonElement>("GetMissed", new Dictionary<Guid, long>());
                return client;
            }
            finally
            {
                gate.Release();
            }
        }));
    }

    private async Task<Guid> CreateAsync(int owner, string path, object body)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = JsonContent.Create(body) };
        request.Headers.Authorization = new("Bearer", Users[owner].Token);
        var response = await http.SendAsync(request);
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<Guid>();
    }
}
