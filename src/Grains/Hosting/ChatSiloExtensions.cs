using System.Net;
using Chat.BlobStorage;
using Chat.Grains.Attachments;
using Chat.Grains.Conversations;
using Chat.Grains.Notifications;
using Chat.Grains.Presence;
using Chat.Grains.Storage;
using Chat.Grains.Streams;
using Chat.Grains.Users;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Npgsql;
using Orleans.Configuration;
using Orleans.Dashboard;
using Orleans.Runtime.Providers;

namespace Chat.Grains.Hosting;

public static class ChatSiloExtensions
{
    public const string ConnectionStringName = "Chat";
    public const string Invariant = "Npgsql";
    public const string GrainStorage = "chat";

    /// <summary>
    /// Everything a Chat silo needs: clustering, grain state and reminders on PostgreSQL through the Orleans
    /// ADO.NET providers, memory streams toward the frontends, and the stores the grains use.
    /// </summary>
    public static ISiloBuilder AddChatSilo(this ISiloBuilder silo, IConfiguration configuration)
    {
        var connectionString = configuration.GetConnectionString(ConnectionStringName)
            ?? throw new InvalidOperationException($"ConnectionStrings:{ConnectionStringName} is required.");
        var options = configuration.GetSection(ChatSiloOptions.Section).Get<ChatSiloOptions>() ?? new ChatSiloOptions();

        if (options.Kubernetes)
        {
            // Identity, endpoints (the pod IP) and cluster ids from the pod; silos without a pod are declared dead.
            silo.UseKubernetesHosting();
            silo.Configure<EndpointOptions>(o => (o.SiloPort, o.GatewayPort) = (options.SiloPort, options.GatewayPort));
        }
        else
        {
            silo.Configure<ClusterOptions>(o => (o.ClusterId, o.ServiceId) = (options.ClusterId, options.ServiceId));
            silo.ConfigureEndpoints(IPAddress.Parse(options.AdvertisedAddress), options.SiloPort, options.GatewayPort, listenOnAnyHostAddress: false);
        }

        if (options.Clustering.Equals("Localhost", StringComparison.OrdinalIgnoreCase))
        {
            silo.UseLocalhostClustering(options.SiloPort, options.GatewayPort, serviceId: options.ServiceId, clusterId: options.ClusterId);
        }
        else
        {
            silo.UseAdoNetClustering(o => (o.Invariant, o.ConnectionString) = (Invariant, connectionString));
        }

        // A crashed silo must be declared dead within seconds, not the default ~15-30 s: until then calls to the
        // grains it held wait, and every conversation on it stalls. Three missed 2 s probes, overridable.
        silo.Configure<ClusterMembershipOptions>(o => (o.ProbeTimeout, o.NumMissedProbesLimit) = (TimeSpan.FromSeconds(2), 3));
        silo.Services.Configure<ClusterMembershipOptions>(configuration.GetSection($"{ChatSiloOptions.Section}:Membership"));

        // A gateway delivers whatever is meant for a client that ever connected to it through its own connection,
        // and holds it while that connection is down, for Orleans' default minute. A frontend that closed its
        // connection here (it had marked this gateway dead, the silo having restarted) lost, for that minute, every
        // answer and stream event of this silo's grains meant for it, although it was connected through the other
        // gateways (RELIABILITY.md). After a few seconds the gateway forgets the client and routes through those.
        silo.Configure<SiloMessagingOptions>(o => o.ClientDropTimeout = TimeSpan.FromSeconds(5));
        silo.Services.Configure<SiloMessagingOptions>(configuration.GetSection($"{ChatSiloOptions.Section}:Messaging"));
        silo.AddChatGrains(connectionString, configuration);
        if (configuration.GetSection(ChatDashboardOptions.Section).Get<ChatDashboardOptions>() is { Enabled: true })
        {
            silo.AddDashboard(); // frontends serve it (OperatorDashboard); silos collect what it shows
        }

        return silo;
    }

