using System.Text.Json;

namespace Chat.EndToEndTests;

/// <summary>The OpenAPI document served at /openapi/v1.json names every route of API.md.</summary>
public sealed class OpenApiTests(ChatDeployment chat) : IClassFixture<ChatDeployment>
{
    /// <summary>Every REST route of ../shared/API.md (base path /api/v1), as method and path template.</summary>
    private static readonly string[] ContractRoutes =
    [
        "POST /auth/register", "POST /auth/login", "POST /auth/refresh", "POST /auth/logout",
        "GET /users/me", "PATCH /users/me", "GET /users/{id}", "GET /users/search",
        "GET /contacts", "GET /contacts/pending", "POST /contacts", "POST /contacts/{userId}/accept", "DELETE /contacts/{userId}",
        "GET /blocks", "PUT /blocks/{userId}", "DELETE /blocks/{userId}", "POST /reports",
        "POST /conversations/direct", "POST /conversations/group", "GET /conversations", "GET /conversations/{id}",
        "PATCH /conversations/{id}", "POST /conversations/{id}/members", "DELETE /conversations/{id}/members/{userId}",
        "PATCH /conversations/{id}/members/{userId}", "POST /conversations/{id}/read", "POST /conversations/{id}/delivered",
        "POST /conversations/{id}/messages", "GET /conversations/{id}/messages", "GET /conversations/{id}/messages/{seq}",
        "PATCH /conversations/{id}/messages/{seq}", "DELETE /conversations/{id}/messages/{seq}",
        "PUT /conversations/{id}/messages/{seq}/reactions/{emoji}", "DELETE /conversations/{id}/messages/{seq}/reactions/{emoji}",
        "POST /conversations/{id}/messages/{seq}/forward", "GET /search/messages", "GET /sync", "GET /conversations/{id}/changes",
        "POST /attachments", "POST /uploads", "PUT /uploads/{uploadId}/chunks/{index}", "POST /uploads/{uploadId}/complete",
        "GET /attachments/{id}", "GET /attachments/{id}/thumbnail", "GET /conversations/{id}/receipts",
        "POST /tickets", "GET /users/me/privacy", "PUT /users/me/privacy",
    ];

    [Fact]
    public async Task TheDocumentNamesEveryContractRoute()
    {
        using var http = new HttpClient { BaseAddress = chat.BaseAddress };
        var document = JsonDocument.Parse(await http.GetStringAsync("/openapi/v1.json")).RootElement;
        var served = document.GetProperty("paths").EnumerateObject()
            .SelectMany(path => path.Value.EnumerateObject().Select(method => $"{method.Name.ToUpperInvariant()} {path.Name}"))
            .ToHashSet();

        var missing = ContractRoutes.Where(route => !served.Contains(route.Replace(" /", " /api/v1/", StringComparison.Ordinal))).ToList();
        Assert.True(missing.Count == 0, "Not in the OpenAPI document: " + string.Join(", ", missing));
    }
}
