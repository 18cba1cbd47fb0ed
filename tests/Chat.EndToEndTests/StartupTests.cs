using Chat.Testing;

namespace Chat.EndToEndTests;

public sealed class StartupTests
{
    [Fact]
    public async Task AFrontendWithoutASigningKeyRefusesToStart()
    {
        using var frontend = ChatProcess.Start("WebFrontend", "Chat.WebFrontend", new Dictionary<string, string>
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
            ["ASPNETCORE_URLS"] = $"http://127.0.0.1:{FreePort.Next()}",
            ["ConnectionStrings__Chat"] = "Host=127.0.0.1;Port=1;Username=postgres;Database=none",
        });

        var exitCode = await frontend.WaitForExitAsync(TimeSpan.FromSeconds(60));

        Assert.NotEqual(0, exitCode);
        Assert.Contains("Chat:Auth:SigningKey must be set", frontend.Output);
    }

    [Fact]
    public async Task ASiloWithAnUnsignedWebhookRefusesToStart()
    {
        using var silo = ChatProcess.Start("Silo", "Chat.Silo", new Dictionary<string, string>
        {
            ["DOTNET_ENVIRONMENT"] = "Production",
            ["ConnectionStrings__Chat"] = "Host=127.0.0.1;Port=1;Username=postgres;Database=none",
            ["Chat__Notifications__WebhookUrl"] = "http://127.0.0.1:9/push",
        });

        var exitCode = await silo.WaitForExitAsync(TimeSpan.FromSeconds(60));

        Assert.NotEqual(0, exitCode);
        Assert.Contains("Chat:Notifications:Secret must be set", silo.Output);
    }
}
