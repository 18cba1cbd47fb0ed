using Chat.Grains.Hosting;
using Chat.WebFrontend.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Orleans.Configuration;

namespace Chat.UnitTests;

/// <summary>
/// The two Orleans settings that keep a restarted silo from swallowing a frontend's answers for a minute
/// (RELIABILITY.md, "A gateway that holds a frontend's answers"): short by default, an operator's setting wins. The
/// hosts are built, never started: nothing connects.
/// </summary>
public sealed class GatewayRoutingOptionsTests
{
    private static readonly Dictionary<string, string?> Required = new()
    {
        ["ConnectionStrings:Chat"] = "Host=127.0.0.1;Port=1;Username=nobody;Database=none",
        ["ConnectionStrings:Blobs"] = "UseDevelopmentStorage=true",
    };

    [Fact]
    public void AGatewayForgetsADisconnectedFrontendAfterFiveSeconds()
    {
        Assert.Equal(TimeSpan.FromSeconds(5), Silo([]).GetRequiredService<IOptions<SiloMessagingOptions>>().Value.ClientDropTimeout);
        Assert.Equal(TimeSpan.FromSeconds(20), Silo(new() { ["Chat:Silo:Messaging:ClientDropTimeout"] = "00:00:20" })
            .GetRequiredService<IOptions<SiloMessagingOptions>>().Value.ClientDropTimeout);
    }

    [Fact]
    public void AFrontendTakesARestartedGatewayBackWithinFiveSeconds()
    {
        Assert.Equal(TimeSpan.FromSeconds(5), Frontend([]).GetRequiredService<IOptions<GatewayOptions>>().Value.GatewayListRefreshPeriod);
        Assert.Equal(TimeSpan.FromSeconds(30), Frontend(new() { ["Chat:Silo:Gateway:GatewayListRefreshPeriod"] = "00:00:30" })
            .GetRequiredService<IOptions<GatewayOptions>>().Value.GatewayListRefreshPeriod);
    }

    private static IServiceProvider Silo(Dictionary<string, string?> settings)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(Required).AddInMemoryCollection(settings);
        builder.UseOrleans(silo => silo.AddChatSilo(builder.Configuration));
        return builder.Build().Services;
    }

    private static IServiceProvider Frontend(Dictionary<string, string?> settings)
    {
        var builder = WebApplication.CreateBuilder();
        builder.Configuration.AddInMemoryCollection(Required).AddInMemoryCollection(settings);
        builder.AddChatOrleansClient();
        return builder.Build().Services;
    }
}
