namespace Chat.WebFrontend.Hosting;

/// <summary>
/// Headers every answer carries: no type sniffing, no referrer (download URLs hold a ticket), never framed, and
/// a content policy that lets the web client load only its own files and talk only to its own origin. React sets
/// avatars' colours through the style attribute, hence <c>'unsafe-inline'</c> for styles (never for scripts).
/// Over HTTPS (directly, or as a known proxy's <c>X-Forwarded-Proto</c> says) browsers are told to stay on HTTPS.
/// </summary>
public static class SecurityHeaders
{
    public const string ContentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; " +
        "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

    public static WebApplication UseSecurityHeaders(this WebApplication app)
    {
        // At the last moment, so that an error handler clearing the response does not take them away.
        app.Use((context, next) =>
        {
            context.Response.OnStarting(() =>
            {
                var headers = context.Response.Headers;
                headers.XContentTypeOptions = "nosniff";
                headers["Referrer-Policy"] = "no-referrer";
                headers.XFrameOptions = "DENY";
                headers.ContentSecurityPolicy = ContentSecurityPolicy;
                if (context.Request.IsHttps)
                {
                    headers.StrictTransportSecurity = "max-age=31536000; includeSubDomains";
                }

                return Task.CompletedTask;
            });
            return next(context);
        });
        return app;
    }
}
