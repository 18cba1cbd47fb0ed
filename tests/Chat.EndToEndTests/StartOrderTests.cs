using Chat.Testing;

namespace Chat.EndToEndTests;

/// <summary>
/// Frontends and silos come up in any order. A frontend that starts first waits for the cluster, however it finds
/// it missing (no gateway yet, or not even the cluster's tables on a fresh database), instead of exiting.
/// </summary>
public sealed class StartOrderTests(FrontendFirstDeployment chat) : IClassFixture<FrontendFirstDeployment>
{
    [Fact]
    public async Task AFrontendStartedBeforeTheSiloWaitsForItAndServes()
    {
        // The fixture has already waited for the frontend to become ready, after the silo started late.
        Assert.False(chat.Frontend!.HasExited);
        Assert.Contains("waiting for the cluster", chat.Frontend.Output, StringComparison.OrdinalIgnoreCase);

        await using var alice = await ChatUser.RegisterAsync(chat.BaseAddress, "alice");
        await using var bob = await ChatUser.RegisterAsync(chat.BaseAddress, "bob");
        var conversation = await AttachmentTests.GroupAsync(alice, bob);
        await bob.ConnectAsync();
        await alice.PostJsonAsync($"/api/v1/conversations/{conversation}/messages", new { clientMessageId = "first", content = "after a late silo" }, 201);
        await bob.WaitForEventAsync("messageReceived", m => m.GetProperty("content").GetString() == "after a late silo", TimeSpan.FromSeconds(30));
    }
}
