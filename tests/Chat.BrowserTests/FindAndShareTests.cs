using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using SkiaSharp;
using static Microsoft.Playwright.Assertions;

namespace Chat.BrowserTests;

/// <summary>Images and files, message search, deep links, and a long history in a virtualised list.</summary>
[Collection(BrowserCollection.Name)]
public sealed class FindAndShareTests(BrowserFixture chat)
{
    [Fact]
    public async Task AnUploadedImageShowsAsAThumbnailThatOpensFullSize()
    {
        var ann = await chat.RegisterAsync("ann");
        var bob = await chat.RegisterAsync("bob");
        var conversation = await chat.DirectAsync(ann, bob);
        var a = await chat.SignInAsync(ann);
        var b = await chat.SignInAsync(bob);
        await a.GotoAsync($"/c/{conversation}");
        await b.GotoAsync($"/c/{conversation}");

        var chooser = a.WaitForFileChooserAsync();
        await a.GetByRole(AriaRole.Button, new() { Name = "Attach file" }).ClickAsync();
        await (await chooser).SetFilesAsync(new[]
        {
            new FilePayload { Name = "sunset.png", MimeType = "image/png", Buffer = Png(640, 360) },
            new FilePayload { Name = "notes.txt", MimeType = "text/plain", Buffer = "meeting notes"u8.ToArray() },
        });

        var image = ChatPage.Messages(b).GetByRole(AriaRole.Button, new() { Name = "Open image sunset.png" });
        await Expect(image).ToBeVisibleAsync();
        await Expect(image.Locator("img")).ToHaveJSPropertyAsync("complete", true);
        Assert.True(await image.Locator("img").EvaluateAsync<int>("img => img.naturalWidth") > 0, "the thumbnail loaded");
        // Images and downloads carry a ticket for that one file, never the bearer token.
        var source = await image.Locator("img").GetAttributeAsync("src");
        Assert.Contains("ticket=", source);
        Assert.DoesNotContain("access_token", source);
        var file = ChatPage.Messages(b).GetByRole(AriaRole.Link, new() { Name = "notes.txt" });
        await Expect(file).ToHaveAttributeAsync("download", "notes.txt");
        var download = b.WaitForDownloadAsync();
        await file.ClickAsync();
        Assert.Equal("meeting notes", await File.ReadAllTextAsync(await (await download).PathAsync()));

        // A large file goes up in resumable chunks, with a progress bar meanwhile (the chunks are slowed to see it).
        var chunks = 0;
        await a.RouteAsync("**/uploads/*/chunks/*", async route =>
        {
            Interlocked.Increment(ref chunks);
            await Task.Delay(300); // the slowness is the point: a fast loopback upload ends before its bar can be seen
            await route.ContinueAsync();
        });
        chooser = a.WaitForFileChooserAsync();
        await a.GetByRole(AriaRole.Button, new() { Name = "Attach file" }).ClickAsync();
        await (await chooser).SetFilesAsync(new FilePayload { Name = "export.csv", MimeType = "text/csv", Buffer = Csv(9 * 1024 * 1024) });
        await Expect(a.GetByRole(AriaRole.Progressbar, new() { Name = "Uploading export.csv" })).ToBeVisibleAsync();
        await Expect(ChatPage.Messages(b).GetByRole(AriaRole.Link, new() { Name = "export.csv" })).ToBeVisibleAsync();
        Assert.True(chunks >= 3, $"{chunks} chunk requests for 9 MiB");

        await image.ClickAsync();
        var viewer = b.GetByRole(AriaRole.Dialog, new() { Name = "sunset.png" });
        await Expect(viewer.GetByRole(AriaRole.Img, new() { Name = "sunset.png" })).ToHaveJSPropertyAsync("naturalWidth", 640);
        await BrowserFixture.ScreenshotAsync(b, "image-viewer");
        await a.Context.CloseAsync();
        await b.Context.CloseAsync();
    }

    [Fact]
    public async Task SearchFindsAMessageAndItsDeepLinkOpensItHighlighted()
    {
        var ann = await chat.RegisterAsync("ann");
        var bob = await chat.RegisterAsync("bob");
        var conversation = await chat.DirectAsync(ann, bob);
        var word = "zebra" + Guid.NewGuid().ToString("N")[..6];
        await SeedAsync(ann, conversation, 150, i => i == 20 ? $"the {word} escaped" : $"filler {i}");
        var b = await chat.SignInAsync(bob);

        await b.GetByRole(AriaRole.Searchbox, new() { Name = "Search messages" }).FillAsync(word);
        var hit = b.GetByRole(AriaRole.Link).Filter(new() { HasText = word });
        await Expect(hit).ToHaveAttributeAsync("href", $"/c/{conversation}/m/20");
        await hit.ClickAsync();
        await Expect(b).ToHaveURLAsync($"{chat.BaseAddress}c/{conversation}/m/20");
        var target = ChatPage.Messages(b).GetByRole(AriaRole.Article).Filter(new() { HasText = word });
        await Expect(target).ToHaveAttributeAsync("aria-current", "true");
        await Expect(target).ToBeInViewportAsync();

        // The same link opened in a new tab.
        var other = await chat.SignInAsync(bob);
        await other.GotoAsync($"/c/{conversation}/m/20");
        await Expect(ChatPage.Messages(other).GetByRole(AriaRole.Article).Filter(new() { HasText = word })).ToBeInViewportAsync();
        await b.Context.CloseAsync();
        await other.Context.CloseAsync();
    }

