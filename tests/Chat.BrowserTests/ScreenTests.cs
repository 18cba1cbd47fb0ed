using System.Text.Json;
using static Microsoft.Playwright.Assertions;

namespace Chat.BrowserTests;

/// <summary>Signing in and out, each main screen checked by axe-core and photographed, and the load budgets.</summary>
[Collection(BrowserCollection.Name)]
public sealed class ScreenTests(BrowserFixture chat)
{
    [Fact]
    public async Task SignUpStaysSignedInAcrossReloadsAndLogsOutAndInAgain()
    {
        var username = "dee" + Guid.NewGuid().ToString("N")[..6];
        var page = await chat.NewPageAsync();
        await page.GotoAsync("/");
        await BrowserFixture.AssertAccessibleAsync(page, "sign-in");
        await page.GetByRole(AriaRole.Button, new() { Name = "Create account" }).ClickAsync();
        await page.GetByRole(AriaRole.Textbox, new() { Name = "Username" }).FillAsync(username);
        await page.GetByRole(AriaRole.Textbox, new() { Name = "Display name" }).FillAsync("Dee Dee");
        await page.GetByLabel("Password").FillAsync("weak");
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign up" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Log out" })).ToHaveCountAsync(0); // the browser refused the short password
        await page.GetByLabel("Password").FillAsync(Account.Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign up" }).ClickAsync();
        await Expect(page.GetByText("Dee Dee")).ToBeVisibleAsync();

        await page.ReloadAsync();
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Log out" })).ToBeVisibleAsync();
        // Settled (the hub asks for a token as it connects): a reload cutting a refresh short would spend the
        // refresh token without keeping its successor, and rotation then rightly ends the session.
        await Expect(page.Locator("[role=status][data-connection=connected]")).ToHaveCountAsync(1);

        // The access token expires: the tab refreshes it (rotating the refresh token) and carries on.
        await page.EvaluateAsync("() => { const s = JSON.parse(localStorage.getItem('chat.session')); s.expiresAt = 0; localStorage.setItem('chat.session', JSON.stringify(s)); }");
        var before = await page.EvaluateAsync<string>("() => JSON.parse(localStorage.getItem('chat.session')).refreshToken");
        await page.ReloadAsync();
        await Expect(page.GetByRole(AriaRole.Navigation, new() { Name = "Conversations" })).ToContainTextAsync("No conversations yet.");
        Assert.NotEqual(before, await page.EvaluateAsync<string>("() => JSON.parse(localStorage.getItem('chat.session')).refreshToken"));

        // A second tab shares the session; logging out in one logs out both.
        var second = await page.Context.NewPageAsync();
        await second.GotoAsync("/");
        await Expect(second.GetByRole(AriaRole.Button, new() { Name = "Log out" })).ToBeVisibleAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Log out" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Log in" })).ToBeVisibleAsync();
        await Expect(second.GetByRole(AriaRole.Button, new() { Name = "Log in" })).ToBeVisibleAsync();

        await page.GetByRole(AriaRole.Textbox, new() { Name = "Username" }).FillAsync(username);
        await page.GetByLabel("Password").FillAsync(Account.Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Log in" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Log out" })).ToBeVisibleAsync();
        await page.Context.CloseAsync();
    }

    [Theory]
    [InlineData("desktop", 1280, 800, ColorScheme.Light)]
    [InlineData("desktop", 1280, 800, ColorScheme.Dark)]
    [InlineData("phone", 390, 844, ColorScheme.Light)]
    [InlineData("phone", 390, 844, ColorScheme.Dark)]
    public async Task MainScreensHaveNoSeriousAccessibilityViolations(string device, int width, int height, ColorScheme scheme)
    {
        var suffix = $"{device}-{scheme.ToString().ToLowerInvariant()}";
        var ann = await chat.RegisterAsync("ann");
        var bob = await chat.RegisterAsync("bob");
        var conversation = await chat.DirectAsync(ann, bob);
        using (var api = bob.Api(chat.BaseAddress))
        {
            foreach (var text in new[] { "Morning! Is the **release** still on for today?", "I pushed the fix in `build.sh`, see https://example.org/ci", "Yes, _after_ lunch." })
            {
                await System.Net.Http.Json.HttpClientJsonExtensions.PostAsJsonAsync(api, $"conversations/{conversation}/messages", new { clientMessageId = Guid.NewGuid(), content = text, format = "markdown" });
            }
        }

        var options = new BrowserNewContextOptions { ViewportSize = new() { Width = width, Height = height }, ColorScheme = scheme, IsMobile = device == "phone", HasTouch = device == "phone" };
        var page = await chat.NewPageAsync(options);
        await page.GotoAsync("/");
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Log in" })).ToBeVisibleAsync();
        await BrowserFixture.ScreenshotAsync(page, $"sign-in-{suffix}");
        await BrowserFixture.AssertAccessibleAsync(page, "sign-in");
        await page.Context.CloseAsync();

        page = await chat.SignInAsync(ann, options);
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = bob.DisplayName })).ToContainTextAsync("3 unread");
        await BrowserFixture.ScreenshotAsync(page, $"conversations-{suffix}");
        await BrowserFixture.AssertAccessibleAsync(page, "conversation list");

        await page.GetByRole(AriaRole.Link, new() { Name = bob.DisplayName }).ClickAsync();
        await Expect(ChatPage.Messages(page).GetByRole(AriaRole.Article)).ToHaveCountAsync(3);
        await ChatPage.SendAsync(page, "On my way, see you at **2pm**");
        await Expect(ChatPage.Messages(page).GetByRole(AriaRole.Article)).ToHaveCountAsync(4);
        await BrowserFixture.ScreenshotAsync(page, $"conversation-{suffix}");
        await BrowserFixture.AssertAccessibleAsync(page, "conversation");

        await page.GetByRole(AriaRole.Button, new() { Name = "Message actions" }).First.ClickAsync();
        await Expect(page.GetByRole(AriaRole.Menuitem, new() { Name = "Reply" })).ToBeFocusedAsync(); // the keyboard lands in the menu
        await page.Keyboard.PressAsync("Escape");
        if (device == "phone")
        {
            await page.GetByRole(AriaRole.Button, new() { Name = "Back to conversations" }).ClickAsync();
        }

        await page.GetByRole(AriaRole.Button, new() { Name = "New group" }).ClickAsync();
        await page.GetByRole(AriaRole.Searchbox, new() { Name = "Search people" }).FillAsync(bob.Username);
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = bob.DisplayName })).ToBeVisibleAsync();
        await BrowserFixture.ScreenshotAsync(page, $"new-group-{suffix}");
        await BrowserFixture.AssertAccessibleAsync(page, "new group");
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task FirstLoadStaysWithinItsJavaScriptAndTimeBudgets()
    {
        var ann = await chat.RegisterAsync("ann");
        var bob = await chat.RegisterAsync("bob");
        await chat.DirectAsync(ann, bob);
        var signedIn = await chat.SignInAsync(ann);
        var session = await signedIn.EvaluateAsync<string>("() => localStorage.getItem('chat.session')");
        await signedIn.Context.CloseAsync();

        // A fresh browser profile (nothing cached) that already holds the session, as after a reload.
        var page = await chat.NewPageAsync();
        await page.AddInitScriptAsync($"localStorage.setItem('chat.session', {JsonSerializer.Serialize(session)})");
        var scripts = new List<IResponse>();
        page.Response += (_, response) =>
        {
            if (response.Request.ResourceType == "script")
            {
                scripts.Add(response);
            }
        };
        // Timed inside the page, from the start of navigation to the moment the list shows the conversation by name.
        await page.AddInitScriptAsync($$"""
            new MutationObserver((_, observer) => {
              const link = document.querySelector('nav[aria-label="Conversations"] a');
              if (link && link.textContent.includes({{JsonSerializer.Serialize(bob.DisplayName)}})) {
                window.listShownAt = performance.now();
                observer.disconnect();
              }
            }).observe(document, { subtree: true, childList: true, characterData: true });
            """);
        var document = await page.GotoAsync("/");
        Assert.Equal("nosniff", await document!.HeaderValueAsync("x-content-type-options"));
        Assert.Contains("frame-ancestors 'none'", await document.HeaderValueAsync("content-security-policy"));
        Assert.Contains("script-src 'self';", await document.HeaderValueAsync("content-security-policy"));
        var link = page.GetByRole(AriaRole.Navigation, new() { Name = "Conversations" }).GetByRole(AriaRole.Link, new() { Name = bob.DisplayName });
        await link.ClickAsync(new() { Trial = true }); // actionable: visible, stable, enabled, receives the click
        var interactive = TimeSpan.FromMilliseconds(await page.EvaluateAsync<double>("() => window.listShownAt"));

        long compressed = 0;
        foreach (var response in scripts)
        {
            compressed += (await response.Request.SizesAsync()).ResponseBodySize;
            Assert.Equal("br", await response.HeaderValueAsync("content-encoding"));
        }

        Assert.NotEmpty(scripts);
        Assert.True(compressed < 300 * 1024, $"the first load transferred {compressed / 1024} KiB of compressed JavaScript (budget 300 KiB)");
        Assert.True(interactive < TimeSpan.FromSeconds(1), $"the conversation list was interactive after {interactive.TotalMilliseconds:F0} ms (budget 1 s)");
        Console.WriteLine($"first load: {compressed / 1024.0:F1} KiB compressed JavaScript, conversation list interactive after {interactive.TotalMilliseconds:F0} ms");
        await page.Context.CloseAsync();
    }
}
