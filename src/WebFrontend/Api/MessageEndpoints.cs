using System.Security.Claims;
using Chat.Grains.Conversations;
using Chat.Grains.Hosting;
using Chat.Grains.History;
using Chat.WebFrontend.Auth;
using Chat.WebFrontend.Errors;
using Chat.WebFrontend.Hosting;
using Chat.WebFrontend.RateLimits;
using Microsoft.Extensions.Options;

namespace Chat.WebFrontend.Api;

public static class MessageEndpoints
{
    public sealed record PostMessageRequest(
        string? ClientMessageId, string? Content, string? ContentType, string? Format, long? ReplyToSeq,
        List<Guid>? AttachmentIds, DateTimeOffset? ScheduledFor);

    public sealed record EditMessageRequest(string? Content);

    public sealed record ScheduledAckDto(Guid ScheduledId, DateTimeOffset ScheduledFor);

    public sealed record ScheduledDto(Guid ScheduledId, DateTimeOffset ScheduledFor, string Status, string ClientMessageId, string Content,
        string ContentType, string Format, long? ReplyToSeq, IReadOnlyList<Guid> AttachmentIds, string? Error);

    public sealed record ScheduledListDto(IReadOnlyList<ScheduledDto> Scheduled);

    public sealed record ForwardRequest(List<Guid>? ToConversationIds);

    public sealed record MessagesDto(IReadOnlyList<MessageDto> Messages);

    public sealed record EditsDto(IReadOnlyList<MessageVersionDto> Versions);

    public static RouteGroupBuilder MapMessages(this RouteGroupBuilder api)
    {
        var messages = api.MapGroup("/conversations/{id:guid}/messages").WithTags("Messages").RequireAuthorization();
        messages.MapPost("/", PostAsync);
        messages.MapGet("/", GetPageAsync);
        messages.MapGet("/{seq:long}", GetOneAsync);
        messages.MapPatch("/{seq:long}", EditAsync);
        messages.MapDelete("/{seq:long}", DeleteAsync);
        messages.MapGet("/{seq:long}/edits", GetEditsAsync);
        messages.MapPut("/{seq:long}/reactions/{emoji}", (Guid id, long seq, string emoji, ClaimsPrincipal user, IClusterClient cluster) =>
            ReactAsync(id, seq, emoji, add: true, user, cluster));
        messages.MapDelete("/{seq:long}/reactions/{emoji}", (Guid id, long seq, string emoji, ClaimsPrincipal user, IClusterClient cluster) =>
            ReactAsync(id, seq, emoji, add: false, user, cluster));
        messages.MapPost("/{seq:long}/forward", ForwardAsync);

        var scheduled = api.MapGroup("/conversations/{id:guid}/scheduled").WithTags("Messages").RequireAuthorization();
        scheduled.MapGet("/", async (Guid id, ClaimsPrincipal user, IClusterClient cluster) =>
            new ScheduledListDto([.. (await cluster.GetGrain<IConversationGrain>(id).GetScheduledAsync(user.UserId())).Select(s =>
                new ScheduledDto(s.Id, s.ScheduledFor, s.Status, s.Request.ClientMessageId, s.Request.Content, s.Request.ContentType,
                    s.Request.Format, s.Request.ReplyToSeq, s.Request.AttachmentIds, s.Error))]));
        scheduled.MapDelete("/{scheduledId:guid}", async (Guid id, Guid scheduledId, ClaimsPrincipal user, IClusterClient cluster) =>
        {
            await cluster.GetGrain<IConversationGrain>(id).CancelScheduledAsync(user.UserId(), scheduledId);
            return Results.NoContent();
        });
        return api;
    }

    /// <summary>Shared by REST and the hub: the edge checks, then one grain call.</summary>
    public static Task<SendMessageResult> SendAsync(GrainReferences grains, ChatLimits limits, ChatRateLimiters rateLimiters, FrontendMetrics metrics,
        FrontendDrain drain, Guid senderId, Guid conversationId, PostMessageRequest body) =>
        drain.SendAsync(() => metrics.SendAsync(() =>
        {
            rateLimiters.AcquireSend(senderId);
            return grains.Get<IConversationGrain>(conversationId).SendAsync(senderId, ToRequest(body, limits));
        }));

    private static SendMessageRequest ToRequest(PostMessageRequest body, ChatLimits limits)
    {
        var attachments = body.AttachmentIds ?? [];
        var contentType = body.ContentType ?? (attachments.Count > 0 ? "file" : "text");
        var request = new SendMessageRequest(body.ClientMessageId ?? "", body.Content ?? "", contentType, body.Format ?? "plain",
            body.ReplyToSeq, [.. attachments]);
        return MessageRules.Validate(request, limits);
    }

