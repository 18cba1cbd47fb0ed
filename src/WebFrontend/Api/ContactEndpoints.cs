using System.Collections.Immutable;
using System.Security.Claims;
using Chat.Grains.Accounts;
using Chat.Grains.Users;
using Chat.WebFrontend.Auth;
using Chat.WebFrontend.Errors;

namespace Chat.WebFrontend.Api;

/// <summary>Contacts (requests and answers), blocks, and reports for moderators.</summary>
public static class ContactEndpoints
{
    public sealed record ContactRequest(Guid? UserId);
    public sealed record ReportRequest(Guid? UserId, Guid? ConversationId, long? Seq, string? Reason);
    public sealed record ContactDto(UserDto User, string State, DateTimeOffset Since);
    public sealed record ContactsDto(IReadOnlyList<ContactDto> Contacts);
    public sealed record PendingDto(IReadOnlyList<ContactDto> Incoming, IReadOnlyList<ContactDto> Outgoing);
    public sealed record BlocksDto(IReadOnlyList<UserDto> Users);
    public sealed record ReportDto(Guid Id, Guid? UserId, Guid? ConversationId, long? Seq, string Reason, DateTimeOffset CreatedAt);

    public static RouteGroupBuilder MapContacts(this RouteGroupBuilder api)
    {
        var contacts = api.MapGroup("/contacts").WithTags("Contacts").RequireAuthorization();
        contacts.MapGet("/", async (ClaimsPrincipal user, IClusterClient cluster) =>
            new ContactsDto(await DescribeAsync(cluster, (await Me(user, cluster).GetContactsAsync()).Where(c => c.State == ContactStates.Accepted))));
        contacts.MapGet("/pending", async (ClaimsPrincipal user, IClusterClient cluster) =>
        {
            var all = await Me(user, cluster).GetContactsAsync();
            return new PendingDto(
                await DescribeAsync(cluster, all.Where(c => c.State == ContactStates.Incoming)),
                await DescribeAsync(cluster, all.Where(c => c.State == ContactStates.Outgoing)));
        });
        contacts.MapPost("/", async (ContactRequest body, ClaimsPrincipal user, IClusterClient cluster) =>
        {
            var other = body.UserId ?? throw Grains.Errors.ChatException.Validation("userId is required.");
            var contact = await Me(user, cluster).RequestContactAsync(other);
            return Results.Created($"/api/v1/contacts/{other}", (await DescribeAsync(cluster, [contact]))[0]);
        });
        contacts.MapPost("/{userId:guid}/accept", async (Guid userId, ClaimsPrincipal user, IClusterClient cluster) =>
            (await DescribeAsync(cluster, [await Me(user, cluster).AcceptContactAsync(userId)]))[0]);
        contacts.MapDelete("/{userId:guid}", async (Guid userId, ClaimsPrincipal user, IClusterClient cluster) =>
        {
            await Me(user, cluster).RemoveContactAsync(userId);
            return Results.NoContent();
        });

        var blocks = api.MapGroup("/blocks").WithTags("Contacts").RequireAuthorization();
        blocks.MapGet("/", async (ClaimsPrincipal user, IClusterClient cluster) =>
        {
            var ids = await Me(user, cluster).GetBlocksAsync();
            var profiles = (await cluster.GetGrain<IAccountsGrain>(0).GetProfilesAsync(ids)).ToDictionary(p => p.Id);
            return new BlocksDto([.. ids.Where(profiles.ContainsKey).Select(id => UserDto.From(profiles[id]))]);
        });
        blocks.MapPut("/{userId:guid}", async (Guid userId, ClaimsPrincipal user, IClusterClient cluster) =>
        {
            await Me(user, cluster).BlockAsync(userId);
            return Results.NoContent();
        });
        blocks.MapDelete("/{userId:guid}", async (Guid userId, ClaimsPrincipal user, IClusterClient cluster) =>
        {
            await Me(user, cluster).UnblockAsync(userId);
            return Results.NoContent();
        });

        api.MapPost("/reports", async (ReportRequest body, ClaimsPrincipal user, IClusterClient cluster) =>
        {
            var report = await Me(user, cluster).ReportAsync(body.UserId, body.ConversationId, body.Seq, Validate.Required(body.Reason, "reason"));
            return Results.Created($"/api/v1/reports/{report.Id}",
                new ReportDto(report.Id, report.UserId, report.ConversationId, report.Seq, report.Reason, report.CreatedAt));
        }).WithTags("Contacts").RequireAuthorization();
        return api;
    }

    private static IUserGrain Me(ClaimsPrincipal user, IClusterClient cluster) => cluster.GetGrain<IUserGrain>(user.UserId());

    private static async Task<List<ContactDto>> DescribeAsync(IClusterClient cluster, IEnumerable<Contact> contacts)
    {
        var list = contacts.ToList();
        var profiles = (await cluster.GetGrain<IAccountsGrain>(0).GetProfilesAsync([.. list.Select(c => c.UserId)])).ToDictionary(p => p.Id);
        return [.. list.Where(c => profiles.ContainsKey(c.UserId)).Select(c => new ContactDto(UserDto.From(profiles[c.UserId]), c.State, c.Since))];
    }
}
