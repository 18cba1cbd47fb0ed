namespace Chat.LoadTest;

/// <summary>Command line: <c>--url http://127.0.0.1:5000 --users 60 --group-size 20 --messages 50 --concurrency 4</c>.</summary>
internal sealed record LoadOptions(Uri Url, int Users, int GroupSize, int MessagesPerUser, int Concurrency, TimeSpan MaxDuration)
{
    public static LoadOptions Parse(string[] args)
    {
        string Get(string name, string fallback)
        {
            var i = Array.IndexOf(args, "--" + name);
            return i >= 0 && i + 1 < args.Length ? args[i + 1] : fallback;
        }

        var url = new Uri(Get("url", "http://127.0.0.1:5000"));
        if (!url.IsLoopback)
        {
            throw new ArgumentException("The load generator only targets loopback addresses.");
        }

        return new LoadOptions(url, int.Parse(Get("users", "60")), int.Parse(Get("group-size", "20")),
            int.Parse(Get("messages", "50")), int.Parse(Get("concurrency", "4")), TimeSpan.FromSeconds(int.Parse(Get("max-seconds", "300"))));
    }
}
