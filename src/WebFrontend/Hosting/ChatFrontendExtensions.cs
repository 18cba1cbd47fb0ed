using System.Text.Json;
using System.Text.Json.Serialization;
using Chat.BlobStorage;
using Chat.Grains.Conversations;
using Chat.Grains.Hosting;
using Chat.WebFrontend.Attachments;
using Chat.Grains.Streams;
using Chat.WebFrontend.Health;
using Chat.WebFrontend.Hubs;
using Chat.WebFrontend.Realtime;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Chat.WebFrontend.Hosting;

public static class ChatFrontendExtensions
{
    /// <summary>
    /// The Orleans client: one per process (never per connection), clustering chosen by <c>Chat:Silo:Clustering</c>
    /// exactly as the silos choose it, and the memory stream provider that carries events from grains.
    /// </summary>
    public static WebApplicationBuilder AddChatOrleansClient(this WebApplicationBuilder builder)
    {
        var section = builder.Configuration.GetSection("Chat:Silo");
        var clusterId = section["ClusterId"] ?? "chat";
        var serviceId = section["ServiceId"] ?? "chat";
        builder.UseOrleansClient(client =>
        {
            if (string.Equals(section["Clustering"], "Localhost", StringComparison.OrdinalIgnoreCase))
            {
                client.UseLocalhostClustering(int.Parse(section["GatewayPort"] ?? "30000"), serviceId, clusterId);
            }
            else
            {
                var connectionString = builder.Configuration.GetConnectionString("Chat")
                    ?? throw new InvalidOperationException("ConnectionStrings:Chat is required for AdoNet clustering.");
                client.Configure<Orleans.Configuration.ClusterOptions>(o => (o.ClusterId, o.ServiceId) = (clusterId, serviceId));
                client.UseAdoNetClustering(o => (o.Invariant, o.ConnectionString) = ("Npgsql", connectionString));
            }

            // A gateway this client saw fail stays out of its list until a refresh that comes this long after the
            // failure, even once its silo is back (Orleans' default is a minute): meanwhile the client would close
            // any connection it opened there. Each refresh reads the membership table once.
            client.Configure<Orleans.Configuration.GatewayOptions>(o => o.GatewayListRefreshPeriod = TimeSpan.FromSeconds(5));
            client.Services.Configure<Orleans.Configuration.GatewayOptions>(section.GetSection("Gateway"));

            client.AddMemoryStreams(ChatStreams.Provider, streams => streams.ConfigurePartitioning(ChatStreams.Queues));
            client.Services.AddSingleton<IClientConnectionRetryFilter, WaitForCluster>();
        });
        return builder;
    }

    /// <summary>REST and hub plumbing: JSON rules, SignalR, the real-time bridge, health, OpenAPI.</summary>
    public static WebApplicationBuilder AddChatFrontend(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.ConfigureHttpJsonOptions(o => ConfigureJson(o.SerializerOptions));
        services.AddExceptionHandler<Errors.ChatExceptionHandler>();
        services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        services.AddOptions<ChatLimits>().BindConfiguration(ChatLimits.Section);
        services.AddOptions<KestrelServerOptions>().Configure<IOptions<ChatLimits>>((kestrel, limits) =>
            kestrel.Limits.MaxRequestBodySize = limits.Value.MaxRequestBodyBytes);
        services.AddOptions<HubOptions>().Configure<IOptions<ChatLimits>>((hub, limits) =>
            hub.MaximumReceiveMessageSize = limits.Value.MaxHubMessageBytes);
        services.AddOptions<RealtimeOptions>().BindConfiguration(RealtimeOptions.Section);
        // The filters are instances: SignalR then calls them directly, where a filter type costs a factory, an async
        // frame and an instance per filter on every hub call.
        services.AddSingleton<HubErrorFilter>().AddSingleton<HubRateLimitFilter>().AddSingleton<HubActivityFilter>();
        services.AddOptions<HubOptions>().Configure<HubErrorFilter, HubRateLimitFilter, HubActivityFilter>((hub, errors, limits, activity) =>
            {
                hub.AddFilter(errors); // outermost: maps what the filters after it throw
                hub.AddFilter(limits);
                hub.AddFilter(activity);
            });
        services.AddSignalR()
            .AddJsonProtocol(o => ConfigureJson(o.PayloadSerializerOptions))
            .AddMessagePackProtocol(o => o.SerializerOptions = JsonShapedMessagePack.Options(ConfigureJson(new JsonHubProtocolOptions().PayloadSerializerOptions)));
        services.AddSingleton<ChatHubLifetimeManager>();
        services.AddSingleton<HubLifetimeManager<ChatHub>>(sp => sp.GetRequiredService<ChatHubLifetimeManager>());
        services.AddSingleton(new NodeIdentity(builder.Configuration["Chat:NodeName"] ?? $"{Environment.MachineName}:{Environment.ProcessId}"));
        services.AddSingleton<ConversationFeeds>();
        services.AddSingleton<LocalConnections>();
        services.AddSingleton<ConnectionTracker>();
        services.AddSingleton<TypingTracker>();
        services.AddSingleton<GrainReferences>();
        services.AddSingleton<ReceiptForwarder>();
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<IClusterConnectionStatusObserver, RenewOnGatewayChange>();
        services.AddHostedService<RealtimeMaintenance>();
        services.AddChatBlobStorage(builder.Configuration);
        services.AddSingleton<AttachmentTransfers>();
        services.AddSingleton<FrontendDrain>();
        services.AddSingleton<IHostLifetime, DrainingLifetime>();
        services.AddHealthChecks()
            .AddCheck<FrontendDrain>("draining", tags: ["ready"])
            .AddCheck<ClusterHealthCheck>("cluster", tags: ["ready"])
            .AddCheck<BlobStorageHealthCheck>("blobs", tags: ["ready"]);
        services.AddOpenApi();
        return builder;
    }

    /// <summary>The JSON contract of REST and of both hub protocols.</summary>
    internal static JsonSerializerOptions ConfigureJson(JsonSerializerOptions json)
    {
        json.PropertyNamingPolicy = JsonNamingPolicy.CamelCase;
        json.DefaultIgnoreCondition = JsonIgnoreCondition.Never;
        json.RespectNullableAnnotations = true;
        json.Converters.Add(new Json.NulFreeStringConverter());
        return json;
    }
}
