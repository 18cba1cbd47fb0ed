using System.Net.Http.Json;
using System.Text.Json.Nodes;
using static Microsoft.Playwright.Assertions;

namespace Chat.BrowserTests;

/// <summary>Two people in two browser contexts, chatting through the web client against a real Chat.</summary>
[Collection(BrowserCollection.Name)]
public sealed class ConversationTests(BrowserFixture chat)
{
    [Fact]
    public async Task TwoPeopleChatTypeReadReactEditAndDelete()
    {
        var ann = await chat.RegisterAsync("ann");
        var bob = await chat.RegisterAsync("bob");
        var a = await chat.SignInAsync(ann);
        var b = await chat.SignInAsync(bob);

        // Ann finds Bob and opens their direct chat.
        await a.GetByRole(AriaRole.Button, new() { Name = "New chat" }).ClickAsync();
        await a.GetByRole(AriaRole.Searchbox, new() { Name = "Search people" }).FillAsync(bob.Username);
        await a.GetByRole(AriaRole.Button, new() { Name = bob.DisplayName }).ClickAsync();
        await Expect(a).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/c/[0-9a-f-]{36}$"));
        await ChatPage.SendAsync(a, "Hi **Bob**, see [the docs](https://example.org/docs) <img src=x onerror=alert(1)>");

        // Bob sees an unread badge and the title count, then the message rendered safely.
        var link = b.GetByRole(AriaRole.Navigation, new() { Name = "Conversations" }).GetByRole(AriaRole.Link, new() { Name = ann.DisplayName });
        await Expect(link).ToContainTextAsync("1 unread");
        await Expect(b).ToHaveTitleAsync("(1) Chat");
        await link.ClickAsync();
        var message = ChatPage.Messages(b).GetByRole(AriaRole.Article).Filter(new() { HasText = "see the docs" });
        await Expect(message).ToContainTextAsync(ann.DisplayName);
        await Expect(message.Locator("strong")).ToHaveTextAsync("Bob");
        await Expect(message.GetByRole(AriaRole.Link, new() { Name = "the docs" })).ToHaveAttributeAsync("rel", "noopener noreferrer");
        await Expect(message.Locator("img")).ToHaveCountAsync(0); // the HTML stayed text
        await Expect(message).ToContainTextAsync("<img src=x onerror=alert(1)>");
        await Expect(b).ToHaveTitleAsync("Chat");

        // Bob has read it: Ann's tick says so. Bob types: Ann sees it.
        await Expect(ChatPage.Messages(a).GetByRole(AriaRole.Article).Last.GetByLabel("Read")).ToBeVisibleAsync();
        await b.GetByRole(AriaRole.Textbox, new() { Name = "Message" }).FillAsync("thinking");
        await Expect(a.GetByText($"{bob.DisplayName} is typing…")).ToBeVisibleAsync();

        // Bob reacts with the keyboard-reachable menu; Ann sees the count.
        await ChatPage.ActionAsync(message, "React");
        await b.GetByRole(AriaRole.Menuitem, new() { Name = "React with 👍" }).ClickAsync();
        var annCopy = ChatPage.Messages(a).GetByRole(AriaRole.Article).Filter(new() { HasText = "see the docs" });
        await Expect(annCopy.GetByRole(AriaRole.Button, new() { Name = "👍 1" })).ToBeVisibleAsync();

        // Ann edits, then deletes; Bob sees both.
        await ChatPage.ActionAsync(annCopy, "Edit");
        var edit = a.GetByRole(AriaRole.Textbox, new() { Name = "Edit message" });
        await edit.FillAsync("Hi Bob, the docs moved");
        await edit.PressAsync("Enter");
        var edited = ChatPage.Messages(b).GetByRole(AriaRole.Article).Filter(new() { HasText = "the docs moved" });
        await Expect(edited).ToContainTextAsync("(edited)");
        await ChatPage.ActionAsync(ChatPage.Messages(a).GetByRole(AriaRole.Article).Filter(new() { HasText = "the docs moved" }), "Delete");
        await Expect(ChatPage.Messages(b).GetByRole(AriaRole.Article).Filter(new() { HasText = "This message was deleted." })).ToHaveCountAsync(1);
        await Expect(ChatPage.Messages(b).GetByRole(AriaRole.Article).Filter(new() { HasText = "the docs moved" })).ToHaveCountAsync(0);

        // Bob replies to a new message; the reply quotes it.
        await ChatPage.SendAsync(a, "lunch at noon?");
        var lunch = ChatPage.Messages(b).GetByRole(AriaRole.Article).Filter(new() { HasText = "lunch at noon?" });
        await ChatPage.ActionAsync(lunch, "Reply");
        await ChatPage.SendAsync(b, "yes!");
        var reply = ChatPage.Messages(a).GetByRole(AriaRole.Article).Filter(new() { HasText = "yes!" });
        await Expect(reply.Locator(".quote")).ToContainTextAsync("lunch at noon?");
        await BrowserFixture.ScreenshotAsync(a, "conversation-desktop-light");
        await a.Context.CloseAsync();
        await b.Context.CloseAsync();
    }

