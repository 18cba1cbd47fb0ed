namespace Chat.Grains.Storage;

public static class TimeProviderExtensions
{
    /// <summary>
    /// Now, cut to PostgreSQL's microsecond precision, so a value returned at write time equals the stored one
    /// that later reads return.
    /// </summary>
    public static DateTimeOffset UtcNowForStorage(this TimeProvider clock)
    {
        var now = clock.GetUtcNow();
        return now.AddTicks(-(now.UtcTicks % 10));
    }
}
