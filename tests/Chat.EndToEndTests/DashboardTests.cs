using System.Net;
using System.Text.Json;

namespace Chat.EndToEndTests;

/// <summary>The Orleans Dashboard turned on: served by the frontend on a listener of its own, nowhere else.</summary>
public sealed class DashboardDeployment : ChatDeployment
{
    public Uri Dashboard { get; } = new($"http://127.0.0.1:{FreePort.Next()}");

    protected override IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string>
    {
        ["Chat__Dashboard__Enabled"] = "true",
        ["Chat__Dashboard__Url"] = Dashboard.ToString(),
    };
}

public sealed class DashboardTests(DashboardDeployment chat) : IClassFixture<DashboardDeployment>
{
    [Fact]
    public async Task OperatorsSeeTheClusterOnTheDashboardPortAndClientsCannotReachIt()
    {
        await using var alice = await ChatUser.RegisterAsync(chat.BaseAddress, "alice");
        await AttachmentTests.GroupAsync(alice); // some grain activity to show
        using var http = new HttpClient();

        var page = await http.GetAsync(new Uri(chat.Dashboard, "/dashboard/index.html"));
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
        var counters = await Poll.UntilAsync(
            async () => JsonDocument.Parse(await http.GetStringAsync(new Uri(chat.Dashboard, "/dashboard/DashboardCounters"))).RootElement,
            c => c.GetProperty("totalActiveHostCount").GetInt32() == 1, TimeSpan.FromSeconds(30), "the silo on the dashboard");
        Assert.Single(counters.GetProperty("hosts").EnumerateArray());

        // The public port answers as for any unknown route.
        await AttachmentTests.AssertErrorAsync(await http.GetAsync(new Uri(chat.BaseAddress, "/dashboard/DashboardCounters")), HttpStatusCode.NotFound, "NOT_FOUND");
        await AttachmentTests.AssertErrorAsync(await http.GetAsync(new Uri(chat.BaseAddress, "/dashboard/index.html")), HttpStatusCode.NotFound, "NOT_FOUND");
    }
}
