using System.Collections.Concurrent;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.SignalR.Client;

namespace Chat.EndToEndTests;

/// <summary>A user driving Chat from outside: REST with the bearer token, and a SignalR connection to the hub.</summary>
public sealed class ChatUser : IAsyncDisposable
{
    private readonly ConcurrentDictionary<Guid, List<long>> _received = new();
    private readonly List<(Func<bool> Done, TaskCompletionSource Signal)> _waiters = [];
    private readonly List<(string Name, JsonElement Payload)> _events = [];
    private HubConnection? _hub;

    private ChatUser(Uri baseAddress, Guid id, string username, string accessToken)
    {
        (Id, Username, AccessToken) = (id, username, accessToken);
        Http = new HttpClient { BaseAddress = baseAddress };
        Http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
    }

    public Guid Id { get; }
    public string Username { get; }
    public string AccessToken { get; }
    public HttpClient Http { get; }
    public HubConnection Hub => _hub ?? throw new InvalidOperationException("Not connected.");

    public static async Task<ChatUser> RegisterAsync(Uri baseAddress, string prefix)
    {
        using var http = new HttpClient { BaseAddress = baseAddress };
        var username = prefix + Guid.NewGuid().ToString("N")[..8];
        var response = await http.PostAsJsonAsync("/api/v1/auth/register", new { username, password = "Sup3r-secret!" });
        response.EnsureSuccessStatusCode();
        var body = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
        return new ChatUser(baseAddress, body["user"]!["id"]!.GetValue<Guid>(), username, body["accessToken"]!.GetValue<string>());
    }

    /// <summary>Seqs received per conversation through <c>messageReceived</c>, in arrival order.</summary>
    public IReadOnlyList<long> Received(Guid conversationId)
    {
        lock (_waiters)
        {
            return _received.TryGetValue(conversationId, out var seqs) ? [.. seqs] : [];
        }
    }

    public async Task ConnectAsync()
    {
        _hub = new HubConnectionBuilder()
            .WithUrl(new Uri(Http.BaseAddress!, "/hubs/chat"), o => o.AccessTokenProvider = () => Task.FromResult<string?>(AccessToken))
            .Build();
        _hub.On<JsonElement>("messageReceived", message =>
        {
            lock (_waiters)
            {
                var conversationId = message.GetProperty("conversationId").GetGuid();
                _received.GetOrAdd(conversationId, _ => []).Add(message.GetProperty("seq").GetInt64());
                _events.Add(("messageReceived", message));
                foreach (var waiter in _waiters.Where(w => w.Done()).ToList())
                {
                    waiter.Signal.TrySetResult();
                    _waiters.Remove(waiter);
                }
            }
        });
        foreach (var name in new[] { "receiptsChanged", "receiptsSummaryChanged", "presenceChanged", "messageEdited", "messageDeleted", "reactionsChanged", "typingChanged", "conversationUpdated", "memberAdded", "memberRemoved", "contactRequest" })
        {
            _hub.On<JsonElement>(name, payload =>
            {
                lock (_waiters)
                {
                    _events.Add((name, payload));
                    foreach (var waiter in _waiters.Where(w => w.Done()).ToList())
                    {
                        waiter.Signal.TrySetResult();
                        _waiters.Remove(waiter);
                    }
                }
            });
        }

        await _hub.StartAsync();
        // As API.md asks of clients: catch up after connecting. The hub runs invocations only once the connection
        // is subscribed to its conversations, so from here on every new message arrives as an event.
        await _hub.InvokeAsync<JsonElement>("GetMissed", new Dictionary<Guid, long>());
    }

    public async Task DisconnectAsync()
    {
        if (_hub is not null)
        {
            await _hub.DisposeAsync();
            _hub = null;
        }
    }

