namespace Chat.LoadTest;

/// <summary>
/// CPU and memory of Chat's processes on this machine, read from /proc: the silo, the frontend and PostgreSQL
/// (the postmaster and its backends), and this load tool itself. CPU is the share of one core used between two samples.
/// </summary>
public sealed class ProcessStats
{
    private static readonly double TicksPerSecond = 100; // USER_HZ on Linux
    private readonly Dictionary<string, Func<IReadOnlyList<int>>> _processes;
    private Dictionary<string, double> _cpuAtStart = [];
    private DateTime _startedAt;

    private ProcessStats(Dictionary<string, Func<IReadOnlyList<int>>> processes) => _processes = processes;

    /// <summary>Finds Chat's processes by their command lines; PostgreSQL by its postmaster's pid when given.</summary>
    public static ProcessStats Discover(int? postgresPid)
    {
        return new ProcessStats(new()
        {
            ["silo"] = () => Find(cmdline => cmdline.Contains("Chat.Silo.dll")),
            ["frontend"] = () => Find(cmdline => cmdline.Contains("Chat.WebFrontend.dll")),
            ["postgres"] = () => postgresPid is { } pid ? [pid, .. Children(pid)] : [],
            ["loadTool"] = () => [Environment.ProcessId], // it shares the cores: its own cost is part of the picture
        });
    }

    /// <summary>This process (an in-process silo and its callers) and PostgreSQL: the grain-level load test's processes.</summary>
    public static ProcessStats ForThisProcess(int postgresPid) => new(new()
    {
        ["chat"] = () => [Environment.ProcessId],
        ["postgres"] = () => [postgresPid, .. Children(postgresPid)],
    });

    public void Start()
    {
        _startedAt = DateTime.UtcNow;
        _cpuAtStart = _processes.ToDictionary(p => p.Key, p => CpuSeconds(p.Value()));
    }

    /// <summary>
    /// Per process: the share of a core used since <see cref="Start"/> (100 = one full core) and its memory now, as
    /// proportional set size (shared pages split among the processes sharing them, so PostgreSQL's backends add up).
    /// </summary>
    public Dictionary<string, (double CpuPercent, double PssMiB)> Sample()
    {
        var seconds = Math.Max(0.001, (DateTime.UtcNow - _startedAt).TotalSeconds);
        return _processes.ToDictionary(p => p.Key, p =>
        {
            var pids = p.Value();
            return ((CpuSeconds(pids) - _cpuAtStart.GetValueOrDefault(p.Key)) / seconds * 100, pids.Sum(PssKiB) / 1024.0);
        });
    }

    /// <summary><see cref="Sample"/> as the result file shows it.</summary>
    public Dictionary<string, object> Report() =>
        Sample().ToDictionary(p => p.Key, p => (object)new { cpuPercentOfOneCore = Math.Round(p.Value.CpuPercent), pssMiB = Math.Round(p.Value.PssMiB) });

    public static long RssKiB(int pid) => KiB($"/proc/{pid}/status", "VmRSS:");

    public static long PssKiB(int pid) => KiB($"/proc/{pid}/smaps_rollup", "Pss:");

    private static long KiB(string path, string field)
    {
        var line = Read(path).Split('\n').FirstOrDefault(l => l.StartsWith(field, StringComparison.Ordinal));
        return line is null ? 0 : long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]); // gone: 0
    }

    public static IReadOnlyList<int> Find(Func<string, bool> match) =>
        [.. Directory.EnumerateDirectories("/proc").Select(Path.GetFileName).Where(n => n!.All(char.IsDigit)).Select(int.Parse!)
            .Where(pid => match(Read($"/proc/{pid}/cmdline").Replace('\0', ' ')))];

    private static IEnumerable<int> Children(int parent) =>
        Find(_ => true).Where(pid => Read($"/proc/{pid}/stat") is var stat && stat.Length > 0 && int.Parse(stat[(stat.LastIndexOf(')') + 2)..].Split(' ')[1]) == parent);

    private static double CpuSeconds(IReadOnlyList<int> pids) => pids.Sum(pid =>
    {
        var stat = Read($"/proc/{pid}/stat");
        if (stat.Length == 0)
        {
            return 0;
        }

        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return (long.Parse(fields[11]) + long.Parse(fields[12]) + long.Parse(fields[13]) + long.Parse(fields[14])) / TicksPerSecond; // utime, stime, and of reaped children
    });

    private static string Read(string path)
    {
        try
        {
            return File.ReadAllText(path);
        }
        catch (IOException)
        {
            return "";
        }
        catch (UnauthorizedAccessException)
        {
            return "";
        }
    }
}
