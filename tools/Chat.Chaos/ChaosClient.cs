using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.SignalR.Client;

namespace Chat.Chaos;

/// <summary>
/// One user's connection, as a careful client would run it: on a drop it reconnects (its own frontend first, then
/// the others) and catches up with GetChanges, buffering events that arrive meanwhile. It checks what the server
/// promises per connection: each conversation's versions arrive increasing, each once, and nothing of a
/// conversation arrives after the user's own memberRemoved.
/// </summary>
internal sealed class ChaosClient
{
    private static readonly string[] Versioned =
        ["messageReceived", "messageEdited", "messageDeleted", "reactionsChanged", "receiptsChanged", "memberAdded", "memberRemoved", "conversationUpdated"];

    private readonly string _token;
    private readonly IReadOnlyList<Uri> _frontends;
    private readonly Lock _gate = new();
    private readonly Dictionary<(HubConnection, Guid), long> _lastEventVersion = []; // per connection and conversation
    private readonly ClientCopies _copies;
    private readonly SemaphoreSlim _readTurn = new(1, 1); // one catch-up reads at a time
    private HubConnection? _hub;

    public ChaosClient(Guid userId, string token, IReadOnlyList<Uri> frontends, int home)
    {
        (UserId, _token, _frontends, Home) = (userId, token, frontends, home);
        _copies = new(userId, via => _ = Task.Run(() => RereadAsync(via as HubConnection)));
    }

    public Guid UserId { get; }

    /// <summary>The frontend this user connects to first.</summary>
    public int Home { get; }
    public Dictionary<Guid, ConversationCopy> Conversations => _copies.Conversations;
    public HubConnection? Hub => _hub is { State: HubConnectionState.Connected } hub ? hub : null;
    public int Duplicates { get; private set; }
    public int Reorders { get; private set; }
    public int AfterRemoval { get; private set; }
    public int Reconnects { get; private set; }

    /// <summary>What the first duplicate, reorder or event after removal was, to say where to look.</summary>
    public string? FirstAnomaly { get; private set; }
    public DateTime LastEventAt { get; private set; } = DateTime.UtcNow;

    public Task ConnectAsync() => ConnectAnywhereAsync(first: true);

    public IReadOnlyList<Guid> MembersOf(Guid conversationId)
    {
        lock (_gate)
        {
            return Conversations.TryGetValue(conversationId, out var copy) ? [.. copy.Members] : [];
        }
    }

    /// <summary>The copy's difference from what is stored, or null (under the client's lock, so no event lands midway).</summary>
    public string? CompareLocked(Guid conversationId, Snapshot.Conversation stored)
    {
        lock (_gate)
        {
            return Conversations[conversationId].Compare(stored);
        }
    }

    public long LastSeqOf(Guid conversationId)
    {
        lock (_gate)
        {
            return Conversations.TryGetValue(conversationId, out var copy) && copy.Messages.Count > 0 ? copy.Messages.Keys.Max() : 0;
        }
    }