    [Fact]
    public async Task AFailedSendShowsRetryAndRetryingSendsItOnce()
    {
        var ann = await chat.RegisterAsync("ann");
        var bob = await chat.RegisterAsync("bob");
        var conversation = await chat.DirectAsync(ann, bob);
        var a = await chat.SignInAsync(ann);
        await a.GotoAsync($"/c/{conversation}");

        // The network drops the send: the message stays, pending, with a retry.
        await a.RouteAsync("**/messages", route => route.Request.Method == "POST" ? route.AbortAsync() : route.ContinueAsync());
        await ChatPage.SendAsync(a, "first try fails");
        var retry = a.GetByRole(AriaRole.Button, new() { Name = "Retry" });
        await Expect(retry).ToBeVisibleAsync();
        await a.UnrouteAllAsync();
        await retry.ClickAsync();

        await Expect(ChatPage.Messages(a).GetByRole(AriaRole.Article).Filter(new() { HasText = "first try fails" })).ToHaveCountAsync(1);
        await Expect(retry).ToHaveCountAsync(0);
        var stored = await ann.Api(chat.BaseAddress).GetFromJsonAsync<JsonObject>($"conversations/{conversation}/messages");
        Assert.Single(stored!["messages"]!.AsArray());
        await a.Context.CloseAsync();
    }

    [Fact]
    public async Task GroupsAreCreatedRenamedMutedChangedAndLeft()
    {
        var ann = await chat.RegisterAsync("ann");
        var bob = await chat.RegisterAsync("bob");
        var cat = await chat.RegisterAsync("cat");
        var a = await chat.SignInAsync(ann);
        var b = await chat.SignInAsync(bob);

        await a.GetByRole(AriaRole.Button, new() { Name = "New group" }).ClickAsync();
        await a.GetByRole(AriaRole.Textbox, new() { Name = "Group name" }).FillAsync("Launch crew");
        foreach (var member in new[] { bob, cat })
        {
            await a.GetByRole(AriaRole.Searchbox, new() { Name = "Search people" }).FillAsync(member.Username);
            await a.GetByRole(AriaRole.Button, new() { Name = member.DisplayName }).ClickAsync();
        }

        await a.GetByRole(AriaRole.Button, new() { Name = "Create group" }).ClickAsync();
        await ChatPage.SendAsync(a, "welcome @" + bob.Username);
        var bobsLink = b.GetByRole(AriaRole.Navigation, new() { Name = "Conversations" }).GetByRole(AriaRole.Link, new() { Name = "Launch crew" });
        await Expect(bobsLink).ToContainTextAsync("1 unread");
        await Expect(bobsLink.GetByLabel("mentioned you")).ToBeVisibleAsync();

        // Rename and remove Cat in the details; Bob's list follows.
        await a.GetByRole(AriaRole.Button, new() { Name = "Details" }).ClickAsync();
        var details = a.GetByRole(AriaRole.Dialog, new() { Name = "Group details" });
        await details.GetByRole(AriaRole.Textbox, new() { Name = "Group name" }).FillAsync("Launch team");
        await details.GetByRole(AriaRole.Button, new() { Name = "Rename" }).ClickAsync();
        await details.GetByRole(AriaRole.Button, new() { Name = $"Remove {cat.DisplayName}" }).ClickAsync();
        await Expect(details.GetByRole(AriaRole.Button, new() { Name = $"Remove {cat.DisplayName}" })).ToHaveCountAsync(0);
        await details.GetByRole(AriaRole.Button, new() { Name = "Close" }).ClickAsync();
        await Expect(b.GetByRole(AriaRole.Navigation, new() { Name = "Conversations" }).GetByRole(AriaRole.Link, new() { Name = "Launch team" })).ToBeVisibleAsync();

        // Bob mutes it, then leaves it: it leaves his list.
        await b.GetByRole(AriaRole.Link, new() { Name = "Launch team" }).ClickAsync();
        await b.GetByRole(AriaRole.Button, new() { Name = "Mute" }).ClickAsync();
        await Expect(b.GetByRole(AriaRole.Button, new() { Name = "Unmute" })).ToHaveAttributeAsync("aria-pressed", "true");
        await b.GetByRole(AriaRole.Button, new() { Name = "Details" }).ClickAsync();
        await b.GetByRole(AriaRole.Button, new() { Name = "Leave group" }).ClickAsync();
        await Expect(b.GetByRole(AriaRole.Link, new() { Name = "Launch team" })).ToHaveCountAsync(0);
        await Expect(a.GetByText("1 member", new() { Exact = true })).ToBeVisibleAsync();
        await a.Context.CloseAsync();
        await b.Context.CloseAsync();
    }

