namespace Chat.Grains.Hosting;

/// <summary>
/// How a silo joins its cluster, bound from <c>Chat:Silo</c> (not <c>Orleans:</c>, which Orleans reads itself).
/// <see cref="Clustering"/> picks the membership provider: <c>AdoNet</c> (PostgreSQL, the default) or
/// <c>Localhost</c> (development only, one silo).
/// </summary>
public sealed class ChatSiloOptions
{
    public const string Section = "Chat:Silo";

    public string ClusterId { get; set; } = "chat";
    public string ServiceId { get; set; } = "chat";
    public string Clustering { get; set; } = "AdoNet";
    public int SiloPort { get; set; } = 11111;
    public int GatewayPort { get; set; } = 30000;

    /// <summary>The address other silos and clients reach this one at; loopback unless set.</summary>
    public string AdvertisedAddress { get; set; } = "127.0.0.1";

    /// <summary>The port of the silo's Prometheus endpoint (<c>http://AdvertisedAddress:port/metrics</c>); 0: none.</summary>
    public int MetricsPort { get; set; }
}
