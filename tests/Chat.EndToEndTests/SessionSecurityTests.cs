using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.SignalR.Client;
using Npgsql;

namespace Chat.EndToEndTests;

/// <summary>
/// What an access token or a session can still do after it should not: tokens of another algorithm or an unknown
/// key, sessions past their maximum age, hub connections past their token's expiry or their session's logout, and
/// password hashes below today's work factor.
/// </summary>
public sealed class SessionSecurityTests(ShortSessionDeployment chat) : IClassFixture<ShortSessionDeployment>
{
    [Fact]
    public async Task OnlyHs256TokensOfAKnownKeyAreAccepted()
    {
        await using var alice = await ChatUser.RegisterAsync(chat.BaseAddress, "alice");
        Assert.Equal("new", Header(alice.AccessToken)["kid"]!.GetValue<string>());
        Assert.Equal("HS256", Header(alice.AccessToken)["alg"]!.GetValue<string>());
        var claims = Payload(alice.AccessToken);

        Assert.Equal(HttpStatusCode.OK, await MeAsync(Forge(claims, "HS256", "new", chat.SigningKey)));
        Assert.Equal(HttpStatusCode.OK, await MeAsync(Forge(claims, "HS256", "old", ShortSessionDeployment.PreviousKey))); // mid-roll
        Assert.Equal(HttpStatusCode.Unauthorized, await MeAsync(Forge(claims, "HS512", "new", chat.SigningKey)));
        Assert.Equal(HttpStatusCode.Unauthorized, await MeAsync(Forge(claims, "HS384", "new", chat.SigningKey)));
        Assert.Equal(HttpStatusCode.Unauthorized, await MeAsync(Forge(claims, "HS256", "new", "a-key-nobody-configured-0123456789abcdef")));
        Assert.Equal(HttpStatusCode.Unauthorized, await MeAsync(Forge(claims, "none", "new", null)));
    }

    [Fact]
    public async Task ASessionEndsAtItsMaximumAgeHoweverOftenItIsRefreshed()
    {
        using var http = new HttpClient { BaseAddress = chat.BaseAddress };
        var username = "aging" + Guid.NewGuid().ToString("N")[..8];
        var session = await RestContractTests.ReadAsync(await http.PostAsJsonAsync("/api/v1/auth/register", new { username, password = "Sup3r-secret!" }));
        var started = DateTime.UtcNow;
        HttpResponseMessage refreshed;
        do
        {
            await Task.Delay(TimeSpan.FromSeconds(1.5));
            refreshed = await http.PostAsJsonAsync("/api/v1/auth/refresh", new { refreshToken = session["refreshToken"]!.GetValue<string>() });
            if (refreshed.IsSuccessStatusCode)
            {
                session = await RestContractTests.ReadAsync(refreshed);
            }
        }
        while (refreshed.IsSuccessStatusCode && DateTime.UtcNow - started < TimeSpan.FromSeconds(20));

        Assert.Equal(HttpStatusCode.Unauthorized, refreshed.StatusCode);
        var age = DateTime.UtcNow - started;
        Assert.InRange(age, TimeSpan.FromSeconds(7), TimeSpan.FromSeconds(12));
        // A new login starts a new session.
        Assert.Equal(HttpStatusCode.OK, (await http.PostAsJsonAsync("/api/v1/auth/login", new { username, password = "Sup3r-secret!" })).StatusCode);
    }

    [Fact]
    public async Task AHubConnectionClosesWhenItsTokenExpires()
    {
        await using var alice = await ChatUser.RegisterAsync(chat.BaseAddress, "alice");
        await alice.ConnectAsync();
        var closed = Closed(alice.Hub);
        var expires = DateTimeOffset.FromUnixTimeSeconds(Payload(alice.AccessToken)["exp"]!.GetValue<long>());
        await closed.WaitAsync(TimeSpan.FromSeconds(40));
        Assert.True(DateTimeOffset.UtcNow >= expires - TimeSpan.FromSeconds(1), "closed before the token expired");
    }

