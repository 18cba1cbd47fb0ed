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

    /// <summary>
    /// The silo's own HTTP port, on <see cref="AdvertisedAddress"/>: <c>/metrics</c> (Prometheus), <c>/health/live</c>
    /// and <c>/health/ready</c> (for probes). 0: a port of the system's choosing on loopback, that is, none to rely on.
    /// </summary>
    public int HttpPort { get; set; }

    /// <summary>
    /// Orleans' Kubernetes hosting: the silo is named after its pod, and silos whose pods are gone are declared dead
    /// at once. Needs the pod's POD_NAME, POD_NAMESPACE, POD_IP, ORLEANS_SERVICE_ID and ORLEANS_CLUSTER_ID (k8s/).
    /// </summary>
    public bool Kubernetes { get; set; }
}
