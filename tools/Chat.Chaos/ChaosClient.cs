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
internal sealed class ChaosClient(Guid userId, string token, IReadOnlyList<Uri> frontends, int home)
{
    private static readonly string[] Versioned =
        ["messageReceived", "messageEdited", "messageDeleted", "reactionsChanged", "receiptsChanged", "memberAdded", "memberRemoved", "conversationUpdated"];

    private readonly Lock _gate = new();
    private readonly Dictionary<Guid, long> _lastEventVersion = []; // per connection: reset on reconnect
    private List<(string Name, JsonElement Payload)>? _buffered; // events that arrive during a catch-up
    private int _catchingUp;
    private HubConnection? _hub;

    public Guid UserId { get; } = userId;

    /// <summary>The frontend this user connects to first.</summary>
    public int Home { get; } = home;
    public Dictionary<Guid, ConversationCopy> Conversations { get; } = [];
    public HubConnection? Hub => _hub is { State: HubConnectionState.Connected } hub ? hub : null;
    public int Duplicates { get; private set; }
    public int Reorders { get; private set; }
    public int AfterRemoval { get; private set; }
    public int Reconnects { get; private set; }
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
            using var request = new HttpRequestMessage(method, new Uri(frontends[(Home + attempt) % frontends.Count], path));
            request.Headers.Authorization = new("Bearer", token);
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
            catch (HttpRequestException) when (attempt < frontends.Count - 1)
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

    /// <summary>Catches up every conversation (a reconnect, or a test that wants the client settled).</summary>
    public Task CatchUpAsync()
    {
        lock (_gate)
        {
            BeginCatchUp();
        }

        return CatchUpCoreAsync();
    }

    /// <summary>From here until the catch-up ends, events wait in a buffer (the caller holds the lock).</summary>
    private void BeginCatchUp()
    {
        _catchingUp++;
        _buffered ??= [];
    }

    private async Task CatchUpCoreAsync()
    {
        try
        {
            var hub = Hub ?? throw new InvalidOperationException("not connected");
            Dictionary<Guid, long> since;
            lock (_gate)
            {
                since = Conversations.ToDictionary(c => c.Key, c => c.Value.Version);
            }

            var changes = await hub.InvokeAsync<Dictionary<Guid, JsonElement>>("GetChanges", since);
            lock (_gate)
            {
                foreach (var (id, change) in changes)
                {
                    Conversations[id].ApplyChanges(change);
                }
            }
        }
        finally
        {
            lock (_gate)
            {
                if (--_catchingUp == 0)
                {
                    var buffered = _buffered ?? [];
                    _buffered = null;
                    foreach (var (name, payload) in buffered)
                    {
                        Apply(name, payload);
                    }
                }
            }
        }
    }

    private async Task ConnectAnywhereAsync(bool first)
    {
        for (var attempt = 0; ; attempt++)
        {
            var url = frontends[(Home + attempt) % frontends.Count];
            var hub = new HubConnectionBuilder()
                .WithUrl(new Uri(url, "/hubs/chat"), o => o.AccessTokenProvider = () => Task.FromResult<string?>(token))
                .Build();
            foreach (var name in Versioned)
            {
                hub.On<JsonElement>(name, payload => Received(name, payload));
            }

            hub.Closed += _ => OnClosedAsync(hub);
            try
            {
                lock (_gate)
                {
                    _lastEventVersion.Clear();
                    BeginCatchUp();
                }

                try
                {
                    await hub.StartAsync();
                    _hub = hub;
                }
                catch
                {
                    lock (_gate)
                    {
                        _catchingUp--;
                    }

                    throw;
                }

                if (!first)
                {
                    Reconnects++;
                }

                await CatchUpCoreAsync();
                return;
            }
            catch (Exception) when (attempt < 200)
            {
                if (_hub == hub)
                {
                    _hub = null; // disposed here: its Closed handler must not reconnect as well
                }

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

    private void Received(string name, JsonElement payload)
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
            var last = _lastEventVersion.GetValueOrDefault(conversationId);
            if (version == last)
            {
                Duplicates++;
            }
            else if (version < last)
            {
                Reorders++;
            }

            _lastEventVersion[conversationId] = Math.Max(last, version);
            if (Conversations.TryGetValue(conversationId, out var copy) && !copy.IsMember
                && !(name == "memberAdded" && payload.GetProperty("userId").GetGuid() == UserId))
            {
                AfterRemoval++;
            }

            if (_buffered is { } buffer)
            {
                buffer.Add((name, payload));
            }
            else
            {
                Apply(name, payload);
            }
        }
    }

    private void Apply(string name, JsonElement payload)
    {
        var conversationId = (payload.TryGetProperty("conversationId", out var id) ? id : payload.GetProperty("id")).GetGuid();
        var version = payload.GetProperty("version").GetInt64();
        if (!Conversations.TryGetValue(conversationId, out var copy) || version <= copy.Version)
        {
            return; // already in the copy (GetChanges read it)
        }

        var aboutMe = payload.TryGetProperty("userId", out var user) && user.ValueKind == JsonValueKind.String && user.GetGuid() == UserId;
        if (name == "memberAdded" && aboutMe && !copy.IsMember)
        {
            // Back in: what happened while away is read from where the copy stopped, and what follows waits for it.
            copy.IsMember = true;
            BeginCatchUp();
            _ = Task.Run(CatchUpCoreAsync);
            return;
        }

        copy.Apply(name, payload);
        copy.Version = version;
        if (name == "memberRemoved" && aboutMe)
        {
            copy.IsMember = false;
        }
    }
}
