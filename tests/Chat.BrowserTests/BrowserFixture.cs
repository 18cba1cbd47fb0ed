using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Deque.AxeCore.Playwright;

namespace Chat.BrowserTests;

/// <summary>
/// Chat started for real (PostgreSQL, Azurite, a silo and two frontends) and Debian's Chromium, driven by
/// Playwright with the system browser's path: never a downloaded browser. One of each for all browser tests.
/// </summary>
public sealed class BrowserFixture : ChatDeployment
{
    private const string Chromium = "/usr/bin/chromium";
    private IPlaywright _playwright = null!;

    public IBrowser Browser { get; private set; } = null!;

    /// <summary>Where screenshots go for a reviewer: TestResults/screenshots under the repository root.</summary>
    public static string Screenshots { get; } = Path.Combine(RepoPaths.Root, "TestResults", "screenshots");

    /// <summary>A second frontend on the same cluster, for changes made while the first one is down.</summary>
    protected override int ExtraFrontends => 1;

    protected override IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string>
    {
        ["Chat__RateLimits__SendsPerSecond"] = "10000",
        ["Chat__RateLimits__SendBurst"] = "10000",
        ["Chat__RateLimits__RequestsPerSecond"] = "100000",
        ["Chat__RateLimits__RequestBurst"] = "100000",
    };

    public override async Task InitializeAsync()
    {
        Assert.True(File.Exists(Chromium), "Debian's chromium is missing: scripts/webclient.sh browser installs it.");
        Assert.True(File.Exists(Path.Combine(RepoPaths.Root, "src", "WebFrontend", "bin", RepoPaths.Configuration, "net10.0", "webclient", "index.html")),
            "The web client is not built: scripts/webclient.sh build, then build the solution.");
        Directory.CreateDirectory(Screenshots);
        Assertions.SetDefaultExpectTimeout(15_000);
        await base.InitializeAsync();
        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Chromium,
            Headless = true,
            // As root on a closed network: no sandbox, and no background calls to Google's hosts.
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
        });
    }

    public override async Task DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.CloseAsync();
        }

        _playwright?.Dispose();
        await base.DisposeAsync();
    }

    /// <summary>A new account made through the API (fast), for tests about what comes after signing up.</summary>
    public async Task<Account> RegisterAsync(string prefix, Uri? frontend = null)
    {
        using var http = new HttpClient { BaseAddress = frontend ?? BaseAddress };
        var username = prefix + Guid.NewGuid().ToString("N")[..6];
        var displayName = char.ToUpperInvariant(prefix[0]) + prefix[1..] + " " + username[^6..];
        var response = await http.PostAsJsonAsync("/api/v1/auth/register", new { username, password = Account.Password, displayName });
        response.EnsureSuccessStatusCode();
        var body = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
        return new Account(body["user"]!["id"]!.GetValue<Guid>(), username, displayName, body["accessToken"]!.GetValue<string>());
    }

/// <summary>The direct conversation of two accounts, made through the API.</summary>
    public async Task<Guid> DirectAsync(Account one, Account other)
    {
        var response = await one.Api(BaseAddress).PostAsJsonAsync("conversations/direct", new { userId = other.Id });
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<Guid>();
    }

    /// <summary>A browser tab (its own context: storage, cookies) signed in through the sign-in form.</summary>
    public async Task<IPage> SignInAsync(Account account, BrowserNewContextOptions? options = null)
    {
        var page = await NewPageAsync(options);
        await page.GotoAsync("/");
        await page.GetByRole(AriaRole.Textbox, new() { Name = "Username" }).FillAsync(account.Username);
        await page.GetByLabel("Password").FillAsync(Account.Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Log in" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "Log out" })).ToBeVisibleAsync();
        return page;
    }

    public async Task<IPage> NewPageAsync(BrowserNewContextOptions? options = null)
    {
        options ??= new BrowserNewContextOptions();
        options.BaseURL = BaseAddress.ToString();
        var context = await Browser.NewContextAsync(options);
        return await context.NewPageAsync();
    }

    public static async Task ScreenshotAsync(IPage page, string name) =>
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Screenshots, name + ".png") });

    /// <summary>axe-core on the page as it is: no serious or critical violation.</summary>
    public static async Task AssertAccessibleAsync(IPage page, string screen)
    {
        var result = await page.RunAxe();
        var serious = result.Violations.Where(v => v.Impact is "serious" or "critical").ToList();
        Assert.True(serious.Count == 0, $"{screen}: " + string.Join("\n", serious.Select(v =>
            $"{v.Id} ({v.Impact}): {v.Help} at {string.Join(", ", v.Nodes.Select(n => n.Html))}")));
    }
}

/// <summary>A registered user; <see cref="Api"/> calls the REST API as them.</summary>
public sealed record Account(Guid Id, string Username, string DisplayName, string AccessToken)
{
    public const string Password = "Sup3r-secret!";

    public HttpClient Api(Uri frontend)
    {
        var http = new HttpClient { BaseAddress = new Uri(frontend, "/api/v1/") };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", AccessToken);
        return http;
    }
}

[CollectionDefinition(Name)]
public sealed class BrowserCollection : ICollectionFixture<BrowserFixture>
{
    public const string Name = "browser";
}
