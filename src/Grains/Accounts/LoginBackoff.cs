namespace Chat.Grains.Accounts;

/// <summary>
/// Failed logins of one account, from anywhere: the first <see cref="FreeFailures"/> cost nothing, then each failure
/// locks the account's logins for twice as long as the one before (1 s, 2 s, 4 s, ...) up to <see cref="MaxLockout"/>.
/// A success clears it. Guessing a password from many addresses at once thus slows to a few tries an hour, while
/// the owner is never locked out for longer than <see cref="MaxLockout"/>.
/// </summary>
public sealed class LoginBackoff(int freeFailures, TimeSpan maxLockout)
{
    private int _failures;
    private DateTimeOffset _lockedUntil = DateTimeOffset.MinValue;
    private DateTimeOffset _lastFailure = DateTimeOffset.MinValue;

    public int FreeFailures => freeFailures;

    public TimeSpan MaxLockout => maxLockout;

    /// <summary>How long logins must still wait, or null when one may be tried now.</summary>
    public TimeSpan? Wait(DateTimeOffset now) => now < _lockedUntil ? _lockedUntil - now : null;

    public void Failed(DateTimeOffset now)
    {
        _failures++;
        _lastFailure = now;
        if (_failures > freeFailures)
        {
            var doublings = Math.Min(_failures - freeFailures - 1, 30);
            var lockout = TimeSpan.FromSeconds(Math.Min(Math.Pow(2, doublings), maxLockout.TotalSeconds));
            _lockedUntil = now + lockout;
        }
    }

    public void Succeeded() => (_failures, _lockedUntil) = (0, DateTimeOffset.MinValue);

    /// <summary>
    /// True when there is nothing worth remembering: no failures, or none (and no lock) for a full
    /// <see cref="MaxLockout"/>. The grain may then go, and the account starts afresh.
    /// </summary>
    public bool IsClear(DateTimeOffset now) =>
        _failures == 0 || now >= (_lockedUntil > _lastFailure ? _lockedUntil : _lastFailure) + maxLockout;
}
