using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using CsCheck;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;

namespace Chat.Testing.Fuzzing;

/// <summary>What a fuzzing run saw: every answer's status, the failures (any 5xx, an INTERNAL_ERROR from the hub, a dead process), memory.</summary>
public sealed record FuzzReport(
    int RestCases, int HubCases, IReadOnlyDictionary<int, int> Statuses, IReadOnlyDictionary<string, int> HubOutcomes,
    IReadOnlyList<string> Failures, long BaselineRssMiB, long PeakRssMiB, long FinalRssMiB, bool ProcessesAlive, TimeSpan Duration)
{
    public override string ToString() =>
        $"{RestCases} REST and {HubCases} hub cases in {Duration.TotalSeconds:0.0} s; statuses {string.Join(", ", Statuses.OrderBy(s => s.Key).Select(s => $"{s.Key}: {s.Value}"))}; " +
        $"hub {string.Join(", ", HubOutcomes.OrderBy(s => s.Key).Select(s => $"{s.Key}: {s.Value}"))}; frontend RSS {BaselineRssMiB} MiB before, " +
        $"{PeakRssMiB} MiB peak, {FinalRssMiB} MiB after; processes {(ProcessesAlive ? "alive" : "DEAD")}; {Failures.Count} failure(s)" +
        (Failures.Count > 0 ? ":\n" + string.Join("\n", Failures.Take(20)) : "");
}

/// <summary>
/// Sends generated requests to every REST route and hub method of a running Chat (CsCheck generators, a fixed seed
/// per run so a failure can be replayed) and reports what came back. A 5xx answer is a failure: bad input must
/// get a 4xx. CsCheck shrinks a failing request to a small one before reporting it.
/// </summary>
public sealed class ChatFuzzer(ChatDeployment chat)
{
    private sealed record Route(string Method, string Template, string[] Fields, string[] Query, bool Anonymous = false);

    /// <summary>One generated request: a method and URL, a body and its content type, and whose token (if any) it carries.</summary>
    public sealed record FuzzRequest(string Method, string Url, byte[] Body, string? ContentType, string Token)
    {
        public override string ToString() =>
            $"{Method} {Url[..Math.Min(Url.Length, 300)]} [{ContentType}] token={Token} body({Body.Length} bytes)={Encoding.UTF8.GetString(Body, 0, Math.Min(Body.Length, 300))}";
    }

