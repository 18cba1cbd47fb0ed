using System.Net;
using System.Net.Sockets;

namespace Chat.Testing;

public static class FreePort
{
    // Below the kernel's ephemeral range (32768-60999 on Linux): a port the OS handed out and this code released
    // could become the source port of any outgoing connection before the server it was meant for binds it.
    private const int First = 20000;
    private const int Last = 32000;
    private static int _next = First + Random.Shared.Next(0, 4000);

    /// <summary>A loopback TCP port nobody listens on right now, outside the range the OS hands out by itself.</summary>
    public static int Next()
    {
        while (true)
        {
            var port = Interlocked.Increment(ref _next);
            if (port > Last)
            {
                Interlocked.CompareExchange(ref _next, First, port);
                continue;
            }

            try
            {
                using var listener = new TcpListener(IPAddress.Loopback, port);
                listener.Start();
                return port;
            }
            catch (SocketException)
            {
                // taken: try the next one
            }
        }
    }
}
