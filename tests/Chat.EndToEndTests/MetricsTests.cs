using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.SignalR.Client;
using Xunit.Abstractions;

namespace Chat.EndToEndTests;

/// <summary>
/// Both kinds of process serve Prometheus text: the frontend at <c>GET /metrics</c>, the silo on its own port.
/// After real traffic the figures of this traffic have moved. The silo's port also answers its probes. The feed here keeps one event queued, so a burst
/// makes it drop events and repair the gaps from the log.
/// </summary>
public sealed class MetricsTests(DroppingFeedDeployment chat, ITestOutputHelper output) : IClassFixture<DroppingFeedDeployment>
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task FrontendAndSiloCountTheTrafficTheyCarried()
    {
        await using var alice = await ChatUser.RegisterAsync(chat.BaseAddress, "alice");
        await alice.ConnectAsync();
        var group = await AttachmentTests.GroupAsync(alice);
        for (var i = 0; i < 3; i++)
        {
            await alice.PostJsonAsync($"/api/v1/conversations/{group}/messages", new { clientMessageId = $"m{i}", content = "counted" }, 201);
        }

        await alice.Hub.InvokeAsync<JsonElement>("SendMessage", new { conversationId = group, clientMessageId = "hub", content = "counted too" });
        await alice.Http.PostAsJsonAsync($"/api/v1/conversations/{group}/messages", new { clientMessageId = "empty", content = " " }); // refused: 400
        // Bursts until the feed, which keeps one event queued, has had to repair a gap (whether one burst overflows
        // it depends on how fast the pump runs, so more than one burst may be needed).
        var sent = 4;
        await Poll.UntilAsync(async () =>
        {
            var burst = sent;
            sent += 50;
            await Task.WhenAll(Enumerable.Range(burst, 50).Select(i =>
                alice.PostJsonAsync($"/api/v1/conversations/{group}/messages", new { clientMessageId = $"burst{i}", content = "burst" }, 201)));
            return await ScrapeAsync(new Uri(chat.BaseAddress, "/metrics"));
        }, text => Value(text, "chat_feed_gap_repaired_total") >= 1, Wait, "a gap the feed repaired from the log");
        await alice.WaitForMessagesAsync(group, sent, Wait);
        var upload = await AttachmentTests.PostFileAsync(alice, group, "a small file"u8.ToArray(), "notes.txt", "text/plain");
        Assert.Equal(System.Net.HttpStatusCode.Created, upload.StatusCode);

        var frontend = await ScrapeAsync(new Uri(chat.BaseAddress, "/metrics"));
        var silo = await ScrapeAsync(chat.SiloMetrics);

        Assert.True(Value(frontend, "chat_send_ack_duration_seconds_count") >= sent, "acknowledged sends");
        Assert.True(Value(frontend, "chat_sends_refused_total", "chat_reason=\"VALIDATION_ERROR\"") >= 1, "refused sends by reason");
        Assert.True(Value(frontend, "chat_message_delivery_duration_seconds_count") >= 1, "messages the feed handed to connections");
        Assert.Equal(1, Value(frontend, "chat_feeds"));
        Assert.True(Value(frontend, "chat_connections") >= 1, "open connections");
        Assert.Equal(1, Value(frontend, "chat_upload_size_bytes_count", "chat_upload_kind=\"single\""));
        Assert.True(Value(frontend, "http_server_request_duration_seconds_count") >= 5, "ASP.NET Core's own meter");
        Assert.True(Value(frontend, "signalr_server_active_connections") >= 1, "SignalR's own meter");
        Assert.True(Value(silo, "chat_messages_committed_total", "chat_content_type=\"text\"") >= sent, "messages committed");
        Assert.Equal(0, Value(silo, "chat_notifications_outbox_pending")); // no webhook here: nothing waits
        Assert.Contains("\norleans_", silo); // Orleans' own meters
        Assert.Contains("db_client_connection_pool_name=\"chat\"", silo); // Npgsql's, its pool named without the connection string

        using (var http = new HttpClient())
        {
            Assert.Equal(System.Net.HttpStatusCode.OK, (await http.GetAsync(new Uri(chat.SiloMetrics, "/health/live"))).StatusCode);
            Assert.Equal(System.Net.HttpStatusCode.OK, (await http.GetAsync(new Uri(chat.SiloMetrics, "/health/ready"))).StatusCode);
        }

        // A silo that comes back makes the frontend renew its subscriptions.
        await chat.RestartSiloAsync();
        await Poll.UntilAsync(() => ScrapeAsync(new Uri(chat.BaseAddress, "/metrics")), text => Value(text, "chat_feed_resubscriptions_total") >= 1,
            Wait, "a renewed subscription counted");
    }

    private async Task<string> ScrapeAsync(Uri endpoint)
    {
        using var http = new HttpClient();
        var text = await http.GetStringAsync(endpoint);
        output.WriteLine($"--- {endpoint}\n{text}");
        return text;
    }

    /// <summary>The sum of the samples of a metric (every label set, or those holding <paramref name="label"/>).</summary>
    internal static double Value(string text, string metric, string? label = null) =>
        Regex.Matches(text, $@"^{metric}(\{{(?<labels>.*)\}})? (?<value>\S+)$", RegexOptions.Multiline)
            .Where(m => label is null || m.Groups["labels"].Value.Contains(label))
            .Sum(m => double.Parse(m.Groups["value"].Value, System.Globalization.CultureInfo.InvariantCulture));
}
