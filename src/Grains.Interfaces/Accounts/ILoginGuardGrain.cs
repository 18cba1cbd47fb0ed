namespace Chat.Grains.Accounts;

/// <summary>
/// The failed logins of one account (key: the lower-cased username), shared by every frontend: after five
/// failures from anywhere, logins of that account wait longer after each further failure, up to 15 minutes.
/// Kept in memory: a silo restart forgets it, which costs an attacker's waits, never a user's data.
/// </summary>
[Alias("chat.ILoginGuardGrain")]
public interface ILoginGuardGrain : IGrainWithStringKey
{
    /// <summary>How long logins of this account must still wait, or null when one may be tried.</summary>
    [Alias("Wait")]
    Task<TimeSpan?> WaitAsync();

    [Alias("Failed")]
    Task FailedAsync();

    [Alias("Succeeded")]
    Task SucceededAsync();
}