    /// <summary>A REST call on this user's frontend, else the next one that answers.</summary>
    public async Task RestAsync(HttpMethod method, string path, object? body, CancellationToken cancel)
    {
        for (var attempt = 0; ; attempt++)
        {
            using var request = new HttpRequestMessage(method, new Uri(_frontends[(Home + attempt) % _frontends.Count], path));
            request.Headers.Authorization = new("Bearer", _token);
            if (body is not null)
            {
                request.Content = JsonContent.Create(body);
            }

            try
            {
                using var response = await Http.SendAsync(request, cancel);
                if (!response.IsSuccessStatusCode)
                {
                    throw new InvalidOperationException($"{method} {path}: {(int)response.StatusCode}");
                }

                return;
            }
            catch (HttpRequestException) when (attempt < _frontends.Count - 1)
            {
                // that frontend is down: try the next
            }
            catch (HttpRequestException exception)
            {
                throw new InvalidOperationException(exception.Message, exception);
            }
        }
    }

    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(30) };

    public async Task DisposeAsync()
    {
        var hub = _hub;
        _hub = null;
        if (hub is not null)
        {
            await hub.DisposeAsync();
        }
    }

    /// <summary>The newest version this client has of each conversation it belongs to.</summary>
    public Dictionary<Guid, long> Versions()
    {
        lock (_gate)
        {
            return Conversations.Where(c => c.Value.IsMember).ToDictionary(c => c.Key, c => c.Value.Version);
        }
    }

    /// <summary>
    /// Reads what changed since the copies' versions and applies it: one catch-up reads at a time, each from where the
    /// one before left the copies. A failed read throws and leaves its catch-up pending, events still held, for the
    /// caller to read again.
    /// </summary>
    private async Task ReadChangesAsync(HubConnection? hub)
    {
        await _readTurn.WaitAsync();
        try
        {
            if (hub is not { State: HubConnectionState.Connected })
            {
                throw new InvalidOperationException("not connected");
            }

            Dictionary<Guid, long> since;
            lock (_gate)
            {
                since = _copies.BeginRead();
            }

            while (since.Count > 0)
            {
                var changes = await hub.InvokeAsync<Dictionary<Guid, JsonElement>>("GetChanges", since);
                lock (_gate)
                {
                    since = _copies.ApplyChanges(changes);
                }
            }

            lock (_gate)
            {
                _copies.EndCatchUp();
            }
        }
        finally
        {
            _readTurn.Release();
        }
    }

    /// <summary>Catches up after being readmitted to a conversation: through the connection that said so, then any.</summary>
    private async Task RereadAsync(HubConnection? via)
    {
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                await ReadChangesAsync(attempt == 0 ? via : Hub);
                return;
            }
            catch (Exception) when (attempt < 400)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(250));
            }
        }
    }

    private async Task ConnectAnywhereAsync(bool first)
    {
        lock (_gate)
        {
            _copies.Hold(); // until this connection has caught up
        }

        for (var attempt = 0; ; attempt++)
        {
            var url = _frontends[(Home + attempt) % _frontends.Count];
            var hub = new HubConnectionBuilder()
                .WithUrl(new Uri(url, "/hubs/chat"), o => o.AccessTokenProvider = () => Task.FromResult<string?>(_token))
                .Build();
            foreach (var name in Versioned)
            {
                hub.On<JsonElement>(name, payload => Received(hub, name, payload));
            }

            hub.Closed += _ => OnClosedAsync(hub);
            try
            {
                await hub.StartAsync();
                if (!first)
                {
                    Reconnects++;
                }

                // Published only once caught up: until then a failure is this loop's to retry.
                await ReadChangesAsync(hub);
                _hub = hub;
                if (hub.State != HubConnectionState.Connected)
                {
                    await OnClosedAsync(hub); // it closed while catching up: its Closed handler saw it unpublished
                }

                return;
            }
            catch (Exception) when (attempt < 200)
            {
                await hub.DisposeAsync();
                await Task.Delay(TimeSpan.FromMilliseconds(250));
            }
        }
    }

    private Task OnClosedAsync(HubConnection closed)
    {
        if (_hub != closed)
        {
            return Task.CompletedTask; // disposed on purpose
        }

        _hub = null;
        _ = Task.Run(() => ConnectAnywhereAsync(first: false));
        return Task.CompletedTask;
    }

    private void Received(HubConnection connection, string name, JsonElement payload)
    {
        var conversationId = (payload.TryGetProperty("conversationId", out var id) ? id : payload.GetProperty("id")).GetGuid();
        if (!payload.TryGetProperty("version", out var v) || v.ValueKind != JsonValueKind.Number)
        {
            return;
        }

        var version = v.GetInt64();
        lock (_gate)
        {
            LastEventAt = DateTime.UtcNow;
            var last = _lastEventVersion.GetValueOrDefault((connection, conversationId));
            if (version == last)
            {
                Duplicates++;
            }
            else if (version < last)
            {
                Reorders++;
            }

            if (version <= last && last > 0)
            {
                FirstAnomaly ??= $"user {UserId}: {name} at version {version} of {conversationId} after {last}";
            }

            _lastEventVersion[(connection, conversationId)] = Math.Max(last, version);
            if (Conversations.TryGetValue(conversationId, out var copy) && !copy.IsMember
                && !(name == "memberAdded" && payload.GetProperty("userId").GetGuid() == UserId))
            {
                AfterRemoval++;
                FirstAnomaly ??= $"user {UserId}: {name} at version {version} of {conversationId} after their removal";
            }

            _copies.Receive(connection, name, payload);
        }
    }
}
