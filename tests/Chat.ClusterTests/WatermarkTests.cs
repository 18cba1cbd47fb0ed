using Chat.Grains.Conversations;
using Chat.Grains.Errors;
using Npgsql;

namespace Chat.ClusterTests;

[Collection(ClusterCollection.Name)]
public sealed class WatermarkTests(ClusterFixture fixture)
{
    [Fact]
    public async Task ReadAndDeliveredWatermarksOnlyMoveForward()
    {
        var (conversation, users) = await fixture.NewGroupAsync(2);
        for (var i = 0; i < 5; i++)
        {
            await conversation.SendAsync(users[0], new SendMessageRequest($"m{i}", "text", "text", "plain", null, []));
        }

        var read = await conversation.MarkReadAsync(users[1], 3);
        var readBack = await conversation.MarkReadAsync(users[1], 2);
        var deliveredBack = await conversation.MarkDeliveredAsync(users[1], 1);
        var delivered = await conversation.MarkDeliveredAsync(users[1], 5);
        var beyond = await Assert.ThrowsAsync<ChatException>(() => conversation.MarkReadAsync(users[1], 6));

        Assert.Equal((3, 3), (read.ReadSeq, read.DeliveredSeq)); // reading implies delivery
        Assert.Equal((3, 3), (readBack.ReadSeq, readBack.DeliveredSeq));
        Assert.Equal((3, 3), (deliveredBack.ReadSeq, deliveredBack.DeliveredSeq));
        Assert.Equal((3, 5), (delivered.ReadSeq, delivered.DeliveredSeq));
        Assert.Equal(ErrorCodes.Validation, beyond.Code);
        var view = await conversation.GetAsync(users[1]);
        Assert.Equal((3, 5, 2), (view.ReadSeq, view.DeliveredSeq, view.UnreadCount));
        Assert.Equal((3L, 5L), await StoredWatermarksAsync(conversation.GetPrimaryKey(), users[1]));
        // The sender has read what they sent.
        Assert.Equal(0, (await conversation.GetAsync(users[0])).UnreadCount);
    }

    [Fact]
    public async Task MembersSeeEveryMembersWatermarksAndStrangersSeeNothing()
    {
        var (conversation, users) = await fixture.NewGroupAsync(3);
        for (var i = 0; i < 3; i++)
        {
            await conversation.SendAsync(users[0], new SendMessageRequest($"r{i}", "text", "text", "plain", null, []));
        }

        await conversation.MarkDeliveredAsync(users[1], 3);
        await conversation.MarkReadAsync(users[2], 2);
        var stranger = (await fixture.NewUsersAsync(1))[0];

        var receipts = (await conversation.GetReceiptsAsync(users[1])).ToDictionary(r => r.UserId, r => (r.DeliveredSeq, r.ReadSeq));
        var refused = await Assert.ThrowsAsync<ChatException>(() => conversation.GetReceiptsAsync(stranger));

        Assert.Equal((3L, 3L), receipts[users[0]]); // the sender has read what they sent
        Assert.Equal((3L, 0L), receipts[users[1]]);
        Assert.Equal((2L, 2L), receipts[users[2]]);
        Assert.Equal(ErrorCodes.NotFound, refused.Code);
    }

    private async Task<(long Read, long Delivered)> StoredWatermarksAsync(Guid conversationId, Guid userId)
    {
        await using var connection = new NpgsqlConnection(fixture.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT read_seq, delivered_seq FROM conversation_members WHERE conversation_id = $1 AND user_id = $2", connection);
        command.Parameters.AddWithValue(conversationId);
        command.Parameters.AddWithValue(userId);
        await using var reader = await command.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync());
        return (reader.GetInt64(0), reader.GetInt64(1));
    }
}