    /// <summary>
    /// The stores' connections. Named, so that Npgsql's metrics label the pool "chat" rather than with the connection
    /// string. No reset on close: the stores leave no session state behind (no SET, no temporary tables, no
    /// session locks), and the <c>DISCARD ALL</c> Npgsql sends otherwise was half the statements of a send. Statements
    /// run often are prepared on each connection (parsed and planned once, not per run).
    /// </summary>
    public static NpgsqlDataSource ChatDataSource(string connectionString)
    {
        var builder = new NpgsqlDataSourceBuilder(connectionString) { Name = "chat" };
        builder.ConnectionStringBuilder.NoResetOnClose = true;
        builder.ConnectionStringBuilder.MaxAutoPrepare = 64;
        return builder.Build();
    }

    /// <summary>
    /// Storage, reminders, streams and services without clustering or endpoints: what the test cluster shares
    /// with a real silo.
    /// </summary>
    public static ISiloBuilder AddChatGrains(this ISiloBuilder silo, string connectionString, IConfiguration configuration)
    {
        // Grain state is stored as JSON (the provider's default): readable in PostgreSQL and tolerant of added fields.
        silo.AddAdoNetGrainStorage(GrainStorage, o => (o.Invariant, o.ConnectionString) = (Invariant, connectionString));
        silo.UseAdoNetReminderService(o => (o.Invariant, o.ConnectionString) = (Invariant, connectionString));
        // Subscriptions are leases that frontends renew, so pub/sub state need not outlive a silo.
        silo.AddMemoryGrainStorage(ChatStreams.PubSubStore);
        // Memory streams are pulled from their queues by a pulling agent per queue. Orleans' queue grain answers an
        // empty pull at once, so every delivery waited for the agent's next timer tick and an idle silo woke every
        // few milliseconds to find the queues empty. Our queue grain holds an empty pull until an event arrives
        // (WaitingStreamQueueGrain): delivery trails the ack by well under a millisecond, and an idle silo spends
        // ~4 % of a core instead of ~16 % (BENCHMARKS.md). The 2-ms timer now only restarts a pull that found nothing.
        silo.AddMemoryStreams(ChatStreams.Provider, streams =>
        {
            streams.ConfigurePartitioning(ChatStreams.Queues);
            streams.ConfigurePullingAgent(agent => agent.Configure(o => o.GetQueueMsgsTimerPeriod = TimeSpan.FromMilliseconds(2)));
        });
        silo.Services.PostConfigure<GrainTypeOptions>(o => o.Classes.Remove(typeof(Orleans.Providers.MemoryStreamQueueGrain)));
        silo.Services.AddKeyedSingleton<IQueueReaderBackoffProvider, QueueReadBackoff>(ChatStreams.Provider);

        var services = silo.Services;
        services.AddSingleton(_ => ChatDataSource(connectionString));
        services.AddSingleton<MessageWriter>();
        services.AddSingleton<MessageStore>();
        services.AddSingleton<MemberStore>();
        services.AddSingleton<AccountStore>();
        services.AddSingleton<AttachmentStore>();
        services.AddSingleton<SearchStore>();
        services.AddSingleton<ContactStore>();
        services.AddSingleton<ScheduleStore>();
        services.AddSingleton<OutboxStore>();
        services.AddMetrics();
        services.AddSingleton<SiloMetrics>();
        services.AddHttpClient(NotificationDispatcherGrain.HttpClientName);
        services.AddOptions<NotificationOptions>().Bind(configuration.GetSection(NotificationOptions.Section));
        NotificationOptions.RequireSigned(configuration.GetSection(NotificationOptions.Section).Get<NotificationOptions>());
        services.AddSingleton<ImagePreviews>();
        services.AddChatBlobStorage(configuration);
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<IIncomingGrainCallFilter, StorageUnavailableFilter>();
        services.AddOptions<ChatLimits>().Bind(configuration.GetSection(ChatLimits.Section));
        services.AddOptions<ReceiptOptions>().Bind(configuration.GetSection(ReceiptOptions.Section));
        services.AddOptions<PresenceOptions>().Bind(configuration.GetSection(PresenceOptions.Section));
        services.AddOptions<SyncOptions>().Bind(configuration.GetSection(SyncOptions.Section));
        return silo;
    }
}
