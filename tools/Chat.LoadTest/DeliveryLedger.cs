namespace Chat.LoadTest;

/// <summary>
/// What every connection received of every conversation it is in, checked against what was acknowledged: each
/// acknowledged message must reach each member connection exactly once, and in seq order. A count of deliveries
/// would let a loss and a duplicate cancel out; this does not.
/// </summary>
public sealed class DeliveryLedger
{
    private readonly Dictionary<(int Connection, Guid Conversation), List<long>> _arrivals = [];
    private readonly Dictionary<Guid, HashSet<long>> _acknowledged = [];
    private readonly Lock _gate = new();

    public void Received(int connection, Guid conversation, long seq)
    {
        lock (_gate)
        {
            if (!_arrivals.TryGetValue((connection, conversation), out var seqs))
            {
                _arrivals[(connection, conversation)] = seqs = [];
            }

            seqs.Add(seq);
        }
    }

    public void Acknowledged(Guid conversation, long seq)
    {
        lock (_gate)
        {
            if (!_acknowledged.TryGetValue(conversation, out var seqs))
            {
                _acknowledged[conversation] = seqs = [];
            }

            seqs.Add(seq);
        }
    }

    /// <summary>Compares what each member connection got with what was acknowledged in each of its conversations.</summary>
    public Verdict Verify(IReadOnlyDictionary<Guid, IReadOnlyList<int>> members)
    {
        lock (_gate)
        {
            long expected = 0, lost = 0, duplicated = 0, outOfOrder = 0, unexpected = 0;
            foreach (var (conversation, connections) in members)
            {
                var acknowledged = _acknowledged.GetValueOrDefault(conversation) ?? [];
                foreach (var connection in connections)
                {
                    var arrivals = _arrivals.GetValueOrDefault((connection, conversation)) ?? [];
                    var seen = new HashSet<long>();
                    long previous = 0;
                    foreach (var seq in arrivals)
                    {
                        duplicated += seen.Add(seq) ? 0 : 1;
                        outOfOrder += seq < previous ? 1 : 0;
                        previous = Math.Max(previous, seq);
                    }

                    expected += acknowledged.Count;
                    lost += acknowledged.Count(seq => !seen.Contains(seq));
                    // A seq nobody acknowledged: a send whose ack was lost (a timeout) yet committed; reported, not failed.
                    unexpected += seen.Count(seq => !acknowledged.Contains(seq));
                }
            }

            return new Verdict(expected, lost, duplicated, outOfOrder, unexpected);
        }
    }

    public sealed record Verdict(long Expected, long Lost, long Duplicated, long OutOfOrder, long Unacknowledged)
    {
        public bool Holds => Lost == 0 && Duplicated == 0 && OutOfOrder == 0;
    }
}