    private static readonly Route[] Routes =
    [
        new("POST", "/api/v1/auth/register", ["username", "password", "displayName"], [], Anonymous: true),
        new("POST", "/api/v1/auth/login", ["username", "password"], [], Anonymous: true),
        new("POST", "/api/v1/auth/refresh", ["refreshToken"], [], Anonymous: true),
        new("POST", "/api/v1/auth/logout", ["refreshToken"], [], Anonymous: true),
        new("GET", "/api/v1/users/me", [], []),
        new("PATCH", "/api/v1/users/me", ["displayName", "statusMessage", "avatarAttachmentId"], []),
        new("DELETE", "/api/v1/users/me/avatar", [], []),
        new("GET", "/api/v1/users/me/privacy", [], []),
        new("PUT", "/api/v1/users/me/privacy", ["allowGroupAddsFrom"], []),
        new("GET", "/api/v1/users/{user}", [], []),
        new("GET", "/api/v1/users/{user}/avatar", [], ["ticket"]),
        new("GET", "/api/v1/users/{user}/presence", [], []),
        new("GET", "/api/v1/users/search", [], ["q", "limit"]),
        new("GET", "/api/v1/contacts", [], []),
        new("GET", "/api/v1/contacts/pending", [], []),
        new("POST", "/api/v1/contacts", ["userId"], []),
        new("POST", "/api/v1/contacts/{user}/accept", [], []),
        new("DELETE", "/api/v1/contacts/{user}", [], []),
        new("GET", "/api/v1/blocks", [], []),
        new("PUT", "/api/v1/blocks/{user}", [], []),
        new("DELETE", "/api/v1/blocks/{user}", [], []),
        new("POST", "/api/v1/reports", ["userId", "conversationId", "seq", "reason"], []),
        new("POST", "/api/v1/conversations/direct", ["userId"], []),
        new("POST", "/api/v1/conversations/group", ["name", "memberIds", "description"], []),
        new("GET", "/api/v1/conversations", [], ["limit", "cursor"]),
        new("GET", "/api/v1/conversations/{conv}", [], []),
        new("PATCH", "/api/v1/conversations/{conv}", ["name", "description", "avatarAttachmentId", "disappearAfterSeconds", "muted"], []),
        new("GET", "/api/v1/conversations/{conv}/avatar", [], []),
        new("POST", "/api/v1/conversations/{conv}/members", ["userIds"], []),
        new("DELETE", "/api/v1/conversations/{conv}/members/{user}", [], []),
        new("PATCH", "/api/v1/conversations/{conv}/members/{user}", ["role"], []),
        new("POST", "/api/v1/conversations/{conv}/read", ["seq"], []),
        new("POST", "/api/v1/conversations/{conv}/delivered", ["seq"], []),
        new("GET", "/api/v1/conversations/{conv}/receipts", [], []),
        new("GET", "/api/v1/conversations/{conv}/changes", [], ["since", "limit"]),
        new("POST", "/api/v1/conversations/{conv}/messages", ["clientMessageId", "content", "contentType", "format", "replyToSeq", "attachmentIds", "scheduledFor"], []),
        new("GET", "/api/v1/conversations/{conv}/messages", [], ["before", "after", "around", "limit"]),
        new("GET", "/api/v1/conversations/{conv}/messages/{seq}", [], []),
        new("PATCH", "/api/v1/conversations/{conv}/messages/{seq}", ["content"], []),
        new("DELETE", "/api/v1/conversations/{conv}/messages/{seq}", [], ["scope"]),
        new("GET", "/api/v1/conversations/{conv}/messages/{seq}/edits", [], []),
        new("PUT", "/api/v1/conversations/{conv}/messages/{seq}/reactions/{emoji}", [], []),
        new("DELETE", "/api/v1/conversations/{conv}/messages/{seq}/reactions/{emoji}", [], []),
        new("POST", "/api/v1/conversations/{conv}/messages/{seq}/forward", ["toConversationIds"], []),
        new("GET", "/api/v1/conversations/{conv}/scheduled", [], []),
        new("DELETE", "/api/v1/conversations/{conv}/scheduled/{guid}", [], []),
        new("GET", "/api/v1/search/messages", [], ["q", "conversationId", "limit", "cursor"]),
        new("GET", "/api/v1/sync", [], ["since"]),
        new("POST", "/api/v1/attachments", ["conversationId", "file"], []),
        new("GET", "/api/v1/attachments/{guid}", [], ["ticket"]),
        new("GET", "/api/v1/attachments/{guid}/thumbnail", [], ["size", "ticket"]),
        new("POST", "/api/v1/uploads", ["conversationId", "fileName", "contentType", "size"], []),
        new("GET", "/api/v1/uploads/{guid}", [], []),
        new("PUT", "/api/v1/uploads/{guid}/chunks/{int}", [], []),
        new("POST", "/api/v1/uploads/{guid}/complete", ["sha256"], []),
        new("POST", "/api/v1/tickets", ["url"], []),
        new("GET", "/api/v1/no-such-route", [], []),
    ];

    /// <summary>Each hub method with the kinds of its parameters: g a conversation id, n a number, s a string, o a JSON object.</summary>
    private static readonly (string Method, string Parameters)[] HubMethods =
    [
        ("SendMessage", "o"), ("EditMessage", "gns"), ("DeleteMessage", "gns"), ("AddReaction", "gns"), ("RemoveReaction", "gns"),
        ("StartTyping", "g"), ("StopTyping", "g"), ("SetPresence", "ss"), ("MarkDelivered", "gn"), ("MarkRead", "gn"),
        ("GetMissed", "o"), ("GetChanges", "o"), ("NoSuchMethod", "s"),
    ];

    /// <summary>The frontend's request body cap (Chat:Limits:MaxRequestBodyBytes).</summary>
    private const int MaxRequestBody = 256 * 1024;

