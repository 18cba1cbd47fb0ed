namespace Chat.LoadTest;

/// <summary>A scenario's conversations (members are connection indices, one connection per user) and who sends where.</summary>
public sealed record Plan(IReadOnlyList<(Guid Id, int[] Members)> Conversations, Func<long, (int Sender, Guid Conversation)> NextSend, LoadClient.Receipts Receipts);

/// <summary>The scenarios of BENCHMARKS.md: how each builds its users and conversations, and picks each send.</summary>
public static class Scenarios
{
    public const string Help = """
        Scenarios (every connection checks that each acknowledged message of its conversations arrives exactly once
        and in order; latency runs from the send call to its ack, and to its receipt by a recipient; open loop):
          direct  --users 50 --rate 1000 --seconds 60     user i sends to user i+N/2 (1:1 conversations), a fixed rate in all
          team    --users 1000 --rate 50 --seconds 60     a team: 1:1 pairs and groups of 10-300; every recipient marks delivered and read
          group   --users 1000 --rate 10 --seconds 60     one group of all users, all online, receipts on; "last member" is the slowest recipient
          hot     --users 20 --rate 2000 --seconds 60     one group of 20, every member sending into it
          idle    --connections 10000 --users 100 --seconds 10   connections held open: frontend memory per connection, time to connect, CPU at rest
        Options: --url http://127.0.0.1:5000 (loopback only)  --warm 2 (seconds sent first and checked, but not timed: a
          fresh Chat is cold)  --out result.json  --postgres-pid PID  --max-in-flight 20000
        Each progress line ends with that second's worst ack and how late the tool itself sent (a stall of the load tool
        shows there, not only as latency); sendLateMs in the result file is the run's distribution of that lag.
        """;

    public static async Task<Plan> BuildAsync(string scenario, LoadOptions options, Population people)
    {
        var users = options.Users;
        await people.RegisterAsync(users);
        switch (scenario)
        {
            case "direct":
            {
                var half = users / 2;
                var pairs = await Task.WhenAll(Enumerable.Range(0, half).Select(i => people.DirectAsync(i, i + half)));
                return new Plan([.. pairs.Select((id, i) => (id, new[] { i, i + half }))], k => ((int)(k % (2 * half)), pairs[(int)(k % (2 * half)) % half]), LoadClient.Receipts.None);
            }

            case "hot":
            case "group":
            {
                var id = await people.GroupAsync(0, Enumerable.Range(0, users));
                int[] members = [.. Enumerable.Range(0, users)];
                return new Plan([(id, members)], k => ((int)(k % users), id), scenario == "group" ? LoadClient.Receipts.DeliveredAndRead : LoadClient.Receipts.None);
            }

            case "team":
            {
                var random = new Random(42); // the same team every run
                var half = users / 2;
                var conversations = new List<(Guid, int[])>();
                foreach (var i in Enumerable.Range(0, half))
                {
                    conversations.Add((await people.DirectAsync(i, i + half), [i, i + half]));
                }

                int[] sizes = [300, 100, 50, 50, 20, 20, 20, 20, 20, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10];
                foreach (var size in sizes.Where(s => s <= users))
                {
                    int[] members = [.. Enumerable.Range(0, users).OrderBy(_ => random.Next()).Take(size)];
                    conversations.Add((await people.GroupAsync(members[0], members), members));
                }

                // Each send: a random conversation (1:1 and groups alike), from a random member of it.
                var picks = new Random(7);
                return new Plan(conversations, _ =>
                {
                    lock (picks)
                    {
                        var (id, members) = conversations[picks.Next(conversations.Count)];
                        return (members[picks.Next(members.Length)], id);
                    }
                }, LoadClient.Receipts.DeliveredAndRead);
            }

            default:
                throw new ArgumentException($"Unknown scenario '{scenario}'.\n{Help}");
        }
    }
}
