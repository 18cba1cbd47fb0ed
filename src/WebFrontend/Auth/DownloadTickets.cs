using System.Text.RegularExpressions;

namespace Chat.WebFrontend.Auth;

/// <summary>
/// Download tickets: what an <c>img</c> tag or a download link carries instead of a bearer token, which would land
/// in proxy logs and browser history. A ticket is a JWT of the same keys with a <c>dl</c> claim naming the one path
/// it opens, read only from <c>?ticket=</c> on that path's GET, and valid for minutes. It names its user, so the
/// route still checks that user's access.
/// </summary>
public static partial class DownloadTickets
{
    public const string QueryName = "ticket";
    public const string PathClaim = "dl";
    private const string FromQueryKey = "chat.ticket-from-query";

    [GeneratedRegex("^/api/v1/(attachments/[0-9a-fA-F-]{36}(/thumbnail)?|users/[0-9a-fA-F-]{36}/avatar)$")]
    private static partial Regex DownloadPath();

    public static bool IsDownloadPath(string path) => DownloadPath().IsMatch(path);

    /// <summary>The path of a URL of this API (before any query), when it is one a ticket may open.</summary>
    public static string? PathOf(string? url) =>
        url?.Split('?', 2)[0] is { } path && IsDownloadPath(path) ? path : null;

    /// <summary>Takes <c>?ticket=</c> as the token of a download's GET (unless the request brings a bearer header).</summary>
    public static void ReadFromQuery(Microsoft.AspNetCore.Authentication.JwtBearer.MessageReceivedContext context)
    {
        var request = context.Request;
        if (HttpMethods.IsGet(request.Method) && IsDownloadPath(request.Path) && !request.Headers.Authorization.Any()
            && request.Query[QueryName] is [{ } ticket, ..])
        {
            context.Token = ticket;
            context.HttpContext.Items[FromQueryKey] = true;
        }
    }

    /// <summary>A ticket opens only its path, and only from the query; an access token never comes from a download's query.</summary>
    public static void RequireRightUse(Microsoft.AspNetCore.Authentication.JwtBearer.TokenValidatedContext context)
    {
        var ticketPath = context.Principal?.FindFirst(PathClaim)?.Value;
        var fromQuery = context.HttpContext.Items.ContainsKey(FromQueryKey);
        if (ticketPath is null ? fromQuery : !fromQuery || !string.Equals(ticketPath, context.Request.Path.Value, StringComparison.OrdinalIgnoreCase))
        {
            context.Fail("A download ticket opens its own path only, from ?ticket=.");
        }
    }
}
