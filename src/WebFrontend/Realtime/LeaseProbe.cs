namespace Chat.WebFrontend.Realtime;

/// <summary>
/// What a feed's periodic lease check decides. Only what was committed before the previous check and has still not
/// arrived is repaired from the log: a version committed since may be on its way through the stream, and fetching it
/// raced the event (the repair then told the change as it is now, a reaction as the message's edit, and the event
/// came as a duplicate). If, besides, the stream delivered nothing since the previous check, it is presumed dead and
/// the subscription renewed (a stream that delivers is alive, however long the backlog).
/// </summary>
internal sealed class LeaseProbe(long startVersion)
{
    private long _previous = startVersion;

    public (bool Repair, bool Resubscribe) Check(long version, long forwarded, bool heard)
    {
        var overdue = Math.Min(_previous, version) > forwarded;
        _previous = version;
        return (overdue, overdue && !heard);
    }
}
