using Chat.Grains.Conversations;
using Chat.Grains.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Metadata;

namespace Chat.ClusterTests;

[Collection(ClusterCollection.Name)]
public sealed class GrainReferencesTests(ClusterFixture fixture)
{
    private GrainReferences References => new(
        fixture.Client,
        fixture.Client.ServiceProvider.GetRequiredService<GrainInterfaceTypeResolver>(),
        fixture.Client.ServiceProvider.GetRequiredService<GrainInterfaceTypeToGrainTypeResolver>());

    [Fact]
    public void AReferenceNamesTheSameGrainAndInterfaceAsOrleansOwn()
    {
        var id = Guid.NewGuid();
        var references = References;

        var ours = (GrainReference)(object)references.Get<IConversationGrain>(id);
        var again = (GrainReference)(object)references.Get<IConversationGrain>(id);
        var orleans = (GrainReference)(object)fixture.Client.GetGrain<IConversationGrain>(id);

        Assert.Equal(orleans.GrainId, ours.GrainId);
        Assert.Equal(orleans.InterfaceType, ours.InterfaceType);
        Assert.Equal(ours.GrainId, again.GrainId);
        Assert.Equal(id, ours.GetPrimaryKey());
    }

    [Fact]
    public async Task CallsThroughItReachTheGrain()
    {
        var (conversation, users) = await fixture.NewGroupAsync(2);

        var sent = await References.Get<IConversationGrain>(conversation.GetPrimaryKey())
            .SendAsync(users[0], new SendMessageRequest("via-references", "hello", "text", "plain", null, []));

        Assert.True(sent.Created);
        Assert.Equal(conversation.GetPrimaryKey(), sent.Message.ConversationId);
    }
}