    [Fact]
    public async Task ALongHistoryScrollsUpToTheFirstMessageWithOnlyAFewRowsInThePage()
    {
        var ann = await chat.RegisterAsync("ann");
        var bob = await chat.RegisterAsync("bob");
        var conversation = await chat.DirectAsync(ann, bob);
        const int count = 1500;
        await SeedAsync(bob, conversation, count, i => $"history {i}");
        var a = await chat.SignInAsync(ann);
        await a.GotoAsync($"/c/{conversation}");
        var log = ChatPage.Messages(a);
        await Expect(log.GetByRole(AriaRole.Article).Filter(new() { HasText = $"history {count}" })).ToBeVisibleAsync();

        // Scroll to the top again and again: older pages load in front until the first message shows.
        var first = log.GetByText("history 1", new() { Exact = true });
        var most = 0;
        await Poll.UntilAsync(async () =>
        {
            await a.EvaluateAsync("() => document.querySelector('[data-virtuoso-scroller]').scrollTop = 0");
            most = Math.Max(most, await log.GetByRole(AriaRole.Article).CountAsync());
            return await first.CountAsync();
        }, found => found == 1, TimeSpan.FromSeconds(90), "the first message after scrolling up");
        Assert.True(most < 100, $"{most} message rows were in the page at once; the list is not virtualised");
        await a.Context.CloseAsync();
    }

    /// <summary>Messages sent through the API, a few at a time (the deployment lifts the send limit).</summary>
    private async Task SeedAsync(Account sender, Guid conversation, int count, Func<int, string> content)
    {
        using var api = sender.Api(chat.BaseAddress);
        for (var i = 1; i <= count; i++)
        {
            var response = await api.PostAsJsonAsync($"conversations/{conversation}/messages", new { clientMessageId = $"seed-{i}", content = content(i) });
            response.EnsureSuccessStatusCode();
        }
    }

    private static byte[] Csv(int size)
    {
        var text = new StringBuilder("id,name,amount\n");
        for (var i = 1; text.Length < size; i++)
        {
            text.Append(i).Append(",item ").Append(i).Append(',').Append(i * 7 % 1000).Append('\n');
        }

        return Encoding.ASCII.GetBytes(text.ToString());
    }

    private static byte[] Png(int width, int height)
    {
        using var bitmap = new SKBitmap(width, height);
        using (var canvas = new SKCanvas(bitmap))
        {
            canvas.Clear(SKColors.OrangeRed);
            canvas.DrawCircle(width / 2f, height / 2f, height / 3f, new SKPaint { Color = SKColors.Gold });
        }

        using var data = bitmap.Encode(SKEncodedImageFormat.Png, 90);
        return data.ToArray();
    }

    [Fact]
    public async Task WhoMayAddMeToGroupsIsSetInPrivacy()
    {
        var ann = await chat.RegisterAsync("ann");
        var stranger = await chat.RegisterAsync("stranger");
        var a = await chat.SignInAsync(ann);
        await a.GetByRole(AriaRole.Button, new() { Name = "Privacy" }).ClickAsync();
        var contactsOnly = a.GetByRole(AriaRole.Checkbox, new() { Name = "Only my contacts can add me to groups" });
        await Expect(contactsOnly).Not.ToBeCheckedAsync();
        await Expect(contactsOnly).ToBeEnabledAsync();
        await contactsOnly.CheckAsync();

        // The server holds it: a stranger can no longer put ann in a group.
        await Poll.UntilAsync(async () => (await ann.Api(chat.BaseAddress).GetFromJsonAsync<JsonObject>("users/me/privacy"))!["allowGroupAddsFrom"]!.GetValue<string>(),
            policy => policy == "contacts", TimeSpan.FromSeconds(10), "the setting to be saved");
        var refused = await stranger.Api(chat.BaseAddress).PostAsJsonAsync("conversations/group", new { name = "cold", memberIds = new[] { ann.Id } });
        Assert.Equal(System.Net.HttpStatusCode.Forbidden, refused.StatusCode);
        await a.ReloadAsync();
        await a.GetByRole(AriaRole.Button, new() { Name = "Privacy" }).ClickAsync();
        await Expect(a.GetByRole(AriaRole.Checkbox, new() { Name = "Only my contacts can add me to groups" })).ToBeCheckedAsync();
    }
}