    private readonly ConcurrentDictionary<int, int> _statuses = new();
    private readonly ConcurrentDictionary<string, int> _hubOutcomes = new();
    private readonly ConcurrentQueue<string> _failures = new();
    private readonly HttpClient _http = new() { BaseAddress = chat.BaseAddress, Timeout = TimeSpan.FromSeconds(60) };
    private long _peakRss;

    /// <summary>Runs <paramref name="cases"/> cases, about a tenth of them hub calls, <paramref name="parallelism"/> at a time.</summary>
    public async Task<FuzzReport> RunAsync(int cases, string? seed = null, int parallelism = 8, Action<string>? progress = null)
    {
        var clock = Stopwatch.StartNew();
        var world = await WorldAsync();
        var hubCases = cases / 10;
        var restCases = cases - hubCases;
        var requests = RequestGen(world);

        // A warm-up before the baseline, so that start-up allocations and pools do not count as growth.
        await Check.SampleAsync(requests, r => SendAsync(r, world), iter: 200, threads: parallelism, seed: seed);
        await Task.Delay(TimeSpan.FromSeconds(2));
        var baseline = Rss();
        _statuses.Clear();

        using var sampler = new Timer(_ => Interlocked.Exchange(ref _peakRss, Math.Max(Interlocked.Read(ref _peakRss), Rss())), null, 0, 500);
        try
        {
            await Check.SampleAsync(requests, r => SendAsync(r, world), iter: restCases, threads: parallelism, seed: seed,
                print: r => r.ToString());
        }
        catch (CsCheckException failure)
        {
            _failures.Enqueue($"REST (shrunk by CsCheck): {failure.Message}");
        }

        progress?.Invoke($"REST done after {clock.Elapsed.TotalSeconds:0} s: {string.Join(", ", _statuses.OrderBy(s => s.Key).Select(s => $"{s.Key}: {s.Value}"))}");
        // The hub's calls on a group alice surely still belongs to.
        _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", world.AliceToken);
        var hubWorld = world with { Group = await GroupAsync(null) }; // alice alone: she may have blocked bob meanwhile
        _http.DefaultRequestHeaders.Authorization = null;
        await FuzzHubAsync(hubWorld, hubCases, seed);
        await Task.Delay(TimeSpan.FromSeconds(3)); // let in-flight work settle before the last measurement
        var alive = !chat.Frontend!.HasExited && !chat.Silo!.HasExited;
        if (!alive)
        {
            _failures.Enqueue("A Chat process died during the run.");
        }

        return new FuzzReport(restCases, hubCases, new Dictionary<int, int>(_statuses), new Dictionary<string, int>(_hubOutcomes), [.. _failures],
            baseline, Math.Max(Interlocked.Read(ref _peakRss), baseline), alive ? Rss() : 0, alive, clock.Elapsed);
    }

    private long Rss() => chat.Frontend is { HasExited: false } frontend ? frontend.Memory().Resident / (1024 * 1024) : 0;

    private sealed record World(string AliceToken, Guid Alice, Guid Bob, Guid Group, string[] JsonValues, string[] UrlValues);

    /// <summary>Two users, a group of both with a few messages: real ids let generated requests reach past the id checks.</summary>
    private async Task<World> WorldAsync()
    {
        var alice = await RegisterAsync("fuzzalice");
        var bob = await RegisterAsync("fuzzbob");
        _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", alice.Token);
        var groupId = await GroupAsync(bob.Id);
        var spare = await GroupAsync(bob.Id); // generated requests may make alice leave the first
        _http.DefaultRequestHeaders.Authorization = null;
        string[] json =
        [
            $"\"{groupId}\"", $"\"{bob.Id}\"", $"\"{alice.Id}\"", $"[\"{bob.Id}\"]", $"[\"{groupId}\"]", "1", "2", "3", "\"hello\"", "\"text\"",
            "\"markdown\"", "\"2030-01-01T00:00:00Z\"", "\"admin\"", "\"contacts\"", $"\"{alice.Username}\"", "\"Sup3r-secret!\"",
            $"\"/api/v1/users/{bob.Id}/avatar\"", $"\"{Guid.NewGuid()}\"", $"{{\"{groupId}\":0}}",
            $"{{\"conversationId\":\"{groupId}\",\"clientMessageId\":\"fuzz\",\"content\":\"hi\"}}",
        ];
        string[] url = [$"{groupId}", $"{spare}", $"{bob.Id}", $"{alice.Id}", $"{Guid.NewGuid()}", "1", "2", "3", "0", "everyone", "me", "medium", "%F0%9F%91%8D", "hello"];
        return new World(alice.Token, alice.Id, bob.Id, groupId, json, url);
    }

