using System.Collections.Immutable;
using Npgsql;

namespace Chat.Grains.Storage;

internal static class DataSourceExtensions
{
    /// <summary>
    /// Runs a query and reads each row with <paramref name="read"/>. Parameters bind to $1, $2, ... in order; pass
    /// an <see cref="NpgsqlParameter"/> where the type must be stated (a null, say).
    /// </summary>
    public static async Task<ImmutableArray<T>> QueryAsync<T>(this NpgsqlDataSource dataSource, string sql, Func<NpgsqlDataReader, T> read,
        params object[] parameters)
    {
        await using var command = dataSource.CreateCommand(sql);
        foreach (var parameter in parameters)
        {
            if (parameter is NpgsqlParameter typed)
            {
                command.Parameters.Add(typed);
            }
            else
            {
                command.Parameters.AddWithValue(parameter);
            }
        }

        await using var reader = await command.ExecuteReaderAsync();
        var rows = ImmutableArray.CreateBuilder<T>();
        while (await reader.ReadAsync())
        {
            rows.Add(read(reader));
        }

        return rows.ToImmutable();
    }

    /// <summary>The first column of every row, as ids.</summary>
    public static Task<ImmutableArray<Guid>> QueryIdsAsync(this NpgsqlDataSource dataSource, string sql, params object[] parameters) =>
        dataSource.QueryAsync(sql, r => r.GetGuid(0), parameters);

    /// <summary>A single time (the first column of the first row), null when there is none.</summary>
    public static async Task<DateTimeOffset?> QueryTimeAsync(this NpgsqlDataSource dataSource, string sql, params object[] parameters) =>
        (await dataSource.QueryAsync(sql, r => r.IsDBNull(0) ? (DateTimeOffset?)null : r.GetFieldValue<DateTimeOffset>(0), parameters))
            .FirstOrDefault();
}
