using Chat.WebFrontend.Api;
using Chat.WebFrontend.Auth;
using Chat.WebFrontend.Errors;
using Chat.WebFrontend.Hosting;
using Chat.WebFrontend.Hubs;
using Chat.WebFrontend.RateLimits;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;

SharedBufferPool.SizeForFanOut();
var builder = WebApplication.CreateBuilder(args);
builder.AddChatOrleansClient();
builder.AddChatAuth();
builder.AddChatFrontend();
builder.AddChatRateLimiting();
builder.AddWebClient();
builder.AddChatProxyHeaders();
builder.AddChatMetrics();
builder.AddOperatorDashboard();

var app = builder.Build();
app.UseChatProxyHeaders();
app.UseSecurityHeaders();
app.UseChatErrors();
app.UseWebClient();
app.UseAuthentication();
app.UseAuthorization();
app.UseRateLimiter();

app.MapGroup("/api/v1").MapAuth().MapUsers().MapConversations().MapMessages().MapChanges().MapAttachments().MapSearch().MapContacts().MapSync().MapTickets();
app.MapHub<ChatHub>("/hubs/chat", hub => hub.CloseOnAuthenticationExpiration = true);
app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false });
app.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = check => check.Tags.Contains("ready") });
app.MapOpenApi();
app.MapPrometheusScrapingEndpoint("/metrics");
app.MapOperatorDashboard();
app.Run();

/// <summary>Visible to WebApplicationFactory in tests.</summary>
public partial class Program;
