using System.Diagnostics;
using Chat.Testing;

namespace Chat.EndToEndTests;

/// <summary>
/// The short version of scripts/chaos.sh: a two-silo, two-frontend cluster under load while a silo and then a
/// frontend are killed. Every guarantee (nothing lost, duplicated or reordered, nothing after a removal, every
/// client's copy equal to the database) must hold, and the fleet must recover.
/// </summary>
[Collection(Name)]
public sealed class ChaosTests
{
    public const string Name = "chaos";

    [Fact]
    public async Task AShortChaosRunKeepsEveryGuarantee()
    {
        var folder = Path.Combine(Path.GetTempPath(), $"chat-chaos-test-{Guid.NewGuid():N}");
        var tool = Path.Combine(RepoPaths.Root, "tools", "Chat.Chaos", "bin", RepoPaths.Configuration, "net10.0", "Chat.Chaos.dll");
        var start = new ProcessStartInfo("dotnet", [tool, "--short", "--dir", folder, "--repo", RepoPaths.Root]) { RedirectStandardOutput = true, RedirectStandardError = true };
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        try
        {
            await process.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(6));
            Assert.True(process.ExitCode == 0, $"chaos run failed:\n{await output}\n{await errors}");
            Assert.Contains("| SIGKILL silo 2 |", await output);
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }

            // The cluster's processes run in sessions of their own: take them down whatever happened.
            var down = Process.Start(new ProcessStartInfo("bash", [Path.Combine(RepoPaths.Root, "scripts", "cluster.sh"), "down"])
            {
                Environment = { ["CHAT_CLUSTER_DIR"] = folder },
            })!;
            await down.WaitForExitAsync();
        }
    }
}

/// <summary>The chaos run loads both cores on its own: it runs after the other test classes, not beside them.</summary>
[CollectionDefinition(ChaosTests.Name, DisableParallelization = true)]
public sealed class ChaosCollection;
