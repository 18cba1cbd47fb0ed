using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.SignalR.Client;

namespace Chat.EndToEndTests;

/// <summary>A deployment where a group of three is already "big": it tells receipts by summary.</summary>
public sealed class SummarizedReceiptsDeployment : BulkSendDeployment
{
    protected override IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string>(base.Settings)
    {
        ["Chat__Receipts__DetailedUpTo"] = "2",
        ["Chat__Receipts__SummaryInterval"] = "00:00:00.100",
    };
}

/// <summary>Receipts in a big group, through the real processes: a summary live and in the catch-up, exact watermarks on request.</summary>
public sealed class ReceiptSummaryTests(SummarizedReceiptsDeployment chat) : IClassFixture<SummarizedReceiptsDeployment>, IAsyncLifetime
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);
    private readonly List<ChatUser> _users = [];

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var user in _users)
        {
            await user.DisposeAsync();
        }
    }

    [Fact]
    public async Task MembersOfABigGroupHearWhereEveryoneStandsInsteadOfEachReceipt()
    {
        var (alice, bob, carol) = (await NewUserAsync("alice"), await NewUserAsync("bob"), await NewUserAsync("carol"));
        var group = await alice.PostJsonAsync("/api/v1/conversations/group", new { name = "big", memberIds = new[] { bob.Id, carol.Id } }, 201);
        var conversationId = group["id"]!.GetValue<Guid>();
        var since = group["version"]!.GetValue<long>();
        foreach (var user in new[] { alice, bob, carol })
        {
            await user.ConnectAsync();
        }

        for (var i = 0; i < 2; i++)
        {
            await alice.Hub.InvokeAsync<JsonElement>("SendMessage", new { conversationId, clientMessageId = $"m{i}", content = $"m{i}" });
        }

        await bob.WaitForMessagesAsync(conversationId, 2, Patience);
        await carol.WaitForMessagesAsync(conversationId, 2, Patience);
        await bob.Hub.InvokeAsync("MarkRead", conversationId, 2L);
        await carol.Hub.InvokeAsync("MarkDelivered", conversationId, 2L);
        await carol.Hub.InvokeAsync("MarkRead", conversationId, 1L);

        var summary = await alice.WaitForEventAsync("receiptsSummaryChanged",
            s => s.GetProperty("readSeq").GetInt64() == 1 && s.GetProperty("deliveredSeq").GetInt64() == 2, Patience);
        var changes = await alice.Hub.InvokeAsync<JsonObject>("GetChanges", new Dictionary<Guid, long> { [conversationId] = since });
        var receipts = await alice.GetJsonAsync($"/api/v1/conversations/{conversationId}/receipts");

        Assert.Equal(conversationId, summary.GetProperty("conversationId").GetGuid());
        Assert.True(summary.GetProperty("version").GetInt64() > since);
        Assert.Empty(alice.Events("receiptsChanged"));
        var caughtUp = changes[conversationId.ToString()]!;
        Assert.Equal(1, caughtUp["receiptsSummary"]!["readSeq"]!.GetValue<long>());
        Assert.Equal(2, caughtUp["receiptsSummary"]!["deliveredSeq"]!.GetValue<long>());
        var exact = receipts["receipts"]!.AsArray().ToDictionary(r => r!["userId"]!.GetValue<Guid>(), r => (r!["deliveredSeq"]!.GetValue<long>(), r!["readSeq"]!.GetValue<long>()));
        Assert.Equal((2L, 2L), exact[bob.Id]);
        Assert.Equal((2L, 1L), exact[carol.Id]);
    }

    private async Task<ChatUser> NewUserAsync(string prefix)
    {
        var user = await ChatUser.RegisterAsync(chat.BaseAddress, prefix);
        _users.Add(user);
        return user;
    }
}
