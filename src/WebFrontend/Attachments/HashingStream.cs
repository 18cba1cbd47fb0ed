using System.Security.Cryptography;
using Chat.Grains.Errors;

namespace Chat.WebFrontend.Attachments;

/// <summary>
/// A forward-only read stream over bytes already read (the sniffed head) followed by the rest of a body. It counts
/// and hashes what passes through and refuses to go past <c>maxSize</c>, so an upload streams without buffering.
/// </summary>
public sealed class HashingStream(ReadOnlyMemory<byte> head, Stream rest, long maxSize) : Stream
{
    private readonly IncrementalHash _sha256 = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    private ReadOnlyMemory<byte> _head = head;

    /// <summary>Bytes read so far.</summary>
    public long Count { get; private set; }

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => Count; set => throw new NotSupportedException(); }

    /// <summary>Lowercase hex SHA-256 of everything read; call once the stream is exhausted.</summary>
    public string Sha256Hex() => Convert.ToHexStringLower(_sha256.GetHashAndReset());

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        var read = _head.IsEmpty ? rest.Read(buffer) : TakeHead(buffer);
        return Account(buffer[..read]);
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var read = _head.IsEmpty ? await rest.ReadAsync(buffer, cancellationToken) : TakeHead(buffer.Span);
        return Account(buffer.Span[..read]);
    }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _sha256.Dispose();
        }

        base.Dispose(disposing);
    }

    private int TakeHead(Span<byte> buffer)
    {
        var n = Math.Min(buffer.Length, _head.Length);
        _head.Span[..n].CopyTo(buffer);
        _head = _head[n..];
        return n;
    }

    private int Account(ReadOnlySpan<byte> read)
    {
        Count += read.Length;
        if (Count > maxSize)
        {
            throw new ChatException(ErrorCodes.PayloadTooLarge, $"An attachment is at most {maxSize} bytes.");
        }

        _sha256.AppendData(read);
        return read.Length;
    }
}
