using Chat.Grains.Conversations;
using Chat.Grains.Errors;

namespace Chat.ClusterTests;

[Collection(SiloKillCollection.Name)]
public sealed class SiloKillTests(ClusterFixture fixture)
{
    [Fact]
    public async Task AcknowledgedMessagesSurviveASiloKillAndSeqContinuesWithoutHoles()
    {
        var (conversation, users) = await fixture.NewGroupAsync(2);
        for (var i = 0; i < 20; i++)
        {
            await conversation.SendAsync(users[0], SequenceTests.Text($"before-{i}"));
        }

        await fixture.Cluster.KillSiloAsync(fixture.Cluster.Silos[^1]);
        var acknowledged = new List<ChatMessage>();
        for (var i = 0; i < 20; i++)
        {
            acknowledged.Add(await SendWithRetryAsync(conversation, users[0], SequenceTests.Text($"after-{i}")));
        }

        await fixture.Cluster.StartAdditionalSiloAsync();
        var stored = await fixture.ReadAllAsync(users[0], conversation.GetPrimaryKey());
        Assert.Equal(Enumerable.Range(1, 40).Select(i => (long)i), stored.Select(m => m.Seq));
        Assert.All(acknowledged, a => Assert.Contains(stored, s => s.Id == a.Id && s.Seq == a.Seq));
    }

    /// <summary>What a client does when a send fails for a transient reason: retry with the same clientMessageId.</summary>
    private static async Task<ChatMessage> SendWithRetryAsync(IConversationGrain conversation, Guid sender, SendMessageRequest request)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return (await conversation.SendAsync(sender, request)).Message;
            }
            catch (Exception e) when (attempt < 30 && e is not ChatException { Code: not ErrorCodes.ServiceUnavailable })
            {
                await Task.Delay(TimeSpan.FromMilliseconds(200)); // the delay is the retry policy under test, not a wait for an event
            }
        }
    }
}