    [Fact]
    public async Task PresenceShowsAndAMessageIsForwardedToAGroup()
    {
        var ann = await chat.RegisterAsync("ann");
        var bob = await chat.RegisterAsync("bob");
        var direct = await chat.DirectAsync(ann, bob);
        using (var api = ann.Api(chat.BaseAddress))
        {
            (await api.PostAsJsonAsync("conversations/group", new { name = "Team room", memberIds = new[] { bob.Id } })).EnsureSuccessStatusCode();
        }

        var a = await chat.SignInAsync(ann);
        await a.GotoAsync($"/c/{direct}");
        var header = a.Locator(".conversation-header");
        var b = await chat.SignInAsync(bob);
        await Expect(header).ToContainTextAsync("online");
        await b.Context.CloseAsync();
        await Expect(header).ToContainTextAsync("last seen", new() { Timeout = 30_000 });

        await ChatPage.SendAsync(a, "the plan is in the wiki");
        await ChatPage.ActionAsync(ChatPage.Messages(a).GetByRole(AriaRole.Article).Filter(new() { HasText = "the plan is in the wiki" }), "Forward");
        var dialog = a.GetByRole(AriaRole.Dialog, new() { Name = "Forward to" });
        await dialog.GetByRole(AriaRole.Checkbox, new() { Name = "Team room" }).CheckAsync();
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Forward" }).ClickAsync();
        await a.GetByRole(AriaRole.Link, new() { Name = "Team room" }).ClickAsync();
        var forwarded = ChatPage.Messages(a).GetByRole(AriaRole.Article).Filter(new() { HasText = "the plan is in the wiki" });
        await Expect(forwarded).ToContainTextAsync("Forwarded");
        await a.Context.CloseAsync();
    }

    [Fact]
    public async Task AHiddenTabNotifiesOfNewMessagesUnlessTheConversationIsMuted()
    {
        var ann = await chat.RegisterAsync("ann");
        var bob = await chat.RegisterAsync("bob");
        var conversation = await chat.DirectAsync(ann, bob);
        var a = await chat.SignInAsync(ann, new BrowserNewContextOptions { Permissions = ["notifications"] });
        // Record what the page shows through the real Notification API, and let the test hide the tab.
        await a.AddInitScriptAsync("""
            window.shown = [];
            const Real = window.Notification;
            window.Notification = class extends Real {
              constructor(title, options) { super(title, options); window.shown.push(title + ': ' + options.body); }
            };
            Object.defineProperty(document, 'hidden', { get: () => window.tabHidden === true });
            """);
        await a.ReloadAsync();
        await Expect(a.GetByRole(AriaRole.Button, new() { Name = "Enable notifications" })).ToHaveCountAsync(0); // already granted
        await Expect(a.Locator("[role=status][data-connection=connected]")).ToHaveCountAsync(1);
        // The list is loaded: a message arriving before that is part of the list, not news to notify.
        await Expect(a.GetByRole(AriaRole.Link, new() { Name = bob.DisplayName })).ToBeVisibleAsync();
        await a.EvaluateAsync("() => window.tabHidden = true");
        using var bobApi = bob.Api(chat.BaseAddress);
        (await bobApi.PostAsJsonAsync($"conversations/{conversation}/messages", new { clientMessageId = "n1", content = "are you there?" })).EnsureSuccessStatusCode();
        await Expect(a).ToHaveTitleAsync("(1) Chat");
        Assert.Equal([$"{bob.DisplayName}: are you there?"], await a.EvaluateAsync<string[]>("() => window.shown"));

        await a.EvaluateAsync("() => window.tabHidden = false");
        await a.GotoAsync($"/c/{conversation}");
        await a.GetByRole(AriaRole.Button, new() { Name = "Mute" }).ClickAsync();
        await Expect(a.GetByRole(AriaRole.Button, new() { Name = "Unmute" })).ToBeVisibleAsync();
        await a.GetByRole(AriaRole.Link, new() { Name = bob.DisplayName }).WaitForAsync();
        await a.EvaluateAsync("() => { window.tabHidden = true; window.shown = []; }");
        (await bobApi.PostAsJsonAsync($"conversations/{conversation}/messages", new { clientMessageId = "n2", content = "muted now" })).EnsureSuccessStatusCode();
        await Expect(ChatPage.Messages(a).GetByRole(AriaRole.Article).Filter(new() { HasText = "muted now" })).ToHaveCountAsync(1);
        Assert.Empty(await a.EvaluateAsync<string[]>("() => window.shown"));
        await a.Context.CloseAsync();
    }
}
