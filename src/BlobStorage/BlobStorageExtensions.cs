using Azure.Core;
using Azure.Storage.Blobs;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Chat.BlobStorage;

public static class BlobStorageExtensions
{
    /// <summary>
    /// The blob account from <c>ConnectionStrings:Blobs</c> (Azurite locally, Azure in production) and
    /// <see cref="AttachmentBlobs"/> over the attachment container.
    /// </summary>
    public static IServiceCollection AddChatBlobStorage(this IServiceCollection services, IConfiguration configuration)
    {
        var connectionString = configuration.GetConnectionString(AttachmentOptions.ConnectionStringName)
            ?? throw new InvalidOperationException($"ConnectionStrings:{AttachmentOptions.ConnectionStringName} is required.");
        services.AddOptions<AttachmentOptions>().Bind(configuration.GetSection(AttachmentOptions.Section));
        services.AddSingleton(_ =>
        {
            var options = new BlobClientOptions();
            // Fail in seconds, not minutes, when storage is down: requests answer 503 and readiness goes red.
            options.Retry.Mode = RetryMode.Exponential;
            options.Retry.MaxRetries = 3;
            options.Retry.Delay = TimeSpan.FromMilliseconds(200);
            options.Retry.NetworkTimeout = TimeSpan.FromSeconds(30);
            return new BlobServiceClient(connectionString, options);
        });
        services.AddSingleton<AttachmentBlobs>();
        return services;
    }
}
