using Chat.BlobStorage;
using Chat.Grains.Attachments;
using Chat.Grains.Hosting;
using Chat.Grains.Notifications;
using Chat.Grains.Storage;
using Chat.Silo;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

var builder = Host.CreateApplicationBuilder(args);
builder.UseOrleans(silo => silo.AddChatSilo(builder.Configuration));
builder.AddSiloTelemetry();

// The schema must exist before the silo joins: the ADO.NET providers read their queries at start-up.
await SchemaMigrator.ApplyAsync(builder.Configuration.GetConnectionString(ChatSiloExtensions.ConnectionStringName)!);
using var host = builder.Build();
await host.Services.GetRequiredService<AttachmentBlobs>().EnsureContainerAsync();
await host.StartAsync();
var grains = host.Services.GetRequiredService<IGrainFactory>();
await grains.GetGrain<IAttachmentMaintenanceGrain>(0).StartAsync();
await grains.GetGrain<INotificationDispatcherGrain>(0).StartAsync();
await host.WaitForShutdownAsync();
