using Chat.Testing;

namespace Chat.IntegrationTests;

/// <summary>One private PostgreSQL for the integration tests; each test makes its own database.</summary>
public sealed class PostgresFixture : IAsyncLifetime
{
    public PostgresInstance Server { get; private set; } = null!;

    public async Task InitializeAsync() => Server = await PostgresInstance.StartAsync();

    public async Task DisposeAsync() => await Server.DisposeAsync();
}

[CollectionDefinition(Name)]
public sealed class PostgresCollection : ICollectionFixture<PostgresFixture>
{
    public const string Name = "postgres";
}
