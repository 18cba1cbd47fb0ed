namespace Chat.Testing;

/// <summary>
/// Waiting on state held by another process, where there is no event to await: ask until the answer is the
/// expected one, and fail saying what was awaited.
/// </summary>
public static class Poll
{
    public static async Task<T> UntilAsync<T>(Func<Task<T>> ask, Func<T, bool> done, TimeSpan timeout, string what)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var answer = await ask();
            if (done(answer))
            {
                return answer;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Waited {timeout} for {what}; the last answer was {answer}.");
            }

            await Task.Delay(100);
        }
    }
}
