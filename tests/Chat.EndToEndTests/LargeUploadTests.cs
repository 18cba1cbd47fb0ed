using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using Xunit.Abstractions;

namespace Chat.EndToEndTests;

/// <summary>The default limits (100 MiB files, 4 MiB chunks) and downloads redirected to signed URLs.</summary>
public sealed class LargeUploadDeployment : ChatDeployment
{
    protected override IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string>
    {
        ["Chat__Attachments__Downloads"] = "Redirect",
    };
}

/// <summary>
/// 100 MiB through the frontend, both ways of uploading, while watching the frontend's peak resident memory: the
/// bytes must stream, never sit in memory whole. The figures are printed (see BENCHMARKS.md).
/// </summary>
public sealed class LargeUploadTests(LargeUploadDeployment chat, ITestOutputHelper output) : IClassFixture<LargeUploadDeployment>
{
    private const int Size = 100 * 1024 * 1024;
    private const long MemoryBudget = 64L * 1024 * 1024;

    [Fact]
    public async Task A100MiBUploadKeepsFrontendMemoryFlatEitherWay()
    {
        await using var alice = await ChatUser.RegisterAsync(chat.BaseAddress, "alice");
        alice.Http.Timeout = TimeSpan.FromMinutes(5);
        var conversationId = await AttachmentTests.GroupAsync(alice);
        var bytes = AttachmentTests.Zip(Size);
        var sha256 = Convert.ToHexStringLower(SHA256.HashData(bytes));
        await WarmUpAsync(alice, conversationId);

        var (multipart, multipartGrowth) = await MeasureAsync(async () =>
        {
            var response = await AttachmentTests.PostFileAsync(alice, conversationId, new StreamContent(new MemoryStream(bytes)), "big.zip", "application/zip");
            Assert.Equal(HttpStatusCode.Created, response.StatusCode);
            return (await response.Content.ReadFromJsonAsync<AttachmentBody>())!;
        });
        Assert.Equal(sha256, multipart.Sha256);

        var (resumable, resumableGrowth) = await MeasureAsync(() => ResumableAsync(alice, conversationId, bytes, sha256));
        Assert.Equal(sha256, resumable.Sha256);

        output.WriteLine($"frontend peak RSS growth, 100 MiB multipart upload: {multipartGrowth / 1048576.0:F1} MiB");
        output.WriteLine($"frontend peak RSS growth, 100 MiB resumable upload (4 MiB chunks): {resumableGrowth / 1048576.0:F1} MiB");
        Assert.True(multipartGrowth < MemoryBudget, $"multipart upload grew the frontend by {multipartGrowth / 1048576.0:F1} MiB");
        Assert.True(resumableGrowth < MemoryBudget, $"resumable upload grew the frontend by {resumableGrowth / 1048576.0:F1} MiB");

        // Downloads are redirected to a short-lived signed URL on the blob service: the frontend carries no bytes.
        using var noRedirects = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = chat.BaseAddress };
        noRedirects.DefaultRequestHeaders.Authorization = alice.Http.DefaultRequestHeaders.Authorization;
        var redirect = await noRedirects.GetAsync(resumable.Url);
        Assert.Equal(HttpStatusCode.Redirect, redirect.StatusCode);
        Assert.Contains("sig=", redirect.Headers.Location!.Query);
        using var blobClient = new HttpClient { Timeout = TimeSpan.FromMinutes(5) };
        await using var downloaded = await blobClient.GetStreamAsync(redirect.Headers.Location);
        Assert.Equal(sha256, Convert.ToHexStringLower(await SHA256.HashDataAsync(downloaded)));
    }

    /// <summary>Sends 60 % of the chunks, "loses the connection", then resumes from what the server says it has.</summary>
    private static async Task<AttachmentBody> ResumableAsync(ChatUser alice, Guid conversationId, byte[] bytes, string sha256)
    {
        var upload = await alice.PostJsonAsync("/api/v1/uploads", new { conversationId, fileName = "big.zip", contentType = "application/zip", size = bytes.Length }, 201);
        var uploadId = upload["uploadId"]!.GetValue<Guid>();
        var chunkSize = upload["chunkSize"]!.GetValue<int>();
        var chunkCount = upload["chunkCount"]!.GetValue<int>();
        for (var i = 0; i < chunkCount * 6 / 10; i++)
        {
            await AttachmentTests.PutChunkAsync(alice, uploadId, i, bytes, chunkSize, HttpStatusCode.NoContent);
        }

        var received = (await alice.GetJsonAsync($"/api/v1/uploads/{uploadId}"))["receivedChunks"]!.AsArray().Select(n => n!.GetValue<int>()).ToHashSet();
        Assert.Equal(chunkCount * 6 / 10, received.Count);
        foreach (var i in Enumerable.Range(0, chunkCount).Where(i => !received.Contains(i)))
        {
            await AttachmentTests.PutChunkAsync(alice, uploadId, i, bytes, chunkSize, HttpStatusCode.NoContent);
        }

        var response = await alice.Http.PostAsJsonAsync($"/api/v1/uploads/{uploadId}/complete", new { sha256 });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<AttachmentBody>())!;
    }

    /// <summary>One small upload of each kind first, so start-up allocations (JIT, pools, clients) are not counted.</summary>
    private static async Task WarmUpAsync(ChatUser alice, Guid conversationId)
    {
        var small = AttachmentTests.Zip(5 * 1024 * 1024);
        Assert.Equal(HttpStatusCode.Created, (await AttachmentTests.PostFileAsync(alice, conversationId, small, "warm.zip", "application/zip")).StatusCode);
        var sha = Convert.ToHexStringLower(SHA256.HashData(small));
        await ResumableAsync(alice, conversationId, small, sha);
    }

    private async Task<(T Result, long PeakGrowth)> MeasureAsync<T>(Func<Task<T>> action)
    {
        var frontend = chat.Frontend!;
        var before = frontend.Memory().Resident;
        frontend.ResetPeakMemory();
        var result = await action();
        return (result, frontend.Memory().Peak - before);
    }

    private sealed record AttachmentBody(Guid Id, string Sha256, string Url);
}