    /// <summary>A group of alice (whose token the client holds) and maybe another user, with three messages.</summary>
    private async Task<Guid> GroupAsync(Guid? otherId)
    {
        var group = await _http.PostAsJsonAsync("/api/v1/conversations/group", new { name = "fuzz", memberIds = otherId is { } other ? new[] { other } : [] });
        var groupId = (await group.EnsureSuccessStatusCode().Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<Guid>();
        for (var i = 0; i < 3; i++)
        {
            (await _http.PostAsJsonAsync($"/api/v1/conversations/{groupId}/messages", new { clientMessageId = $"seed{i}", content = $"seed message {i}" })).EnsureSuccessStatusCode();
        }

        return groupId;
    }

    private async Task<(Guid Id, string Token, string Username)> RegisterAsync(string prefix)
    {
        var username = prefix + Guid.NewGuid().ToString("N")[..8];
        var response = await _http.PostAsJsonAsync("/api/v1/auth/register", new { username, password = "Sup3r-secret!" });
        var body = (await response.EnsureSuccessStatusCode().Content.ReadFromJsonAsync<JsonObject>())!;
        return (body["user"]!["id"]!.GetValue<Guid>(), body["accessToken"]!.GetValue<string>(), username);
    }

    private static Gen<FuzzRequest> RequestGen(World world)
    {
        var urlValue = FuzzInputs.UrlValue(world.UrlValues);
        var token = Gen.Frequency((12, Gen.Const("alice")), (1, Gen.Const("none")), (1, Gen.Const("garbage")));
        var contentType = Gen.Frequency((10, Gen.Const((string?)"application/json")), (1, Gen.Const((string?)null)),
            (1, Gen.Const((string?)"text/plain")), (1, Gen.Const((string?)"multipart/form-data; boundary=x")), (1, Gen.Const((string?)"application/octet-stream")));
        return Gen.OneOf(Routes).SelectMany(route =>
            Gen.Select(
                urlValue.Array[6], // one value per placeholder kind, whichever the template uses
                Gen.Select(Gen.OneOf([.. route.Query, "junk"]), urlValue).Array[0, route.Query.Length + 1],
                FuzzInputs.Body(route.Fields, world.JsonValues),
                contentType,
                token,
                (values, query, body, type, who) =>
                {
                    var path = route.Template.Replace("{conv}", values[0]).Replace("{user}", values[1]).Replace("{seq}", values[2])
                        .Replace("{guid}", values[3]).Replace("{int}", values[4]).Replace("{emoji}", values[5]);
                    var url = query.Length == 0 ? path : $"{path}?{string.Join('&', query.Select(q => $"{q.Item1}={q.Item2}"))}";
                    return new FuzzRequest(route.Method, url, route.Method is "GET" or "DELETE" && body.Length > 0 && body[0] == '[' ? [] : body,
                        type, route.Anonymous && who == "alice" ? "none" : who);
                }));
    }

    private async Task SendAsync(FuzzRequest r, World world)
    {
        using var request = new HttpRequestMessage(new HttpMethod(r.Method), r.Url);
        if (r.Body.Length > 0 || r.Method is "POST" or "PUT" or "PATCH")
        {
            request.Content = new ByteArrayContent(r.Body);
            if (r.ContentType is { } type)
            {
                request.Content.Headers.TryAddWithoutValidation("Content-Type", type);
            }
        }

        if (r.Token != "none")
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", r.Token == "alice" ? world.AliceToken : "not.a.token");
        }

        // One connection per request: a connection the server closes after refusing a body must not take the next
        // request down with it, so that a dropped connection always means this request.
        request.Headers.ConnectionClose = true;
        HttpResponseMessage response;
        try
        {
            response = await _http.SendAsync(request);
        }
        catch (HttpRequestException) when (r.Body.Length > MaxRequestBody)
        {
            // Refusing a body over the cap may close the connection while the client still writes it: that is the 413.
            _statuses.AddOrUpdate(0, 1, (_, n) => n + 1);
            return;
        }

        using var _ = response;
        var status = (int)response.StatusCode;
        _statuses.AddOrUpdate(status, 1, (_, n) => n + 1);
        if (status >= 500)
        {
            throw new InvalidOperationException($"{status}: {await response.Content.ReadAsStringAsync()}");
        }
    }

