using Chat.BlobStorage;
using Chat.Grains.Attachments;
using Chat.Grains.Hosting;
using Chat.Grains.Notifications;
using Chat.Grains.Storage;
using Chat.Silo;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

var builder = WebApplication.CreateBuilder(args);
builder.UseOrleans(silo => silo.AddChatSilo(builder.Configuration));
builder.AddSiloHttp();

// The schema must exist before the silo joins: the ADO.NET providers read their queries at start-up.
await SchemaMigrator.ApplyAsync(builder.Configuration.GetConnectionString(ChatSiloExtensions.ConnectionStringName)!);
await using var app = builder.Build();
app.MapSiloHttp();
await app.Services.GetRequiredService<AttachmentBlobs>().EnsureContainerAsync();
await app.StartAsync();
var grains = app.Services.GetRequiredService<IGrainFactory>();
await grains.GetGrain<IAttachmentMaintenanceGrain>(0).StartAsync();
await grains.GetGrain<INotificationDispatcherGrain>(0).StartAsync();
await app.WaitForShutdownAsync();
