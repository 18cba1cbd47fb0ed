using System.Collections.Immutable;
using Chat.Grains.Conversations;
using Chat.Grains.Errors;
using Chat.Grains.History;
using Chat.Grains.Storage;
using Chat.Grains.Streams;

namespace Chat.Grains.Users;

/// <summary>
/// Contacts, blocks and reports. A relationship has a row on each side, each written by its own user's grain,
/// which tells the other side's grain what changed.
/// </summary>
internal sealed partial class UserGrain
{
    public const int MaxReasonLength = 1000;

    public async Task<Contact> RequestContactAsync(Guid otherId)
    {
        await RequireOtherUserAsync(otherId);
        if (await contacts.EitherBlockedAsync(Id, otherId))
        {
            throw ChatException.Forbidden("You cannot add this user.");
        }

        switch (await contacts.FindAsync(Id, otherId))
        {
            case { State: ContactStates.Incoming }:
                return await AcceptContactAsync(otherId); // they asked first: asking back accepts
            case { State: ContactStates.Outgoing or ContactStates.Accepted } existing:
                return existing;
        }

        var now = clock.UtcNowForStorage();
        await contacts.SetAsync(Id, otherId, ContactStates.Outgoing, now);
        await Other(otherId).ContactChangedAsync(Id, ContactStates.Incoming);
        return new Contact(otherId, ContactStates.Outgoing, now);
    }

    public async Task<Contact> AcceptContactAsync(Guid otherId)
    {
        if (await contacts.FindAsync(Id, otherId) is not { State: ContactStates.Incoming })
        {
            throw ChatException.NotFound("No pending request from that user.");
        }

        var now = clock.UtcNowForStorage();
        await contacts.SetAsync(Id, otherId, ContactStates.Accepted, now);
        await Other(otherId).ContactChangedAsync(Id, ContactStates.Accepted);
        return new Contact(otherId, ContactStates.Accepted, now);
    }

    public async Task RemoveContactAsync(Guid otherId)
    {
        if (await contacts.FindAsync(Id, otherId) is null)
        {
            throw ChatException.NotFound("That user is not a contact and has no pending request.");
        }

        await contacts.SetAsync(Id, otherId, null, clock.UtcNowForStorage());
        await Other(otherId).ContactChangedAsync(Id, null);
    }

    public async Task ContactChangedAsync(Guid otherId, string? state)
    {
        await contacts.SetAsync(Id, otherId, state, clock.UtcNowForStorage());
        if (state == ContactStates.Incoming)
        {
            await UserStream.OnNextAsync(new ContactRequestEvent(Id, otherId));
        }
    }

    public Task<ImmutableArray<Contact>> GetContactsAsync() => contacts.ListAsync(Id);

    public async Task BlockAsync(Guid otherId)
    {
        await RequireOtherUserAsync(otherId);
        await contacts.SetBlockAsync(Id, otherId, blocked: true, clock.UtcNowForStorage());
        await DirectWith(otherId).BlocksChangedAsync();
        if (await contacts.FindAsync(Id, otherId) is not null)
        {
            await RemoveContactAsync(otherId); // a block ends the contact, and any request, on both sides
        }
    }

    public async Task UnblockAsync(Guid otherId)
    {
        await contacts.SetBlockAsync(Id, otherId, blocked: false, clock.UtcNowForStorage());
        await DirectWith(otherId).BlocksChangedAsync();
    }

    /// <summary>The direct conversation with the other user (it need not exist): it keeps what it knows of blocks.</summary>
    private IConversationGrain DirectWith(Guid otherId) => GrainFactory.GetGrain<IConversationGrain>(DirectConversationId.For(Id, otherId));

    public Task<ImmutableArray<Guid>> GetBlocksAsync() => contacts.ListBlocksAsync(Id);

    public Task<GroupAddPolicy> GetGroupAddPolicyAsync() => contacts.GetGroupAddPolicyAsync(Id);

    public Task SetGroupAddPolicyAsync(GroupAddPolicy policy) => contacts.SetGroupAddPolicyAsync(Id, policy);

    public async Task<Report> ReportAsync(Guid? userId, Guid? conversationId, long? seq, string reason)
    {
        reason = reason.Trim();
        if (reason.Length is < 1 or > MaxReasonLength)
        {
            throw ChatException.Validation($"reason must be 1-{MaxReasonLength} characters.");
        }

        if (userId is null && conversationId is null)
        {
            throw ChatException.Validation("A report names a userId, a conversationId, or a conversationId and seq.");
        }

        if (seq is not null && conversationId is null)
        {
            throw ChatException.Validation("seq needs its conversationId.");
        }

        if (userId is { } reported && (await accounts.ExistingUsersAsync([reported])).Count == 0)
        {
            throw ChatException.NotFound("No such user.");
        }

        // Only what the reporter can see: NOT_FOUND otherwise, as everywhere.
        if (conversationId is { } conversation && seq is { } messageSeq)
        {
            await GrainFactory.GetGrain<IHistoryGrain>(0).GetMessageAsync(Id, conversation, messageSeq);
        }
        else if (conversationId is { } onlyConversation)
        {
            await GrainFactory.GetGrain<IConversationGrain>(onlyConversation).GetAsync(Id);
        }

        var report = new Report(Guid.CreateVersion7(), Id, userId, conversationId, seq, reason, clock.UtcNowForStorage());
        await contacts.InsertReportAsync(report);
        return report;
    }

    private IUserGrain Other(Guid otherId) => GrainFactory.GetGrain<IUserGrain>(otherId);

    private Orleans.Streams.IAsyncStream<UserEvent> UserStream =>
        this.GetStreamProvider(ChatStreams.Provider).GetStream<UserEvent>(ChatStreams.User(Id));

    private async Task RequireOtherUserAsync(Guid otherId)
    {
        if (otherId == Id)
        {
            throw ChatException.Validation("That is you.");
        }

        if ((await accounts.ExistingUsersAsync([otherId])).Count == 0)
        {
            throw ChatException.NotFound("No such user.");
        }
    }
}