    /// <summary>Hub calls with generated arguments; INTERNAL_ERROR (or SERVICE_UNAVAILABLE) is the hub's 5xx.</summary>
    private async Task FuzzHubAsync(World world, int cases, string? seed)
    {
        var value = FuzzInputs.Value(world.JsonValues);
        // Mostly arguments of the right types (hostile values inside them), so that calls get past binding to the checks behind it.
        var kinds = new Dictionary<char, Gen<string>>
        {
            ['g'] = Gen.Frequency((5, Gen.Const($"\"{world.Group}\"")), (1, Gen.Const($"\"{Guid.NewGuid()}\"")), (1, value)),
            ['n'] = Gen.Frequency((5, Gen.Int[-1, 5].Select(n => n.ToString())), (1, Gen.Long.Select(n => n.ToString())), (1, value)),
            ['s'] = Gen.Frequency((5, FuzzInputs.Text.Select(FuzzInputs.Literal)), (1, value)),
            ['o'] = Gen.Frequency((3, Gen.OneOf(world.JsonValues.Where(v => v.StartsWith('{')).ToArray())), (3, value)),
        };
        var calls = Gen.OneOf(HubMethods).SelectMany(m =>
            Gen.Frequency(
                (4, m.Parameters.Select(kind => kinds[kind]).Aggregate(Gen.Const(Array.Empty<string>()), (args, arg) => Gen.Select(args, arg, (a, v) => (string[])[.. a, v]))),
                (1, value.Array[0, 4]))
            .Select(args => (m.Method, Args: args)));
        HubConnection? hub = null;
        try
        {
            await Check.SampleAsync(calls, async call =>
            {
                hub ??= await chat.ConnectHubAsync(world.AliceToken);
                var args = call.Args.Select(ParseOrNull).Where(a => a is not null).Cast<object?>().ToArray();
                string outcome;
                try
                {
                    await hub.InvokeCoreAsync(call.Method, args);
                    outcome = "ok";
                }
                catch (HubException e)
                {
                    var message = e.Message.Contains("HubException: ", StringComparison.Ordinal)
                        ? e.Message[(e.Message.IndexOf("HubException: ", StringComparison.Ordinal) + 14)..] : "binding refused";
                    outcome = message.Split(':')[0].Length is > 0 and < 40 ? message.Split(':')[0] : "binding refused";
                }
                catch (Exception e) when (e is InvalidOperationException or TaskCanceledException or IOException)
                {
                    outcome = "connection closed"; // an oversized call closes the connection by design
                    await hub.DisposeAsync();
                    hub = null;
                }

                _hubOutcomes.AddOrUpdate(outcome, 1, (_, n) => n + 1);
                if (outcome is "INTERNAL_ERROR" or "SERVICE_UNAVAILABLE")
                {
                    throw new InvalidOperationException($"{call.Method}: {outcome}");
                }
            }, iter: cases, threads: 1, seed: seed, print: c => $"{c.Method}({string.Join(", ", c.Args.Select(a => a[..Math.Min(a.Length, 200)]))})");
        }
        catch (CsCheckException failure)
        {
            _failures.Enqueue($"Hub (shrunk by CsCheck): {failure.Message}");
        }
        finally
        {
            if (hub is not null)
            {
                await hub.DisposeAsync();
            }
        }
    }

    /// <summary>The value as an argument the SignalR client can write (it refuses lone surrogates, as any client would), or null.</summary>
    private static JsonElement? ParseOrNull(string json)
    {
        try
        {
            var element = JsonDocument.Parse(json).RootElement;
            JsonSerializer.Serialize(element);
            return element;
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            return null;
        }
    }
}
