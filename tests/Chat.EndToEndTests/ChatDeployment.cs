using Chat.Testing;

namespace Chat.EndToEndTests;

/// <summary>
/// Chat as an operator runs it: a private PostgreSQL, a silo process and a frontend process on free loopback
/// ports. Processes can be killed and started again on the same database and ports.
/// </summary>
public sealed class ChatDeployment : IAsyncLifetime
{
    private readonly int _siloPort = FreePort.Next();
    private readonly int _gatewayPort = FreePort.Next();
    private readonly string _signingKey = Convert.ToBase64String(Guid.NewGuid().ToByteArray()) + Convert.ToBase64String(Guid.NewGuid().ToByteArray());
    private PostgresInstance _postgres = null!;
    private string _connectionString = "";

    public ChatProcess? Silo { get; private set; }
    public ChatProcess? Frontend { get; private set; }
    public Uri BaseAddress { get; } = new($"http://127.0.0.1:{FreePort.Next()}");

    public async Task InitializeAsync()
    {
        _postgres = await PostgresInstance.StartAsync();
        _connectionString = await _postgres.CreateDatabaseAsync("chat");
        await StartProcessesAsync();
    }

    public async Task StartProcessesAsync()
    {
        var environment = new Dictionary<string, string>
        {
            ["ConnectionStrings__Chat"] = _connectionString,
            ["Chat__Silo__ClusterId"] = "e2e",
            ["Chat__Silo__ServiceId"] = "e2e",
            ["Chat__Silo__SiloPort"] = _siloPort.ToString(),
            ["Chat__Silo__GatewayPort"] = _gatewayPort.ToString(),
            ["Chat__Auth__SigningKey"] = _signingKey,
            ["Chat__Realtime__ProbeInterval"] = "00:00:01",
            ["ASPNETCORE_URLS"] = BaseAddress.ToString(),
            ["DOTNET_ENVIRONMENT"] = "Production",
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
        };
        Silo = ChatProcess.Start("Silo", "Chat.Silo", environment);
        Frontend = ChatProcess.Start("WebFrontend", "Chat.WebFrontend", environment);
        await WaitUntilReadyAsync();
    }

    /// <summary>SIGKILL both processes: no shutdown hooks, no flush, exactly a crash.</summary>
    public void KillProcesses()
    {
        Frontend?.Kill();
        Silo?.Kill();
    }

    public async Task DisposeAsync()
    {
        Frontend?.Dispose();
        Silo?.Dispose();
        if (_postgres is not null)
        {
            await _postgres.DisposeAsync();
        }
    }

    private async Task WaitUntilReadyAsync()
    {
        using var http = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(5) };
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(120);
        while (DateTime.UtcNow < deadline)
        {
            if (Silo!.HasExited || Frontend!.HasExited)
            {
                break;
            }

            try
            {
                if ((await http.GetAsync("/health/ready")).IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }
            catch (TaskCanceledException)
            {
            }

            await Task.Delay(250); // polling a health endpoint: there is no event to await from another process
        }

        throw new TimeoutException($"Chat did not become ready.\n--- silo ---\n{Silo!.Output}\n--- frontend ---\n{Frontend!.Output}");
    }
}