    /// <summary>201 (or 200 for a repeat) once stored; with <c>scheduledFor</c>, 202 and the message is posted then.</summary>
    private static async Task<IResult> PostAsync(Guid id, PostMessageRequest body, ClaimsPrincipal user, IClusterClient cluster, GrainReferences grains,
        IOptions<ChatLimits> limits, ChatRateLimiters rateLimiters, FrontendMetrics metrics, FrontendDrain drain)
    {
        if (body.ScheduledFor is { } scheduledFor)
        {
            rateLimiters.AcquireSend(user.UserId());
            var scheduled = await cluster.GetGrain<IConversationGrain>(id).ScheduleAsync(user.UserId(), ToRequest(body, limits.Value), scheduledFor);
            return Results.Accepted($"/api/v1/conversations/{id}/scheduled", new ScheduledAckDto(scheduled.Id, scheduled.ScheduledFor));
        }

        var result = await SendAsync(grains, limits.Value, rateLimiters, metrics, drain, user.UserId(), id, body);
        var dto = MessageDto.From(result.Message);
        return result.Created ? Results.Created($"/api/v1/conversations/{id}/messages/{dto.Seq}", dto) : Results.Ok(dto);
    }

    private static async Task<MessagePageDto> GetPageAsync(Guid id, ClaimsPrincipal user, IClusterClient cluster, long? before, long? after, long? around, int? limit)
    {
        Validate.That(new[] { before, after, around }.Count(x => x is not null) <= 1, "Use at most one of before, after and around.");
        Validate.That(before is null or >= 1 && after is null or >= 0 && around is null or >= 1, "before and around must be >= 1, after >= 0.");
        var query = new HistoryQuery(before, after, around, Validate.Limit(limit, 50, 200));
        var page = await cluster.GetGrain<IHistoryGrain>(0).GetPageAsync(user.UserId(), id, query);
        return new MessagePageDto([.. page.Messages.Select(MessageDto.From)], page.HasMore);
    }

    private static async Task<MessageDto> EditAsync(Guid id, long seq, EditMessageRequest body, ClaimsPrincipal user, IClusterClient cluster) =>
        MessageDto.From(await cluster.GetGrain<IConversationGrain>(id).EditAsync(user.UserId(), seq, Validate.Required(body.Content, "content")));

    /// <summary><c>?scope=me</c> (the default) hides the message for the caller; <c>everyone</c> leaves a tombstone.</summary>
    private static async Task<IResult> DeleteAsync(Guid id, long seq, string? scope, ClaimsPrincipal user, IClusterClient cluster)
    {
        await cluster.GetGrain<IConversationGrain>(id).DeleteAsync(user.UserId(), seq, scope ?? DeleteScopes.Me);
        return Results.NoContent();
    }

    private static async Task<EditsDto> GetEditsAsync(Guid id, long seq, ClaimsPrincipal user, IClusterClient cluster)
    {
        var versions = await cluster.GetGrain<IHistoryGrain>(0).GetEditsAsync(user.UserId(), id, seq);
        return new EditsDto([.. versions.Select(v => new MessageVersionDto(v.Content, v.ReplacedAt))]);
    }

    private static async Task<IResult> ReactAsync(Guid id, long seq, string emoji, bool add, ClaimsPrincipal user, IClusterClient cluster)
    {
        await cluster.GetGrain<IConversationGrain>(id).ReactAsync(user.UserId(), seq, emoji, add);
        return Results.NoContent();
    }

    /// <summary>One copy per target conversation, in the order given; the caller must belong to each.</summary>
    private static async Task<MessagesDto> ForwardAsync(Guid id, long seq, ForwardRequest body, ClaimsPrincipal user, IClusterClient cluster,
        IOptions<ChatLimits> limits, ChatRateLimiters rateLimiters)
    {
        var targets = body.ToConversationIds ?? [];
        Validate.That(targets.Count >= 1 && targets.Count <= limits.Value.MaxForwardTargets && targets.Distinct().Count() == targets.Count,
            $"toConversationIds lists 1-{limits.Value.MaxForwardTargets} distinct conversations.");
        rateLimiters.AcquireSend(user.UserId(), targets.Count);
        var forwarded = new List<MessageDto>();
        foreach (var target in targets)
        {
            var result = await cluster.GetGrain<IConversationGrain>(target).ForwardAsync(user.UserId(), new MessageRef(id, seq));
            forwarded.Add(MessageDto.From(result.Message));
        }

        return new MessagesDto(forwarded);
    }

    private static async Task<MessageDto> GetOneAsync(Guid id, long seq, ClaimsPrincipal user, IClusterClient cluster) =>
        MessageDto.From(await cluster.GetGrain<IHistoryGrain>(0).GetMessageAsync(user.UserId(), id, seq));
}
