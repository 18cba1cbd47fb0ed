using Chat.Grains.Hosting;
using Chat.Grains.Storage;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;

var builder = Host.CreateApplicationBuilder(args);
builder.UseOrleans(silo => silo.AddChatSilo(builder.Configuration));

// The schema must exist before the silo joins: the ADO.NET providers read their queries at start-up.
await SchemaMigrator.ApplyAsync(builder.Configuration.GetConnectionString(ChatSiloExtensions.ConnectionStringName)!);
await builder.Build().RunAsync();
