namespace Chat.IntegrationTests;

/// <summary>A grain that exercises the ADO.NET grain storage and reminder providers.</summary>
[Alias("chat.tests.IProbeGrain")]
public interface IProbeGrain : IGrainWithGuidKey
{
    [Alias("Write")] Task WriteAsync(string value);
    [Alias("Read")] Task<(string? Value, int Ticks)> ReadAsync();
    [Alias("Clear")] Task ClearAsync();
    [Alias("Deactivate")] Task DeactivateAsync();
    [Alias("StartReminder")] Task StartReminderAsync();
    [Alias("WaitForTick"), Orleans.Concurrency.AlwaysInterleave] Task<int> WaitForTickAsync();
}

[GenerateSerializer, Alias("chat.tests.probe-state")]
public sealed class ProbeState
{
    [Id(0)] public string? Value { get; set; }
    [Id(1)] public int Ticks { get; set; }
}

[GrainType("test-probe")]
public sealed class ProbeGrain([PersistentState("probe", "chat")] IPersistentState<ProbeState> state) : Grain, IProbeGrain, IRemindable
{
    private readonly TaskCompletionSource<int> _tick = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public async Task WriteAsync(string value)
    {
        state.State.Value = value;
        await state.WriteStateAsync();
    }

    public Task<(string? Value, int Ticks)> ReadAsync() => Task.FromResult((state.State.Value, state.State.Ticks));

    public Task ClearAsync() => state.ClearStateAsync();

    public Task DeactivateAsync()
    {
        DeactivateOnIdle();
        return Task.CompletedTask;
    }

    public Task StartReminderAsync() => this.RegisterOrUpdateReminder("tick", TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(1));

    public Task<int> WaitForTickAsync() => _tick.Task;

    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        state.State.Ticks++;
        await state.WriteStateAsync();
        await this.UnregisterReminder(await this.GetReminder(reminderName) ?? throw new InvalidOperationException("reminder vanished"));
        _tick.TrySetResult(state.State.Ticks);
    }
}
