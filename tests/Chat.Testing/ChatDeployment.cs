using Microsoft.AspNetCore.SignalR.Client;

namespace Chat.Testing;

/// <summary>
/// Chat as an operator runs it: a private PostgreSQL, a silo process and a frontend process on free loopback
/// ports. Processes can be killed and started again on the same database and ports.
/// </summary>
public class ChatDeployment : IAsyncLifetime
{
    private readonly List<ChatProcess> _extraFrontends = [];
    private readonly int _siloPort = FreePort.Next();
    private readonly int _gatewayPort = FreePort.Next();
    private readonly int _siloHttpPort = FreePort.Next();
    private readonly string _signingKey = Convert.ToBase64String(Guid.NewGuid().ToByteArray()) + Convert.ToBase64String(Guid.NewGuid().ToByteArray());
    private PostgresInstance _postgres = null!;
    private AzuriteInstance _azurite = null!;

    /// <summary>The HMAC key the frontends sign access tokens with (for tests that forge or inspect tokens).</summary>
    public string SigningKey => _signingKey;

    public AzuriteInstance Azurite => _azurite;
    public PostgresInstance Postgres => _postgres;
    private string _connectionString = "";

    public ChatProcess? Silo { get; private set; }
    public ChatProcess? Frontend { get; private set; }
    public Uri BaseAddress { get; } = new($"http://127.0.0.1:{FreePort.Next()}");

    /// <summary>The silo's Prometheus endpoint.</summary>
    public Uri SiloMetrics => new($"http://127.0.0.1:{_siloHttpPort}/metrics");

    /// <summary>Frontends beyond the first, each on its own port; all share the one silo.</summary>
    protected virtual int ExtraFrontends => 0;

    /// <summary>
    /// How long the first frontend runs alone before the silo starts (zero: the silo starts first). On a fresh
    /// database the frontend then meets neither a silo nor the cluster's tables, which the silo creates.
    /// </summary>
    protected virtual TimeSpan FrontendHeadStart => TimeSpan.Zero;

    /// <summary>Settings (environment variables) a deployment adds or overrides.</summary>
    protected virtual IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string>();

    /// <summary>Every frontend's address, the first being <see cref="BaseAddress"/>.</summary>
    public List<Uri> FrontendAddresses { get; } = [];

    public virtual async Task InitializeAsync()
    {
        _postgres = await PostgresInstance.StartAsync();
        _azurite = await AzuriteInstance.StartAsync();
        _connectionString = await _postgres.CreateDatabaseAsync("chat");
        await StartProcessesAsync();
    }

    /// <summary>A started SignalR connection to the first frontend's hub as the holder of this access token.</summary>
    public async Task<HubConnection> ConnectHubAsync(string accessToken)
    {
        var hub = new HubConnectionBuilder()
            .WithUrl(new Uri(BaseAddress, "/hubs/chat"), o => o.AccessTokenProvider = () => Task.FromResult<string?>(accessToken))
            .Build();
        await hub.StartAsync();
        return hub;
    }

    /// <summary>SIGKILL the silo alone and start it again on the same ports: the frontend keeps its connections.</summary>
    public async Task RestartSiloAsync()
    {
        Silo!.Kill();
        Silo.Dispose();
        Silo = ChatProcess.Start("Silo", "Chat.Silo", Environment());
        await WaitUntilReadyAsync(BaseAddress, Frontend!);
    }

    /// <summary>SIGKILL the first frontend and start it again on the same port: its clients' connections drop.</summary>
    public void KillFrontend()
    {
        Frontend!.Kill();
        Frontend.Dispose();
    }

    /// <summary>Starts the first frontend again (after <see cref="KillFrontend"/>) and waits until it is ready.</summary>
    public async Task StartFrontendAsync()
    {
        Frontend = ChatProcess.Start("WebFrontend", "Chat.WebFrontend", Environment());
        await WaitUntilReadyAsync(BaseAddress, Frontend);
    }

    public async Task StartProcessesAsync()
    {
        var environment = Environment();
        if (FrontendHeadStart == TimeSpan.Zero)
        {
            Silo = ChatProcess.Start("Silo", "Chat.Silo", environment);
        }

        Frontend = ChatProcess.Start("WebFrontend", "Chat.WebFrontend", environment);
        if (FrontendHeadStart > TimeSpan.Zero)
        {
            await Task.Delay(FrontendHeadStart); // the scenario itself: the frontend alone for a while, not a wait for a condition
            Silo = ChatProcess.Start("Silo", "Chat.Silo", environment);
        }

        await WaitUntilReadyAsync(BaseAddress, Frontend);
        FrontendAddresses.Clear();
        FrontendAddresses.Add(BaseAddress);
        for (var i = 0; i < ExtraFrontends; i++)
        {
            var address = new Uri($"http://127.0.0.1:{FreePort.Next()}");
            var frontend = ChatProcess.Start("WebFrontend", "Chat.WebFrontend", new Dictionary<string, string>(environment) { ["ASPNETCORE_URLS"] = address.ToString() });
            _extraFrontends.Add(frontend);
            await WaitUntilReadyAsync(address, frontend);
            FrontendAddresses.Add(address);
        }
    }

    /// <summary>What every process of this deployment is started with.</summary>
    private Dictionary<string, string> Environment()
    {
        var environment = new Dictionary<string, string>
        {
            ["ConnectionStrings__Chat"] = _connectionString,
            ["ConnectionStrings__Blobs"] = _azurite.ConnectionString,
            ["Chat__Silo__ClusterId"] = "e2e",
            ["Chat__Silo__ServiceId"] = "e2e",
            ["Chat__Silo__SiloPort"] = _siloPort.ToString(),
            ["Chat__Silo__GatewayPort"] = _gatewayPort.ToString(),
            ["Chat__Silo__HttpPort"] = _siloHttpPort.ToString(),
            ["Chat__Auth__SigningKey"] = _signingKey,
            ["Chat__Realtime__ProbeInterval"] = "00:00:01",
            // Every test user signs up from loopback: the per-address sign-in limit would otherwise be what tests hit.
            ["Chat__RateLimits__AuthAttemptBurst"] = "100000",
            ["Chat__RateLimits__AuthAttemptsPerMinute"] = "6000000",
            ["ASPNETCORE_URLS"] = BaseAddress.ToString(),
            ["DOTNET_ENVIRONMENT"] = "Production",
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
        };
        foreach (var (key, value) in Settings)
        {
            environment[key] = value;
        }

        return environment;
    }

    /// <summary>SIGKILL both processes: no shutdown hooks, no flush, exactly a crash.</summary>
    public void KillProcesses()
    {
        Frontend?.Kill();
        Silo?.Kill();
    }

    public virtual async Task DisposeAsync()
    {
        _extraFrontends.ForEach(f => f.Dispose());
        Frontend?.Dispose();
        Silo?.Dispose();
        if (_postgres is not null)
        {
            await _postgres.DisposeAsync();
        }

        if (_azurite is not null)
        {
            await _azurite.DisposeAsync();
        }
    }

    private async Task WaitUntilReadyAsync(Uri address, ChatProcess frontend)
    {
        using var http = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromSeconds(5) };
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(120);
        while (DateTime.UtcNow < deadline)
        {
            if (Silo!.HasExited || frontend.HasExited)
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

        throw new TimeoutException($"Chat did not become ready at {address}.\n--- silo ---\n{Silo!.Output}\n--- frontend ---\n{frontend.Output}");
    }
}
