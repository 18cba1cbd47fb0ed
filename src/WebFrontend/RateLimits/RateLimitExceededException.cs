namespace Chat.WebFrontend.RateLimits;

/// <summary>A refusal for going too fast: RATE_LIMIT_EXCEEDED (429) with the wait in <c>Retry-After</c>.</summary>
public sealed class RateLimitExceededException(TimeSpan retryAfter, string message) : Exception(message)
{
    public TimeSpan RetryAfter { get; } = retryAfter;

    /// <summary>Whole seconds, at least one: what <c>Retry-After</c> carries.</summary>
    public int RetryAfterSeconds => Math.Max(1, (int)Math.Ceiling(RetryAfter.TotalSeconds));
}
