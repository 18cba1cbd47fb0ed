using System.Collections.Immutable;
using Npgsql;

namespace Chat.Grains.Storage;

internal static class DataSourceExtensions
{
    /// <summary>The first column of every row, as ids; the parameters bind to $1, $2, ... in order.</summary>
    public static async Task<ImmutableArray<Guid>> QueryIdsAsync(this NpgsqlDataSource dataSource, string sql, params object[] parameters)
    {
        await using var command = dataSource.CreateCommand(sql);
        foreach (var parameter in parameters)
        {
            command.Parameters.AddWithValue(parameter);
        }

        await using var reader = await command.ExecuteReaderAsync();
        var ids = ImmutableArray.CreateBuilder<Guid>();
        while (await reader.ReadAsync())
        {
            ids.Add(reader.GetGuid(0));
        }

        return ids.ToImmutable();
    }
}
