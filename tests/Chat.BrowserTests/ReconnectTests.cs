using System.Net.Http.Json;
using System.Text.Json.Nodes;
using static Microsoft.Playwright.Assertions;

namespace Chat.BrowserTests;

/// <summary>The frontend a tab is connected to dies and comes back: the tab catches up, nothing missed or doubled.</summary>
[Collection(BrowserCollection.Name)]
public sealed class ReconnectTests(BrowserFixture chat)
{
    [Fact]
    public async Task AfterTheFrontendIsKilledAndRestartedTheTabHasEveryChangeOnce()
    {
        var ann = await chat.RegisterAsync("ann");
        var bob = await chat.RegisterAsync("bob");
        var conversation = await chat.DirectAsync(ann, bob);
        var a = await chat.SignInAsync(ann);
        await a.GotoAsync($"/c/{conversation}");
        await ChatPage.SendAsync(a, "before 1");
        await ChatPage.SendAsync(a, "before 2");
        var articles = ChatPage.Messages(a).GetByRole(AriaRole.Article);
        await Expect(articles.Filter(new() { HasText = "before 2" })).ToHaveCountAsync(1);
        await Expect(articles.Filter(new() { HasText = "before 2" }).GetByRole(AriaRole.Img, new() { Name = "Sent" })).ToBeVisibleAsync();

        chat.KillFrontend();
        await Expect(a.GetByRole(AriaRole.Status)).ToContainTextAsync("Reconnecting");

        // Meanwhile, through the other frontend: new messages, an edit and a delete of earlier ones.
        using var bobApi = bob.Api(chat.FrontendAddresses[1]);
        using var annApi = ann.Api(chat.FrontendAddresses[1]);
        for (var i = 1; i <= 5; i++)
        {
            (await bobApi.PostAsJsonAsync($"conversations/{conversation}/messages", new { clientMessageId = $"during-{i}", content = $"during {i}" })).EnsureSuccessStatusCode();
        }

        (await annApi.PatchAsJsonAsync($"conversations/{conversation}/messages/1", new { content = "before 1, edited" })).EnsureSuccessStatusCode();
        (await annApi.DeleteAsync($"conversations/{conversation}/messages/2?scope=everyone")).EnsureSuccessStatusCode();
        (await bobApi.PostAsync($"conversations/{conversation}/read", JsonContent.Create(new { seq = 7 }))).EnsureSuccessStatusCode();

        await chat.StartFrontendAsync();
        string[] expected = ["before 1, edited", "This message was deleted.", "during 1", "during 2", "during 3", "during 4", "during 5"];
        await Expect(a.GetByRole(AriaRole.Status)).Not.ToContainTextAsync("Reconnecting", new() { Timeout = 30_000 });
        await Expect(articles.Locator(".text, .tombstone")).ToHaveTextAsync(expected);
        await Expect(articles.Filter(new() { HasText = "before 1, edited" })).ToContainTextAsync("(edited)");
        await Expect(articles.Filter(new() { HasText = "before 1, edited" }).GetByRole(AriaRole.Img, new() { Name = "Read" })).ToBeVisibleAsync();

        // And live again: a message after the restart arrives once.
        (await bob.Api(chat.BaseAddress).PostAsJsonAsync($"conversations/{conversation}/messages", new { clientMessageId = "after", content = "after" })).EnsureSuccessStatusCode();
        await Expect(articles.Locator(".text, .tombstone")).ToHaveTextAsync([.. expected, "after"]);
        await a.Context.CloseAsync();
    }
}
