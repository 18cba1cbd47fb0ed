using System.Diagnostics;

namespace Chat.Chaos;

/// <summary>scripts/cluster.sh, driven from here: a private cluster on loopback in its own folder.</summary>
internal sealed class Cluster(string repository, string folder, IReadOnlyDictionary<string, string> settings) : IAsyncDisposable
{
    public List<Uri> Frontends { get; } = [];

    public int Silos { get; private set; }

    public string ConnectionString { get; private set; } = "";

    public async Task StartAsync(int silos, int frontends)
    {
        Silos = silos;
        var output = await RunAsync("start", silos.ToString(), frontends.ToString());
        foreach (var line in output.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var parts = line.Split(' ');
            if (parts[0] == "frontend")
            {
                Frontends.Add(new Uri(parts[2]));
            }
        }

        var env = await File.ReadAllLinesAsync(Path.Combine(folder, "env"));
        var port = env.Select(l => l.Split("PG_PORT=", 2)).Where(p => p.Length == 2).Select(p => p[1].Split(' ')[0]).First();
        ConnectionString = $"Host=127.0.0.1;Port={port};Username=postgres;Database=chat;Timeout=5";
    }

    public Task<string> RunAsync(params string[] arguments) => RunScriptAsync(TimeSpan.FromMinutes(5), arguments);

    public async ValueTask DisposeAsync() => await RunScriptAsync(TimeSpan.FromMinutes(2), "down");

    private async Task<string> RunScriptAsync(TimeSpan timeout, params string[] arguments)
    {
        var start = new ProcessStartInfo("bash", [Path.Combine(repository, "scripts", "cluster.sh"), .. arguments])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.Environment["CHAT_CLUSTER_DIR"] = folder;
        foreach (var (key, value) in settings)
        {
            start.Environment[key] = value;
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        using var cancel = new CancellationTokenSource(timeout);
        await process.WaitForExitAsync(cancel.Token);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"cluster.sh {string.Join(' ', arguments)} failed: {await errors}");
        }

        return await output;
    }
}
