using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text;

namespace Chat.Testing;

/// <summary>
/// One real Chat process (silo or frontend) started from its build output. Disposing kills it, so a failed test
/// never leaves it running; <see cref="Kill"/> is SIGKILL, the crash the failure rules are about.
/// </summary>
public sealed class ChatProcess : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private ChatProcess(Process process) => _process = process;

    public bool HasExited => _process.HasExited;

    public int Id => _process.Id;

    /// <summary>Resident memory now and its peak since the last <see cref="ResetPeakMemory"/>, in bytes (Linux /proc).</summary>
    public (long Resident, long Peak) Memory()
    {
        var status = File.ReadAllLines($"/proc/{Id}/status");
        long Field(string name) => long.Parse(status.Single(l => l.StartsWith(name + ":", StringComparison.Ordinal))
            .Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]) * 1024;
        return (Field("VmRSS"), Field("VmHWM"));
    }

    /// <summary>Starts a new peak-resident-memory window (writes 5 to /proc/PID/clear_refs).</summary>
    public void ResetPeakMemory() => File.WriteAllText($"/proc/{Id}/clear_refs", "5");

    /// <summary>Everything the process printed, for failure messages.</summary>
    public string Output
    {
        get { lock (_output) { return _output.ToString(); } }
    }

    /// <summary>Starts <c>src/{project}/bin/{configuration}/net10.0/{assembly}.dll</c> with the given settings.</summary>
    public static ChatProcess Start(string project, string assembly, IReadOnlyDictionary<string, string> environment)
    {
        var binDir = Path.Combine(RepoPaths.Root, "src", project, "bin", RepoPaths.Configuration, "net10.0");
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = binDir,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(binDir, assembly + ".dll"));
        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        var process = new Process { StartInfo = start };
        var chat = new ChatProcess(process);
        process.OutputDataReceived += (_, e) => chat.Append(e.Data);
        process.ErrorDataReceived += (_, e) => chat.Append(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return chat;
    }

    /// <summary>The exit code once the process ends by itself; fails if it outlives <paramref name="timeout"/>.</summary>
    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        await _process.WaitForExitAsync().WaitAsync(timeout);
        _process.WaitForExit(); // drains the asynchronous output readers
        return _process.ExitCode;
    }

    /// <summary>SIGTERM: what Kubernetes sends a pod it stops; the process shuts down as it was built to.</summary>
    public void Terminate()
    {
        if (!_process.HasExited && SendSignal(_process.Id, SigTerm) != 0)
        {
            throw new InvalidOperationException($"kill({_process.Id}, SIGTERM) failed: errno {Marshal.GetLastPInvokeError()}");
        }
    }

    public void Kill()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit();
        }
    }

    public void Dispose()
    {
        Kill();
        _process.Dispose();
    }

    private const int SigTerm = 15;

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int SendSignal(int pid, int signal);

    private void Append(string? line)
    {
        if (line is not null)
        {
            lock (_output)
            {
                _output.AppendLine(line);
            }
        }
    }
}
