using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.SignalR.Client;
using Xunit.Abstractions;

namespace Chat.EndToEndTests;

/// <summary>
/// Both kinds of process serve Prometheus text: the frontend at <c>GET /metrics</c>, the silo on its own port.
/// After real traffic the figures of this traffic have moved.
/// </summary>
public sealed class MetricsTests(ChatDeployment chat, ITestOutputHelper output) : IClassFixture<ChatDeployment>
{
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

        using var http = new HttpClient();
        var frontend = await http.GetStringAsync(new Uri(chat.BaseAddress, "/metrics"));
        var silo = await http.GetStringAsync(chat.SiloMetrics);
        output.WriteLine(frontend);
        output.WriteLine(silo);

        Assert.True(Value(frontend, "chat_send_ack_duration_seconds_count") >= 4, "acknowledged sends");
        Assert.True(Value(frontend, "chat_sends_refused_total", "chat_reason=\"VALIDATION_ERROR\"") >= 1, "refused sends by reason");
        Assert.True(Value(frontend, "chat_connections") >= 1, "open connections");
        Assert.True(Value(frontend, "http_server_request_duration_seconds_count") >= 5, "ASP.NET Core's own meter");
        Assert.True(Value(silo, "chat_messages_committed_total", "chat_content_type=\"text\"") >= 4, "messages committed");
        Assert.Contains("orleans_", silo); // Orleans' own meters
    }

    /// <summary>The sum of the samples of a metric (every label set, or those holding <paramref name="label"/>).</summary>
    private static double Value(string text, string metric, string? label = null) =>
        Regex.Matches(text, $@"^{metric}(\{{(?<labels>.*)\}})? (?<value>\S+)$", RegexOptions.Multiline)
            .Where(m => label is null || m.Groups["labels"].Value.Contains(label))
            .Sum(m => double.Parse(m.Groups["value"].Value, System.Globalization.CultureInfo.InvariantCulture));
}
