using Chat.Grains.History;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Chat.WebFrontend.Health;

/// <summary>Ready when a grain answers and that grain reaches PostgreSQL: one call proves both.</summary>
public sealed class ClusterHealthCheck(IClusterClient cluster) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await cluster.GetGrain<IHistoryGrain>(0).PingAsync().WaitAsync(TimeSpan.FromSeconds(3), cancellationToken);
            return HealthCheckResult.Healthy();
        }
        catch (Exception exception)
        {
            return HealthCheckResult.Unhealthy("The cluster or PostgreSQL does not answer.", exception);
        }
    }
}
