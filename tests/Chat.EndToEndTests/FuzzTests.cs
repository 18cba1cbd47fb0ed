using Chat.Testing.Fuzzing;
using Xunit.Abstractions;

namespace Chat.EndToEndTests;

/// <summary>
/// The short fuzzing run (scripts/fuzz.sh runs the long one): 10,000 generated requests and hub calls against a real
/// frontend and silo. No answer may be a 5xx, no process may die, and the frontend's memory must come back near where
/// it started (a body or a key that the frontend kept would show here).
/// </summary>
[Collection(Name)]
public sealed class FuzzTests(FuzzDeployment chat, ITestOutputHelper output) : IClassFixture<FuzzDeployment>
{
    public const string Name = "fuzz";

    [Fact]
    public async Task TenThousandGeneratedRequestsGetNoServerErrorAndLeaveMemoryWhereItWas()
    {
        var report = await new ChatFuzzer(chat).RunAsync(cases: 10_000, progress: output.WriteLine);
        output.WriteLine(report.ToString());
        if (report.Failures.Count > 0)
        {
            // What the frontend said about the failures (its unhandled exceptions and their stacks).
            var log = chat.Frontend!.Output.Split('\n');
            output.WriteLine(string.Join('\n', log.Where((line, i) => line.StartsWith("fail:", StringComparison.Ordinal)
                || (i > 0 && log[i - 1].StartsWith("fail:", StringComparison.Ordinal)) || line.TrimStart().StartsWith("at Chat.", StringComparison.Ordinal)).Take(80)));
        }

        Assert.True(report.Failures.Count == 0, report.ToString());
        Assert.True(report.ProcessesAlive, report.ToString());
        Assert.True(report.FinalRssMiB <= report.BaselineRssMiB + 150, report.ToString());
    }
}

/// <summary>The fuzzer loads both cores on its own: it runs after the other test classes, not beside them.</summary>
[CollectionDefinition(FuzzTests.Name, DisableParallelization = true)]
public sealed class FuzzCollection;
