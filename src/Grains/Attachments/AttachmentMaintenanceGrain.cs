using Chat.BlobStorage;
using Chat.Grains.Storage;
using Microsoft.Extensions.Options;

namespace Chat.Grains.Attachments;

/// <summary>The periodic sweep over attachments, on an Orleans reminder so it survives silo restarts.</summary>
[GrainType("attachment-maintenance")]
internal sealed class AttachmentMaintenanceGrain(
    AttachmentStore store,
    IOptions<AttachmentOptions> options,
    TimeProvider clock) : Grain, IAttachmentMaintenanceGrain, IRemindable
{
    private const string Reminder = "sweep";
    private const int BatchSize = 100;

    public async Task StartAsync()
    {
        // Reminders tick at most once a minute.
        var period = options.Value.CleanupInterval < TimeSpan.FromMinutes(1) ? TimeSpan.FromMinutes(1) : options.Value.CleanupInterval;
        await this.RegisterOrUpdateReminder(Reminder, period, period);
    }

    public Task ReceiveReminder(string reminderName, TickStatus status) => SweepAsync();

    public async Task<int> SweepAsync()
    {
        var abandoned = await store.FindUploadsOpenedBeforeAsync(clock.GetUtcNow() - options.Value.AbandonedUploadAfter, BatchSize);
        var deleted = await Task.WhenAll(abandoned.Select(id =>
            GrainFactory.GetGrain<IAttachmentGrain>(id).DeleteIfAbandonedAsync(clock.GetUtcNow() - options.Value.AbandonedUploadAfter)));
        var unfinished = await store.FindUnfinishedPreviewsAsync(BatchSize);
        await Task.WhenAll(unfinished.Select(id => GrainFactory.GetGrain<IAttachmentGrain>(id).EnsurePreviewsAsync()));
        return deleted.Count(d => d);
    }
}
