namespace Chat.LoadTest;

/// <summary>The command line: <c>SCENARIO [--url U] [--users N] [--rate R] [--seconds S] [--connections C] [--out F] ...</c>.</summary>
public sealed record LoadOptions(string Scenario, Uri Url, int Users, double Rate, TimeSpan Duration, TimeSpan Warm, int Connections, string? Out, int? PostgresPid, int MaxInFlight)
{
    public static LoadOptions Parse(string[] args)
    {
        string? Get(string name)
        {
            var i = Array.IndexOf(args, "--" + name);
            return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
        }

        // The one argument that is neither an option nor an option's value.
        var scenario = args.Where((a, i) => !a.StartsWith("--", StringComparison.Ordinal) && (i == 0 || !args[i - 1].StartsWith("--", StringComparison.Ordinal)))
            .FirstOrDefault() ?? throw new ArgumentException(Scenarios.Help);
        var url = new Uri(Get("url") ?? "http://127.0.0.1:5000");
        if (!url.IsLoopback)
        {
            throw new ArgumentException("The load generator only targets loopback addresses.");
        }

        var (users, rate, seconds) = scenario switch
        {
            "direct" => (50, 1000.0, 60),
            "team" => (1000, 50.0, 60),
            "group" => (1000, 10.0, 60),
            "hot" => (20, 2000.0, 60),
            _ => (100, 0.0, 10), // idle
        };
        return new LoadOptions(scenario, url, int.Parse(Get("users") ?? users.ToString()), double.Parse(Get("rate") ?? rate.ToString(System.Globalization.CultureInfo.InvariantCulture), System.Globalization.CultureInfo.InvariantCulture),
            TimeSpan.FromSeconds(double.Parse(Get("seconds") ?? seconds.ToString(), System.Globalization.CultureInfo.InvariantCulture)),
            TimeSpan.FromSeconds(double.Parse(Get("warm") ?? "2", System.Globalization.CultureInfo.InvariantCulture)), int.Parse(Get("connections") ?? "10000"),
            Get("out"), Get("postgres-pid") is { } pid ? int.Parse(pid) : null, int.Parse(Get("max-in-flight") ?? "20000"));
    }
}
