using System.Net;
using Chat.Grains.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Npgsql;
using OpenTelemetry.Metrics;
using Orleans.Runtime;

namespace Chat.Silo;

/// <summary>
/// The silo's small HTTP endpoint on <c>Chat:Silo:HttpPort</c> (never public: only probes, Prometheus and operators
/// reach it): OpenTelemetry metrics (the silo's own, Orleans', Npgsql's and the runtime's) as Prometheus text at
/// <c>/metrics</c>, and the probes' <c>/health/live</c> and <c>/health/ready</c>.
/// </summary>
public static class SiloHttp
{
    public static WebApplicationBuilder AddSiloHttp(this WebApplicationBuilder builder)
    {
        var options = builder.Configuration.GetSection(ChatSiloOptions.Section).Get<ChatSiloOptions>() ?? new ChatSiloOptions();
        builder.WebHost.UseSetting(WebHostDefaults.ServerUrlsKey, ""); // ASPNETCORE_URLS is the frontends' setting
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(options.HttpPort > 0 ? IPAddress.Parse(options.AdvertisedAddress) : IPAddress.Loopback, options.HttpPort));
        builder.Services.AddOpenTelemetry().WithMetrics(metrics => metrics
            .AddMeter(SiloMetrics.MeterName, "Microsoft.Orleans", "Npgsql")
            .AddRuntimeInstrumentation()
            .AddPrometheusExporter(o => o.ScrapeResponseCacheDurationMilliseconds = 0)); // every scrape sees the figures of its moment
        builder.Services.AddHealthChecks().AddCheck<SiloReadiness>("silo", tags: ["ready"]);
        return builder;
    }

    public static WebApplication MapSiloHttp(this WebApplication app)
    {
        app.MapPrometheusScrapingEndpoint("/metrics");
        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false });
        app.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = check => check.Tags.Contains("ready") });
        return app;
    }
}

/// <summary>Ready while this silo is an active member of its cluster and PostgreSQL answers.</summary>
public sealed class SiloReadiness(ILocalSiloDetails silo, IClusterMembershipService membership, NpgsqlDataSource database) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var status = membership.CurrentSnapshot.GetSiloStatus(silo.SiloAddress);
        if (status != SiloStatus.Active)
        {
            return HealthCheckResult.Unhealthy($"The silo is {status}, not an active member.");
        }

        try
        {
            await using var command = database.CreateCommand("SELECT 1");
            await command.ExecuteScalarAsync(cancellationToken).WaitAsync(TimeSpan.FromSeconds(3), cancellationToken);
            return HealthCheckResult.Healthy();
        }
        catch (Exception exception) when (exception is NpgsqlException or TimeoutException)
        {
            return HealthCheckResult.Unhealthy("PostgreSQL does not answer.", exception);
        }
    }
}
