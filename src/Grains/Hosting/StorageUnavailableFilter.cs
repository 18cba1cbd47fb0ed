using Chat.Grains.Errors;
using Npgsql;

namespace Chat.Grains.Hosting;

/// <summary>
/// Turns a PostgreSQL outage seen by any grain into SERVICE_UNAVAILABLE, so callers fail fast with 503 rather
/// than an opaque 500. Constraint violations are not outages and pass through unchanged.
/// </summary>
internal sealed class StorageUnavailableFilter : IIncomingGrainCallFilter
{
    public async Task Invoke(IIncomingGrainCallContext context)
    {
        try
        {
            await context.Invoke();
        }
        catch (NpgsqlException e) when (e is not PostgresException { SqlState: not null } pg || IsOutage(pg))
        {
            throw new ChatException(ErrorCodes.ServiceUnavailable, "The database is unavailable; retry shortly.");
        }
    }

    // Class 08 (connection), 53 (resources), 57 (operator intervention, e.g. shutdown).
    private static bool IsOutage(PostgresException e) => e.SqlState[..2] is "08" or "53" or "57";
}
