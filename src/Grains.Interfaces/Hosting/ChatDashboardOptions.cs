namespace Chat.Grains.Hosting;

/// <summary>
/// The Orleans Dashboard, for operators only (<c>Chat:Dashboard</c>, read by silos and frontends alike). Off unless
/// <see cref="Enabled"/>: silos then collect its figures (a profiler on every grain call), and each frontend serves
/// it at <c>/dashboard</c> on <see cref="Url"/> only, a listener of its own that no public route or Service reaches.
/// </summary>
public sealed class ChatDashboardOptions
{
    public const string Section = "Chat:Dashboard";

    public bool Enabled { get; set; }

    /// <summary>Where a frontend listens for the dashboard: loopback by default; in Kubernetes, the pod's internal port.</summary>
    public string Url { get; set; } = "http://127.0.0.1:8081";

    public int Port => new Uri(Url.Replace("://+", "://0.0.0.0", StringComparison.Ordinal).Replace("://*", "://0.0.0.0", StringComparison.Ordinal)).Port;
}
