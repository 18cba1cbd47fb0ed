namespace Chat.BrowserTests;

/// <summary>What the tests do in the web client, by the accessible names of ../shared/API.md.</summary>
public static class ChatPage
{
    public static ILocator Messages(IPage page) => page.GetByRole(AriaRole.Log, new() { Name = "Messages" });

    public static async Task SendAsync(IPage page, string text)
    {
        await page.GetByRole(AriaRole.Textbox, new() { Name = "Message" }).FillAsync(text);
        await page.GetByRole(AriaRole.Button, new() { Name = "Send" }).ClickAsync();
    }

    public static async Task ActionAsync(ILocator message, string item)
    {
        await message.GetByRole(AriaRole.Button, new() { Name = "Message actions" }).ClickAsync();
        await message.Page.GetByRole(AriaRole.Menuitem, new() { Name = item, Exact = true }).ClickAsync();
    }
}
