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
    private readonly Dictionary<(HubConnection, Guid), long> _lastEventVersion = []; // per connection and conversation
    private List<(string Name, JsonElement Payload)>? _buffered; // events that arrive during a catch-up
    private int _catchingUp;
    private bool _dropBuffer; // a catch-up failed: what was buffered meanwhile must not be applied
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

    /// <summary>
    /// Reads what changed since the copy's versions and applies it, then the events that arrived meanwhile. If the
    /// read fails, those events are dropped (applying them would jump the copy over what the read was to fill) and
    /// the connection is closed, so that the reconnect catches up afresh.
    /// </summary>
    private async Task CatchUpCoreAsync() => await CatchUpCoreAsync(Hub);

    private async Task CatchUpCoreAsync(HubConnection? hub)
    {
        var failed = false;
        try
        {
            if (hub is null)
            {
                throw new InvalidOperationException("not connected");
            }

            Dictionary<Guid, long> since;
            lock (_gate)
            {
                since = Conversations.ToDictionary(c => c.Key, c => c.Value.Version);
            }

            while (since.Count > 0)
            {
                var changes = await hub.InvokeAsync<Dictionary<Guid, JsonElement>>("GetChanges", since);
                lock (_gate)
                {
                    foreach (var (id, change) in changes)
                    {
                        Conversations[id].ApplyChanges(change);
                    }

                    // A conversation with more than one page is read again from where this page ended.
                    since = changes.Where(c => c.Value.GetProperty("hasMore").GetBoolean()).ToDictionary(c => c.Key, c => Conversations[c.Key].Version);
                }
            }
        }
        catch (Exception)
        {
            failed = true;
            throw;
        }
        finally
        {
            lock (_gate)
            {
                _dropBuffer |= failed;
                if (--_catchingUp == 0)
                {
                    var buffered = _dropBuffer ? [] : _buffered ?? [];
                    _buffered = null;
                    _dropBuffer = false;
                    foreach (var (name, payload) in buffered)
                    {
                        Apply(name, payload);
                    }
                }
            }

            if (failed && hub is { State: HubConnectionState.Connected } && _hub == hub)
            {
                _ = hub.StopAsync(); // its Closed handler reconnects and catches up afresh
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
                hub.On<JsonElement>(name, payload => Received(hub, name, payload));
            }

            hub.Closed += _ => OnClosedAsync(hub);
            try
            {
                lock (_gate)
                {
                    BeginCatchUp();
                }

                try
                {
                    await hub.StartAsync();
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

                // Published only once caught up: until then a failure is this loop's to retry.
                await CatchUpCoreAsync(hub);
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
