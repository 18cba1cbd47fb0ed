using System.Net;
using Microsoft.AspNetCore.HttpOverrides;

namespace Chat.WebFrontend.Hosting;

/// <summary>Which reverse proxies (an ingress, a load balancer) may name the client, bound from <c>Chat:Network</c>.</summary>
public sealed class NetworkOptions
{
    public const string Section = "Chat:Network";

    /// <summary>Proxy addresses whose <c>X-Forwarded-For</c> and <c>X-Forwarded-Proto</c> are believed, e.g. <c>10.0.0.5</c>.</summary>
    public string[] KnownProxies { get; set; } = [];

    /// <summary>Proxy networks in CIDR form, e.g. <c>10.0.0.0/8</c> for an ingress whose pods move.</summary>
    public string[] KnownNetworks { get; set; } = [];
}

public static class ProxyHeaders
{
    /// <summary>
    /// ASP.NET Core's forwarded-headers handling with nothing trusted but the configured proxies (not even loopback,
    /// its default): without it every client behind an ingress would share the ingress's address in the limits.
    /// </summary>
    public static WebApplicationBuilder AddChatProxyHeaders(this WebApplicationBuilder builder)
    {
        var network = builder.Configuration.GetSection(NetworkOptions.Section).Get<NetworkOptions>() ?? new NetworkOptions();
        builder.Services.AddSingleton(network);
        builder.Services.Configure<ForwardedHeadersOptions>(o =>
        {
            o.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
            o.KnownProxies.Clear();
            o.KnownIPNetworks.Clear();
            foreach (var proxy in network.KnownProxies)
            {
                o.KnownProxies.Add(IPAddress.Parse(proxy));
            }

            foreach (var cidr in network.KnownNetworks)
            {
                o.KnownIPNetworks.Add(System.Net.IPNetwork.Parse(cidr));
            }
        });
        return builder;
    }

    /// <summary>
    /// Applies the headers only when proxies are configured: the middleware with empty lists would believe anyone
    /// (ForwardedHeadersMiddleware checks the sender only when a list has entries).
    /// </summary>
    public static WebApplication UseChatProxyHeaders(this WebApplication app)
    {
        var network = app.Services.GetRequiredService<NetworkOptions>();
        if (network.KnownProxies.Length + network.KnownNetworks.Length > 0)
        {
            app.UseForwardedHeaders();
        }

        return app;
    }
}