    /// <summary>Completes when <paramref name="count"/> messages of the conversation have arrived, or fails saying what did.</summary>
    public async Task WaitForMessagesAsync(Guid conversationId, int count, TimeSpan timeout)
    {
        var signal = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_waiters)
        {
            if (Received(conversationId).Count >= count)
            {
                return;
            }

            _waiters.Add((() => Received(conversationId).Count >= count, signal));
        }

        try
        {
            await signal.Task.WaitAsync(timeout);
        }
        catch (TimeoutException)
        {
            Assert.Fail($"{Username} expected {count} messages in {conversationId} within {timeout}, got {Received(conversationId).Count}.");
        }
    }

    /// <summary>Every versioned event of the conversation so far, in arrival order: its name and version.</summary>
    public IReadOnlyList<(string Name, long Version)> Versioned(Guid conversationId)
    {
        lock (_waiters)
        {
            return [.. _events.Where(e => ConversationOf(e.Payload) == conversationId && e.Payload.TryGetProperty("version", out var v) && v.ValueKind == JsonValueKind.Number)
                .Select(e => (e.Name, e.Payload.GetProperty("version").GetInt64()))];
        }
    }

    /// <summary>Completes when an event of the conversation at <paramref name="version"/> or later has arrived.</summary>
    public async Task WaitForVersionAsync(Guid conversationId, long version, TimeSpan timeout)
    {
        var signal = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_waiters)
        {
            if (Reached())
            {
                return;
            }

            _waiters.Add((Reached, signal));
        }

        try
        {
            await signal.Task.WaitAsync(timeout);
        }
        catch (TimeoutException)
        {
            var seen = Versioned(conversationId);
            Assert.Fail($"{Username} expected version {version} of {conversationId} within {timeout}; last seen {(seen.Count == 0 ? "none" : seen[^1].Version)}.");
        }

        bool Reached() => Versioned(conversationId).Any(e => e.Version >= version);
    }

    private static Guid? ConversationOf(JsonElement payload) =>
        payload.TryGetProperty("conversationId", out var id) || payload.TryGetProperty("id", out id) ? id.GetGuid() : null;

    /// <summary>Every <paramref name="name"/> event received so far, in arrival order.</summary>
    public IReadOnlyList<JsonElement> Events(string name)
    {
        lock (_waiters)
        {
            return [.. _events.Where(e => e.Name == name).Select(e => e.Payload)];
        }
    }

    /// <summary>Completes with the first <paramref name="name"/> event that matches, or fails saying which it waited for.</summary>
    public async Task<JsonElement> WaitForEventAsync(string name, Func<JsonElement, bool> match, TimeSpan timeout)
    {
        JsonElement? Find()
        {
            lock (_waiters)
            {
                return _events.Where(e => e.Name == name && match(e.Payload)).Select(e => (JsonElement?)e.Payload).FirstOrDefault();
            }
        }

        var signal = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_waiters)
        {
            if (Find() is { } found)
            {
                return found;
            }

            _waiters.Add((() => Find() is not null, signal));
        }

        try
        {
            await signal.Task.WaitAsync(timeout);
        }
        catch (TimeoutException)
        {
            Assert.Fail($"{Username} expected a matching {name} event within {timeout}.");
        }

        return Find()!.Value;
    }

    public async Task<JsonObject> PostJsonAsync(string path, object body, int expectedStatus)
    {
        var response = await Http.PostAsJsonAsync(path, body);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True((int)response.StatusCode == expectedStatus, $"POST {path}: expected {expectedStatus}, got {(int)response.StatusCode}: {text}");
        return text.Length == 0 ? [] : JsonNode.Parse(text)!.AsObject();
    }

    public async Task<JsonObject> GetJsonAsync(string path)
    {
        var response = await Http.GetAsync(path);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"GET {path}: {(int)response.StatusCode} {text}");
        return JsonNode.Parse(text)!.AsObject();
    }

    public async ValueTask DisposeAsync()
    {
        await DisconnectAsync();
        Http.Dispose();
    }
}
