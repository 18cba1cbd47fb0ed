namespace Chat.Grains.Accounts;

/// <summary>Orders the calls for one account's <see cref="LoginBackoff"/>; it goes once nothing is left to remember.</summary>
[GrainType("login-guard")]
[CollectionAgeLimit(Minutes = 40)] // longer than a full lockout, so an idle lock is not forgotten early
internal sealed class LoginGuardGrain(TimeProvider clock) : Grain, ILoginGuardGrain
{
    private readonly LoginBackoff _backoff = new(freeFailures: 5, maxLockout: TimeSpan.FromMinutes(15));

    public Task<TimeSpan?> WaitAsync()
    {
        var now = clock.GetUtcNow();
        if (_backoff.IsClear(now))
        {
            DeactivateOnIdle();
        }

        return Task.FromResult(_backoff.Wait(now));
    }

    public Task FailedAsync()
    {
        _backoff.Failed(clock.GetUtcNow());
        return Task.CompletedTask;
    }

    public Task SucceededAsync()
    {
        _backoff.Succeeded();
        DeactivateOnIdle();
        return Task.CompletedTask;
    }
}
