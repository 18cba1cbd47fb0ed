namespace Chat.Testing.Fuzzing;

/// <summary>
/// Chat for fuzzing: the rate limits lifted (so that they are not all the fuzzer meets) and password hashing cheap
/// (its cost is measured elsewhere; here it would only slow the run).
/// </summary>
public sealed class FuzzDeployment : ChatDeployment
{
    protected override IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string>
    {
        ["Chat__RateLimits__SendsPerSecond"] = "1000000",
        ["Chat__RateLimits__SendBurst"] = "1000000",
        ["Chat__RateLimits__RequestsPerSecond"] = "1000000",
        ["Chat__RateLimits__RequestBurst"] = "1000000",
        ["Chat__RateLimits__HashQueue"] = "100000",
        ["Chat__Auth__PasswordHashIterations"] = "1000",
        // Workstation GC gives memory back to the system soon after use, so that the memory check sees what is kept
        // (server GC holds on to what it once grew, which would read as growth).
        ["DOTNET_gcServer"] = "0",
    };
}
