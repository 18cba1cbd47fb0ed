using Chat.BlobStorage;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Chat.WebFrontend.Health;

/// <summary>Ready when the attachment container answers (and exists).</summary>
public sealed class BlobStorageHealthCheck(AttachmentBlobs blobs) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(TimeSpan.FromSeconds(3));
            return (await blobs.Container.ExistsAsync(timeout.Token)).Value
                ? HealthCheckResult.Healthy()
                : HealthCheckResult.Unhealthy($"The blob container {blobs.Container.Name} does not exist.");
        }
        catch (Exception exception)
        {
            return HealthCheckResult.Unhealthy("Blob storage does not answer.", exception);
        }
    }
}
