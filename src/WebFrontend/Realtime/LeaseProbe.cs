namespace Chat.WebFrontend.Realtime;

/// <summary>
/// What a feed's periodic lease check decides. While the stream delivers, only what was committed before the previous
/// check and has still not arrived is repaired from the log: a version committed since may be on its way, and fetching
/// it raced the event (the repair told the change as it is now, a reaction as the message's edit, and the event came
/// as a duplicate). A stream that delivered nothing since the previous check has nothing on its way that we know of,
/// so whatever is behind is repaired at once; and if something was overdue as well, the stream is presumed dead and
/// the subscription renewed (a stream that delivers is alive, however long the backlog).
/// </summary>
internal sealed class LeaseProbe(long startVersion)
{
    private long _previous = startVersion;

    public (bool Repair, bool Resubscribe) Check(long version, long forwarded, bool heard)
    {
        var overdue = Math.Min(_previous, version) > forwarded;
        _previous = version;
        return (overdue || (version > forwarded && !heard), overdue && !heard);
    }
}
