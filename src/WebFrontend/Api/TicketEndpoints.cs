using System.Security.Claims;
using Chat.WebFrontend.Auth;
using Chat.WebFrontend.Errors;

namespace Chat.WebFrontend.Api;

public static class TicketEndpoints
{
    public sealed record TicketRequest(string? Url);

    public sealed record TicketDto(string Url, DateTimeOffset ExpiresAt);

    /// <summary>
    /// <c>POST /tickets {url}</c>: the URL of a download (an attachment, its thumbnail, an avatar) with a short-lived
    /// ticket for the caller in its query, for an img src or a download link. Access is checked when it is used.
    /// </summary>
    public static RouteGroupBuilder MapTickets(this RouteGroupBuilder api)
    {
        api.MapPost("/tickets", (TicketRequest body, ClaimsPrincipal user, TokenService tokens) =>
        {
            var path = DownloadTickets.PathOf(body.Url);
            Validate.That(path is not null, "url must be a download route of this API: /api/v1/attachments/{id}[/thumbnail] or /api/v1/users/{id}/avatar.");
            var (ticket, expiresAt) = tokens.CreateDownloadTicket(user.UserId(), path!);
            var separator = body.Url!.Contains('?') ? '&' : '?';
            return TypedResults.Ok(new TicketDto($"{body.Url}{separator}{DownloadTickets.QueryName}={Uri.EscapeDataString(ticket)}", expiresAt));
        }).WithTags("Attachments").RequireAuthorization();
        return api;
    }
}
