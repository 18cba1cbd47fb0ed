using Chat.Grains.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using OpenTelemetry.Metrics;

namespace Chat.Silo;

public static class SiloTelemetry
{
    /// <summary>
    /// OpenTelemetry metrics of the silo: its own (<see cref="SiloMetrics"/>), Orleans', Npgsql's and the runtime's,
    /// served as Prometheus text on a small endpoint of the silo's own when <c>Chat:Silo:MetricsPort</c> is set.
    /// </summary>
    public static IHostApplicationBuilder AddSiloTelemetry(this IHostApplicationBuilder builder)
    {
        var options = builder.Configuration.GetSection(ChatSiloOptions.Section).Get<ChatSiloOptions>() ?? new ChatSiloOptions();
        builder.Services.AddOpenTelemetry().WithMetrics(metrics =>
        {
            metrics.AddMeter(SiloMetrics.MeterName, "Microsoft.Orleans", "Npgsql").AddRuntimeInstrumentation();
            if (options.MetricsPort > 0)
            {
                metrics.AddPrometheusHttpListener(o => (o.Host, o.Port) = (options.AdvertisedAddress, options.MetricsPort));
            }
        });
        return builder;
    }
}
