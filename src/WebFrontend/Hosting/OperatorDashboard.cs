using Chat.Grains.Hosting;
using Orleans.Dashboard;

namespace Chat.WebFrontend.Hosting;

/// <summary>
/// The Orleans Dashboard on this frontend when <c>Chat:Dashboard:Enabled</c> (see <see cref="ChatDashboardOptions"/>):
/// a second listener beside the public one, and the dashboard's routes answer on that port only.
/// </summary>
public static class OperatorDashboard
{
    public const string Route = "/dashboard";

    public static WebApplicationBuilder AddOperatorDashboard(this WebApplicationBuilder builder)
    {
        var options = Options(builder.Configuration);
        if (options.Enabled)
        {
            builder.UseOrleansClient(client => client.AddDashboard());
            var urls = builder.WebHost.GetSetting(WebHostDefaults.ServerUrlsKey) ?? "http://localhost:5000";
            builder.WebHost.UseUrls([.. urls.Split(';', StringSplitOptions.RemoveEmptyEntries), options.Url]);
        }

        return builder;
    }

    public static WebApplication MapOperatorDashboard(this WebApplication app)
    {
        var options = Options(app.Configuration);
        if (options.Enabled)
        {
            app.MapOrleansDashboard(Route).RequireHost($"*:{options.Port}");
        }

        return app;
    }

    private static ChatDashboardOptions Options(IConfiguration configuration) =>
        configuration.GetSection(ChatDashboardOptions.Section).Get<ChatDashboardOptions>() ?? new ChatDashboardOptions();
}
