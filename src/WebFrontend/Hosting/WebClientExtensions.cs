using System.IO.Compression;
using Microsoft.AspNetCore.ResponseCompression;
using Microsoft.Extensions.FileProviders;
using Microsoft.Net.Http.Headers;

namespace Chat.WebFrontend.Hosting;

/// <summary>
/// The web client (src/WebClient, built into <c>webclient/</c> beside the binaries): its hashed files under
/// <c>/assets/</c> cached for a year, <c>index.html</c> at <c>/</c> and at every deep link, always revalidated.
/// Its files are compressed on the way out; API answers are not (they carry secrets, and BREACH).
/// </summary>
public static class WebClientExtensions
{
    private static readonly string Root = Path.Combine(AppContext.BaseDirectory, "webclient");

    public static WebApplicationBuilder AddWebClient(this WebApplicationBuilder builder)
    {
        builder.Services.AddResponseCompression(o =>
        {
            o.EnableForHttps = true;
            o.MimeTypes = ["text/javascript", "application/javascript", "text/css", "text/html", "image/svg+xml"];
            o.Providers.Add<BrotliCompressionProvider>();
            o.Providers.Add<GzipCompressionProvider>();
        });
        builder.Services.Configure<BrotliCompressionProviderOptions>(o => o.Level = CompressionLevel.Optimal);
        builder.Services.Configure<GzipCompressionProviderOptions>(o => o.Level = CompressionLevel.Optimal);
        return builder;
    }

    public static WebApplication UseWebClient(this WebApplication app)
    {
        if (!File.Exists(Path.Combine(Root, "index.html")))
        {
            app.Logger.LogWarning("The web client is not built ({Root} has no index.html): run scripts/webclient.sh build", Root);
            return app;
        }

        var files = new StaticFileOptions
        {
            FileProvider = new PhysicalFileProvider(Root),
            OnPrepareResponse = context => context.Context.Response.Headers.CacheControl =
                context.Context.Request.Path.StartsWithSegments("/assets") ? "public, max-age=31536000, immutable" : "no-cache",
        };
        app.UseWhen(context => !context.Request.Path.StartsWithSegments("/api") && !context.Request.Path.StartsWithSegments("/hubs"),
            branch => branch.UseResponseCompression());
        app.UseStaticFiles(files);
        app.MapFallbackToFile("/", "index.html", files);
        app.MapFallbackToFile("/c/{**deepLink}", "index.html", files);
        return app;
    }
}
