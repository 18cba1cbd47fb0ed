using Chat.Testing.Fuzzing;

// The long fuzzing run: starts Chat (a private PostgreSQL, Azurite, a silo and a frontend on loopback), sends
// generated requests and hub calls, and prints what came back. Exits 1 on any 5xx, a dead process, or a frontend
// whose memory stayed more than 150 MiB above where it started.
//   dotnet tools/Chat.Fuzz/bin/Release/net10.0/Chat.Fuzz.dll [--cases N] [--seed SEED]
var cases = args.SkipWhile(a => a != "--cases").Skip(1).Select(int.Parse).FirstOrDefault(200_000);
var seed = args.SkipWhile(a => a != "--seed").Skip(1).FirstOrDefault();
var chat = new FuzzDeployment();
try
{
    await chat.InitializeAsync();
    Console.WriteLine($"Fuzzing Chat at {chat.BaseAddress} with {cases} cases{(seed is null ? "" : $", seed {seed}")}");
    var report = await new ChatFuzzer(chat).RunAsync(cases, seed, progress: Console.WriteLine);
    Console.WriteLine(report);
    return report.Failures.Count == 0 && report.ProcessesAlive && report.FinalRssMiB <= report.BaselineRssMiB + 150 ? 0 : 1;
}
finally
{
    await chat.DisposeAsync();
}