    [Fact]
    public async Task LoggingOutClosesTheHubConnectionsOfThatSessionOnly()
    {
        using var http = new HttpClient { BaseAddress = chat.BaseAddress };
        var username = "twice" + Guid.NewGuid().ToString("N")[..8];
        var first = await RestContractTests.ReadAsync(await http.PostAsJsonAsync("/api/v1/auth/register", new { username, password = "Sup3r-secret!" }));
        var second = await RestContractTests.ReadAsync(await http.PostAsJsonAsync("/api/v1/auth/login", new { username, password = "Sup3r-secret!" }));
        await using var firstHub = await chat.ConnectHubAsync(first["accessToken"]!.GetValue<string>());
        await using var secondHub = await chat.ConnectHubAsync(second["accessToken"]!.GetValue<string>());
        var firstClosed = Closed(firstHub);

        Assert.Equal(HttpStatusCode.NoContent, (await http.PostAsJsonAsync("/api/v1/auth/logout", new { refreshToken = first["refreshToken"]!.GetValue<string>() })).StatusCode);
        await firstClosed.WaitAsync(TimeSpan.FromSeconds(5)); // well before the 20 s token would expire
        Assert.Equal(HubConnectionState.Connected, secondHub.State);

        // A refresh token reused after rotation revokes its family: that session's connections close too.
        var rotated = await RestContractTests.ReadAsync(await http.PostAsJsonAsync("/api/v1/auth/refresh", new { refreshToken = second["refreshToken"]!.GetValue<string>() }));
        Assert.NotNull(rotated["accessToken"]);
        var secondClosed = Closed(secondHub);
        Assert.Equal(HttpStatusCode.Unauthorized, (await http.PostAsJsonAsync("/api/v1/auth/refresh", new { refreshToken = second["refreshToken"]!.GetValue<string>() })).StatusCode);
        await secondClosed.WaitAsync(TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task APasswordHashBelowTodaysWorkFactorIsReplacedAtTheNextLogin()
    {
        await using var alice = await ChatUser.RegisterAsync(chat.BaseAddress, "alice");
        await using var db = new NpgsqlConnection(chat.Postgres.ConnectionString("chat"));
        await db.OpenAsync();
        Assert.Equal(210_000, Iterations(await StoredHashAsync(db, alice.Id)));

        // The hash ASP.NET Core Identity wrote by default before: PBKDF2-HMAC-SHA512 at 100,000 iterations.
        var legacy = IdentityV3Hash("Sup3r-secret!", 100_000);
        Assert.Equal(100_000, Iterations(legacy));
        await using (var update = new NpgsqlCommand("UPDATE users SET password_hash = $2 WHERE id = $1", db))
        {
            update.Parameters.AddWithValue(alice.Id);
            update.Parameters.AddWithValue(legacy);
            await update.ExecuteNonQueryAsync();
        }

        using var http = new HttpClient { BaseAddress = chat.BaseAddress };
        Assert.Equal(HttpStatusCode.OK, (await http.PostAsJsonAsync("/api/v1/auth/login", new { username = alice.Username, password = "Sup3r-secret!" })).StatusCode);
        Assert.Equal(210_000, Iterations(await StoredHashAsync(db, alice.Id)));
    }

    private async Task<HttpStatusCode> MeAsync(string token)
    {
        using var http = new HttpClient { BaseAddress = chat.BaseAddress };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return (await http.GetAsync("/api/v1/users/me")).StatusCode;
    }

    private static Task Closed(HubConnection hub)
    {
        var closed = new TaskCompletionSource();
        hub.Closed += _ => { closed.TrySetResult(); return Task.CompletedTask; };
        return closed.Task;
    }

    /// <summary>A JWT with these claims, signed by hand so that any algorithm and key can be tried.</summary>
    private static string Forge(JsonObject claims, string alg, string kid, string? key)
    {
        var header = Base64Url(JsonSerializer.SerializeToUtf8Bytes(new { alg, kid, typ = "JWT" }));
        var body = Base64Url(Encoding.UTF8.GetBytes(claims.ToJsonString()));
        var signed = Encoding.ASCII.GetBytes($"{header}.{body}");
        var signature = alg switch
        {
            "HS256" => HMACSHA256.HashData(Encoding.UTF8.GetBytes(key!), signed),
            "HS384" => HMACSHA384.HashData(Encoding.UTF8.GetBytes(key!), signed),
            "HS512" => HMACSHA512.HashData(Encoding.UTF8.GetBytes(key!), signed),
            _ => [],
        };
        return $"{header}.{body}.{Base64Url(signature)}";
    }

    private static JsonObject Header(string jwt) => Decode(jwt.Split('.')[0]);

    private static JsonObject Payload(string jwt) => Decode(jwt.Split('.')[1]);

    private static JsonObject Decode(string part) =>
        JsonNode.Parse(Convert.FromBase64String(part.Replace('-', '+').Replace('_', '/').PadRight((part.Length + 3) / 4 * 4, '=')))!.AsObject();

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static async Task<string> StoredHashAsync(NpgsqlConnection db, Guid userId)
    {
        await using var select = new NpgsqlCommand("SELECT password_hash FROM users WHERE id = $1", db);
        select.Parameters.AddWithValue(userId);
        return (string)(await select.ExecuteScalarAsync())!;
    }

    /// <summary>An ASP.NET Core Identity v3 hash: 0x01, PRF 2 (HMAC-SHA512), iterations, salt length, salt, 32-byte subkey.</summary>
    private static string IdentityV3Hash(string password, int iterations)
    {
        var salt = RandomNumberGenerator.GetBytes(16);
        var subkey = Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(password), salt, iterations, HashAlgorithmName.SHA512, 32);
        var hash = new byte[13 + salt.Length + subkey.Length];
        hash[0] = 0x01;
        System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(hash.AsSpan(1), 2);
        System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(hash.AsSpan(5), iterations);
        System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(hash.AsSpan(9), salt.Length);
        salt.CopyTo(hash, 13);
        subkey.CopyTo(hash, 13 + salt.Length);
        return Convert.ToBase64String(hash);
    }

    /// <summary>The iteration count of an Identity v3 hash: format byte, PRF (4 bytes), then iterations (4 bytes, big-endian).</summary>
    private static int Iterations(string hash) => System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(Convert.FromBase64String(hash).AsSpan(5, 4));
}
