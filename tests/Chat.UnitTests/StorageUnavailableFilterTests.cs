using System.Reflection;
using Chat.Grains.Errors;
using Chat.Grains.Hosting;
using Npgsql;

namespace Chat.UnitTests;

public sealed class StorageUnavailableFilterTests
{
    private readonly StorageUnavailableFilter _filter = new();

    [Fact]
    public async Task ALostDatabaseBecomesServiceUnavailable()
    {
        var refused = await Assert.ThrowsAsync<ChatException>(() => _filter.Invoke(Call.Failing(new NpgsqlException("connection refused"), async: true)));

        Assert.Equal(ErrorCodes.ServiceUnavailable, refused.Code);
    }

    [Fact]
    public async Task AFailureBeforeTheCallsFirstAwaitIsMappedToo()
    {
        var refused = await Assert.ThrowsAsync<ChatException>(() => _filter.Invoke(Call.Failing(new NpgsqlException("connection refused"), async: false)));

        Assert.Equal(ErrorCodes.ServiceUnavailable, refused.Code);
    }

    [Fact]
    public async Task AnOutageSqlStateIsServiceUnavailableAndAConstraintIsNot()
    {
        var shutdown = new PostgresException("terminating connection", "FATAL", "FATAL", "57P01");
        var duplicate = new PostgresException("duplicate key", "ERROR", "ERROR", "23505");

        Assert.Equal(ErrorCodes.ServiceUnavailable, (await Assert.ThrowsAsync<ChatException>(() => _filter.Invoke(Call.Failing(shutdown, async: true)))).Code);
        Assert.Same(duplicate, await Assert.ThrowsAsync<PostgresException>(() => _filter.Invoke(Call.Failing(duplicate, async: true))));
    }

    [Fact]
    public void ACallThatCompletedAtOnceIsPassedThroughAsItIs()
    {
        // Every poll of a stream queue is such a call (the filter sees every grain call, Orleans' own too).
        var call = _filter.Invoke(Call.Completing());

        Assert.True(call.IsCompletedSuccessfully);
        Assert.Same(Task.CompletedTask, call);
    }

    /// <summary>A grain call context whose only working member is <c>Invoke</c>, the one the filter uses.</summary>
    public class Call : DispatchProxy
    {
        private Func<Task> _invoke = () => Task.CompletedTask;

        public static IIncomingGrainCallContext Completing() => Create(() => Task.CompletedTask);

        public static IIncomingGrainCallContext Failing(Exception exception, bool async) =>
            Create(async ? async () => { await Task.Yield(); throw exception; } : () => throw exception);

        private static IIncomingGrainCallContext Create(Func<Task> invoke)
        {
            var context = DispatchProxy.Create<IIncomingGrainCallContext, Call>();
            ((Call)(object)context)._invoke = invoke;
            return context;
        }

        protected override object? Invoke(MethodInfo? targetMethod, object?[]? args) =>
            targetMethod?.Name == nameof(IIncomingGrainCallContext.Invoke) ? _invoke() : throw new NotSupportedException(targetMethod?.Name);
    }
}
