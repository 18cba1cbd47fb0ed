using Chat.Grains.Attachments;
using Npgsql;

namespace Chat.Grains.Storage;

/// <summary>Attachment metadata rows, written by each attachment's grain; the message link is set by the conversation's grain when it sends.</summary>
public sealed class AttachmentStore(NpgsqlDataSource dataSource)
{
    private const string Columns =
        "id, conversation_id, uploader_id, file_name, content_type, size, status, chunk_size, sha256, width, height, has_previews, previews_done, created_at, message_seq";

    /// <summary>A row as the grain sees it: the public info plus upload and preview bookkeeping.</summary>
    public sealed record Row(AttachmentInfo Info, string Status, int? ChunkSize, bool PreviewsDone, long? MessageSeq)
    {
        public bool IsUploading => Status == "uploading";
    }

    public async Task<Row?> FindAsync(Guid id)
    {
        await using var command = dataSource.CreateCommand($"SELECT {Columns} FROM attachments WHERE id = $1");
        command.Parameters.AddWithValue(id);
        await using var reader = await command.ExecuteReaderAsync();
        return await reader.ReadAsync() ? Read(reader) : null;
    }

    public async Task<Dictionary<Guid, Row>> FindManyAsync(IReadOnlyCollection<Guid> ids)
    {
        await using var command = dataSource.CreateCommand($"SELECT {Columns} FROM attachments WHERE id = ANY($1)");
        command.Parameters.AddWithValue(ids.ToArray());
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new Dictionary<Guid, Row>();
        while (await reader.ReadAsync())
        {
            var row = Read(reader);
            rows[row.Info.Id] = row;
        }

        return rows;
    }

    public async Task InsertUploadAsync(UploadSession upload)
    {
        await using var command = dataSource.CreateCommand($"""
            INSERT INTO attachments (id, conversation_id, uploader_id, file_name, content_type, size, status, chunk_size, created_at)
            VALUES ($1, $2, $3, $4, $5, $6, 'uploading', $7, $8)
            """);
        var p = command.Parameters;
        p.AddWithValue(upload.UploadId);
        p.AddWithValue(upload.ConversationId);
        p.AddWithValue(upload.UploaderId);
        p.AddWithValue(upload.FileName);
        p.AddWithValue(upload.ContentType);
        p.AddWithValue(upload.Size);
        p.AddWithValue(upload.ChunkSize);
        p.AddWithValue(upload.CreatedAt);
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>Inserts a stored attachment, or turns the open upload with this id into one.</summary>
    public async Task UpsertStoredAsync(AttachmentInfo info, bool previewsDone)
    {
        await using var command = dataSource.CreateCommand("""
            INSERT INTO attachments (id, conversation_id, uploader_id, file_name, content_type, size, status, sha256, previews_done, created_at, width, height)
            VALUES ($1, $2, $3, $4, $5, $6, 'stored', $7, $8, $9, $10, $11)
            ON CONFLICT (id) DO UPDATE SET
                file_name = excluded.file_name, content_type = excluded.content_type, size = excluded.size, status = 'stored',
                sha256 = excluded.sha256, previews_done = excluded.previews_done, width = excluded.width, height = excluded.height
            """);
        var p = command.Parameters;
        p.AddWithValue(info.Id);
        p.AddWithValue(info.ConversationId);
        p.AddWithValue(info.UploaderId);
        p.AddWithValue(info.FileName);
        p.AddWithValue(info.ContentType);
        p.AddWithValue(info.Size);
        p.AddWithValue(info.Sha256);
        p.AddWithValue(previewsDone);
        p.AddWithValue(info.CreatedAt);
        p.AddWithValue(info.Width is { } w ? w : DBNull.Value);
        p.AddWithValue(info.Height is { } h ? h : DBNull.Value);
        await command.ExecuteNonQueryAsync();
    }

    public async Task SetPreviewsAsync(Guid id, int? width, int? height, bool hasPreviews)
    {
        await using var command = dataSource.CreateCommand(
            "UPDATE attachments SET width = $2, height = $3, has_previews = $4, previews_done = true WHERE id = $1");
        command.Parameters.AddWithValue(id);
        command.Parameters.AddWithValue(width is { } w ? w : DBNull.Value);
        command.Parameters.AddWithValue(height is { } h ? h : DBNull.Value);
        command.Parameters.AddWithValue(hasPreviews);
        await command.ExecuteNonQueryAsync();
    }

    public async Task MarkDeletedAsync(Guid id)
    {
        await using var command = dataSource.CreateCommand("UPDATE attachments SET status = 'deleted', has_previews = false WHERE id = $1");
        command.Parameters.AddWithValue(id);
        await command.ExecuteNonQueryAsync();
    }

    public async Task DeleteUploadAsync(Guid id)
    {
        await using var command = dataSource.CreateCommand("DELETE FROM attachments WHERE id = $1 AND status = 'uploading'");
        command.Parameters.AddWithValue(id);
        await command.ExecuteNonQueryAsync();
    }

    public async Task<IReadOnlyList<Guid>> FindUploadsOpenedBeforeAsync(DateTimeOffset openedBefore, int limit) =>
        await dataSource.QueryIdsAsync(
            "SELECT id FROM attachments WHERE status = 'uploading' AND created_at < $1 ORDER BY created_at LIMIT $2", openedBefore, limit);

    /// <summary>Images stored whose previews were never finished (their silo died): made again on start-up.</summary>
    public async Task<IReadOnlyList<Guid>> FindUnfinishedPreviewsAsync(int limit) =>
        await dataSource.QueryIdsAsync(
            "SELECT id FROM attachments WHERE status = 'stored' AND NOT previews_done ORDER BY created_at LIMIT $1", limit);

    public async Task<bool> IsAvatarOfAsync(Guid attachmentId, Guid userId)
    {
        await using var command = dataSource.CreateCommand("SELECT 1 FROM users WHERE id = $1 AND avatar_attachment_id = $2");
        command.Parameters.AddWithValue(userId);
        command.Parameters.AddWithValue(attachmentId);
        return await command.ExecuteScalarAsync() is not null;
    }

    private static Row Read(NpgsqlDataReader r) => new(
        new AttachmentInfo(r.GetGuid(0), r.GetGuid(1), r.GetGuid(2), r.GetString(3), r.GetString(4), r.GetInt64(5),
            r.IsDBNull(8) ? "" : r.GetString(8), r.IsDBNull(9) ? null : r.GetInt32(9), r.IsDBNull(10) ? null : r.GetInt32(10),
            r.GetBoolean(11), r.GetFieldValue<DateTimeOffset>(13)),
        r.GetString(6), r.IsDBNull(7) ? null : r.GetInt32(7), r.GetBoolean(12), r.IsDBNull(14) ? null : r.GetInt64(14));
}
