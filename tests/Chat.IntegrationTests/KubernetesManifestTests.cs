using System.Diagnostics;
using System.Reflection;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Chat.Grains.Conversations;
using Chat.Grains.Hosting;
using Chat.Testing;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;
using YamlDotNet.Serialization;

namespace Chat.IntegrationTests;

/// <summary>
/// The Kubernetes manifests, proven without a cluster: each overlay of <c>k8s/</c> is rendered by
/// <c>kubectl kustomize</c> (test.sh installs kubectl where the machine has none) and the rendered objects are
/// checked against each other, against the code (routes, settings, ports) and against docs/OPERATIONS.md.
/// </summary>
public sealed class KubernetesManifestTests
{
    private static readonly Dictionary<string, List<JsonObject>> Rendered = [];

    public static TheoryData<string> Overlays => new() { "dev", "prod" };

    [Theory]
    [MemberData(nameof(Overlays))]
    public void SelectorsMatchTheLabelsTheyMean(string overlay)
    {
        var docs = Render(overlay);
        var workloads = Workloads(docs).ToList();
        Assert.Contains(workloads, w => Name(w) == "chat-silo");
        Assert.Contains(workloads, w => Name(w) == "chat-frontend");
        foreach (var workload in workloads)
        {
            Assert.True(IsSubset(Map(workload["spec"]!["selector"]!["matchLabels"]), TemplateLabels(workload)), $"{Name(workload)}: selector vs pod labels");
        }

        foreach (var service in Of(docs, "Service"))
        {
            var selected = workloads.Where(w => IsSubset(Map(service["spec"]!["selector"]), TemplateLabels(w))).ToList();
            Assert.True(selected.Count == 1, $"Service {Name(service)} selects {selected.Count} workloads");
            var portNames = Containers(selected[0]).SelectMany(c => Items(c["ports"])).Select(p => (string?)p["name"]).ToHashSet();
            Assert.All(Items(service["spec"]!["ports"]), p => Assert.Contains((string)p["targetPort"]!, portNames));
        }

        foreach (var budget in Of(docs, "PodDisruptionBudget"))
        {
            Assert.Contains(workloads, w => w["kind"]!.ToString() == "Deployment" && IsSubset(Map(budget["spec"]!["selector"]!["matchLabels"]), TemplateLabels(w)));
        }

        var deployments = Of(docs, "Deployment").Select(Name).ToHashSet();
        Assert.NotEmpty(Of(docs, "HorizontalPodAutoscaler"));
        Assert.All(Of(docs, "HorizontalPodAutoscaler"), hpa => Assert.Contains((string)hpa["spec"]!["scaleTargetRef"]!["name"]!, deployments));
    }

    [Theory]
    [MemberData(nameof(Overlays))]
    public void ProbesAndPortsAreTheOnesTheProgramsServe(string overlay)
    {
        var docs = Render(overlay);
        var config = Map(Of(docs, "ConfigMap").Single(c => Name(c) == "chat-config")["data"]);
        foreach (var (container, program) in ChatContainers(docs))
        {
            var routes = Regex.Matches(File.ReadAllText(Path.Combine(RepoPaths.Root, program)), "MapHealthChecks\\(\"([^\"]+)\"").Select(m => m.Groups[1].Value).ToHashSet();
            var ports = Items(container["ports"]).ToDictionary(p => (string)p["name"]!, p => (string)p["containerPort"]!);
            var probes = new[] { "startupProbe", "readinessProbe", "livenessProbe" }.Select(p => container[p]).OfType<JsonObject>().ToList();
            Assert.Equal(3, probes.Count);
            foreach (var probe in probes)
            {
                Assert.Contains((string)probe["httpGet"]!["path"]!, routes);
                Assert.Contains((string)probe["httpGet"]!["port"]!, ports.Keys);
            }

            if (Image(container) == "chat-silo")
            {
                Assert.Equal(config["Chat__Silo__SiloPort"], ports["silo"]);
                Assert.Equal(config["Chat__Silo__GatewayPort"], ports["gateway"]);
                Assert.Equal(config["Chat__Silo__HttpPort"], ports["http"]);
            }
            else
            {
                Assert.EndsWith(":" + ports["http"], Env(container)["ASPNETCORE_URLS"]);
            }
        }
    }

    [Theory]
    [MemberData(nameof(Overlays))]
    public void EveryEnvironmentVariableIsASettingTheCodeReads(string overlay)
    {
        var docs = Render(overlay);
        foreach (var (container, _) in ChatContainers(docs))
        {
            var names = Env(container).Keys.ToList();
            foreach (var from in Items(container["envFrom"]))
            {
                if (from["configMapRef"] is { } configMap)
                {
                    names.AddRange(Map(Of(docs, "ConfigMap").Single(c => Name(c) == (string)configMap["name"]!)["data"]).Keys);
                }
                else
                {
                    names.AddRange(SecretKeys(docs, (string)from["secretRef"]!["name"]!));
                }
            }

            Assert.NotEmpty(names);
            Assert.All(names, name => Assert.True(IsSetting(name), $"{Image(container)}: {name} is not a setting the code reads"));
        }
    }

    [Theory]
    [MemberData(nameof(Overlays))]
    public void EverySecretReferenceExists(string overlay)
    {
        var docs = Render(overlay);
        var references = Workloads(docs).SelectMany(w => Containers(w).SelectMany(SecretReferences)).ToList();
        Assert.Contains(references, r => BaseName(r.Secret) == "chat-secrets");
        foreach (var (secret, key) in references)
        {
            var keys = SecretKeys(docs, secret);
            Assert.True(keys.Count > 0, $"{overlay}: Secret {secret} is neither rendered nor in docs/OPERATIONS.md");
            Assert.True(key is null || keys.Contains(key), $"{overlay}: Secret {secret} has no key {key}");
        }

        if (overlay == "prod")
        {
            Assert.Empty(Of(docs, "Secret")); // production secrets never come from this repository
        }
        else
        {
            Assert.Equal(Documented()["chat-secrets"].Order(), SecretKeys(docs, "chat-secrets").Order()); // the docs list what dev sets
        }
    }

    [Theory]
    [MemberData(nameof(Overlays))]
    public void NetworkPoliciesAllowExactlyTheIntendedPaths(string overlay)
    {
        var docs = Render(overlay);
        var policies = Of(docs, "NetworkPolicy").ToList();
        Assert.Contains(policies, p => Map(p["spec"]!["podSelector"]!["matchLabels"]).Count == 0 && p["spec"]!["ingress"] is null
            && Items(p["spec"]!["policyTypes"]).Select(t => t.ToString()).Contains("Ingress")); // everything else is refused
        var allowed = new SortedSet<string>();
        foreach (var policy in policies)
        {
            var target = Map(policy["spec"]!["podSelector"]!["matchLabels"]).GetValueOrDefault("app", "*");
            foreach (var rule in Items(policy["spec"]!["ingress"]))
            {
                var sources = rule["from"] is JsonArray from ? from.Select(Source).ToList() : ["anyone"];
                foreach (var source in sources)
                {
                    foreach (var port in Items(rule["ports"]))
                    {
                        allowed.Add($"{source} -> {target}:{port["port"]}");
                    }
                }
            }
        }

        SortedSet<string> expected =
        [
            "chat-silo -> chat-silo:11111", "chat-silo -> chat-silo:30000", "chat-frontend -> chat-silo:30000",
            "namespace monitoring -> chat-silo:9464", "anyone -> chat-frontend:8080",
        ];
        if (overlay == "dev")
        {
            expected.UnionWith(["chat-silo -> chat-postgres:5432", "chat-frontend -> chat-postgres:5432", "chat-silo -> chat-azurite:10000", "chat-frontend -> chat-azurite:10000"]);
        }

        Assert.Equal(expected, allowed);
    }

    [Theory]
    [MemberData(nameof(Overlays))]
    public void EveryContainerRunsNonRootOnAReadOnlyFilesystemWithinLimits(string overlay)
    {
        foreach (var workload in Workloads(Render(overlay)))
        {
            var pod = workload["spec"]!["template"]!["spec"]!;
            Assert.Equal("true", (string?)pod["securityContext"]?["runAsNonRoot"]);
            Assert.Equal(Name(workload) == "chat-silo" ? null : "false", (string?)pod["automountServiceAccountToken"]); // only silos talk to the API
            foreach (var container in Containers(workload))
            {
                var what = $"{Name(workload)}/{container["name"]}";
                var security = container["securityContext"]!;
                Assert.True((string?)security["readOnlyRootFilesystem"] == "true", $"{what}: read-only root");
                Assert.True((string?)security["allowPrivilegeEscalation"] == "false", $"{what}: no privilege escalation");
                Assert.Contains("ALL", Items(security["capabilities"]?["drop"]).Select(c => c.ToString()));
                foreach (var bound in new[] { "requests", "limits" })
                {
                    Assert.True(container["resources"]?[bound]?["cpu"] is not null && container["resources"]?[bound]?["memory"] is not null, $"{what}: {bound}");
                }
            }
        }
    }

    [Theory]
    [MemberData(nameof(Overlays))]
    public void SilosCarryTheIdentityOrleansKubernetesHostingNeeds(string overlay)
    {
        var docs = Render(overlay);
        var config = Map(Of(docs, "ConfigMap").Single(c => Name(c) == "chat-config")["data"]);
        var silo = Of(docs, "Deployment").Single(d => Name(d) == "chat-silo");
        var labels = TemplateLabels(silo);
        Assert.Equal(config["Chat__Silo__ServiceId"], labels["orleans/serviceId"]);
        Assert.Equal(config["Chat__Silo__ClusterId"], labels["orleans/clusterId"]);
        var env = Env(Containers(silo).Single());
        Assert.Equal("true", env["Chat__Silo__Kubernetes"]);
        Assert.All(new[] { "POD_NAME", "POD_NAMESPACE", "POD_IP", "ORLEANS_SERVICE_ID", "ORLEANS_CLUSTER_ID" }, name => Assert.Contains(name, env.Keys));

        var account = (string)silo["spec"]!["template"]!["spec"]!["serviceAccountName"]!;
        var binding = Of(docs, "RoleBinding").Single(b => Items(b["subjects"]).Any(s => (string?)s["name"] == account));
        var role = Of(docs, "Role").Single(r => Name(r) == (string)binding["roleRef"]!["name"]!);
        var verbs = Items(role["rules"]).Where(r => Items(r["resources"]).Any(x => x.ToString() == "pods")).SelectMany(r => Items(r["verbs"])).Select(v => v.ToString());
        Assert.Superset(new HashSet<string> { "get", "list", "watch", "delete" }, verbs.ToHashSet());
    }

    [Fact]
    public void EachImageIsBuiltInStagesOntoANonRootRuntime()
    {
        foreach (var image in ChatContainers(Render("dev")).Select(c => Image(c.Container)))
        {
            var dockerfile = File.ReadAllText(Path.Combine(RepoPaths.Root, "docker", image["chat-".Length..] + ".Dockerfile"));
            var stages = Regex.Matches(dockerfile, "^FROM (\\S+)", RegexOptions.Multiline).Select(m => m.Groups[1].Value).ToList();
            Assert.True(stages.Count >= 2, $"{image}: a build stage and a runtime stage");
            Assert.Matches("^mcr.microsoft.com/dotnet/aspnet:10.0-.*chiseled", stages[^1]); // no shell, non-root user, small
            Assert.Contains("\nUSER $APP_UID", dockerfile);
            Assert.Contains($"-t {image} .", dockerfile); // the name the manifests use

            var project = Regex.Match(dockerfile, "dotnet publish (\\S+\\.csproj)").Groups[1].Value;
            var assembly = Regex.Match(File.ReadAllText(Path.Combine(RepoPaths.Root, project)), "<AssemblyName>(.+)</AssemblyName>").Groups[1].Value;
            Assert.Contains($"ENTRYPOINT [\"dotnet\", \"{assembly}.dll\"]", dockerfile);
            if (image == "chat-frontend")
            {
                Assert.Contains("COPY --from=webclient /src/src/WebClient/dist src/WebClient/dist", dockerfile); // the web client, built in
            }
        }
    }

    private static List<JsonObject> Render(string overlay)
    {
        lock (Rendered)
        {
            if (Rendered.TryGetValue(overlay, out var cached))
            {
                return cached;
            }

            var start = new ProcessStartInfo("kubectl", ["kustomize", Path.Combine(RepoPaths.Root, "k8s", "overlays", overlay)])
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            };
            using var kubectl = Process.Start(start)!;
            var errors = kubectl.StandardError.ReadToEndAsync();
            var yaml = kubectl.StandardOutput.ReadToEnd();
            kubectl.WaitForExit();
            Assert.True(kubectl.ExitCode == 0, $"kubectl kustomize {overlay}: {errors.Result}");

            var parser = new Parser(new StringReader(yaml));
            var deserializer = new DeserializerBuilder().Build();
            parser.Consume<StreamStart>();
            var docs = new List<JsonObject>();
            while (parser.Accept<DocumentStart>(out _))
            {
                docs.Add((JsonObject)ToJson(deserializer.Deserialize<object>(parser))!);
            }

            return Rendered[overlay] = docs;
        }
    }

    private static JsonNode? ToJson(object? yaml) => yaml switch
    {
        Dictionary<object, object?> map => new JsonObject(map.Select(e => KeyValuePair.Create(e.Key.ToString()!, ToJson(e.Value)))),
        List<object?> list => new JsonArray([.. list.Select(ToJson)]),
        null => null,
        _ => JsonValue.Create(yaml.ToString()),
    };

    private static IEnumerable<JsonObject> Of(List<JsonObject> docs, string kind) => docs.Where(d => (string?)d["kind"] == kind);

    private static string Name(JsonObject o) => (string)o["metadata"]!["name"]!;

    private static IEnumerable<JsonObject> Workloads(List<JsonObject> docs) => Of(docs, "Deployment").Concat(Of(docs, "StatefulSet"));

    private static Dictionary<string, string> TemplateLabels(JsonObject workload) => Map(workload["spec"]!["template"]!["metadata"]!["labels"]);

    private static IEnumerable<JsonObject> Containers(JsonObject workload) => Items(workload["spec"]!["template"]!["spec"]!["containers"]).Cast<JsonObject>();

    private static string Image(JsonObject container) => ((string)container["image"]!).Split(':')[0];

    /// <summary>Chat's own containers, with the file that maps their routes.</summary>
    private static IEnumerable<(JsonObject Container, string Program)> ChatContainers(List<JsonObject> docs) =>
        Of(docs, "Deployment").SelectMany(Containers).Select(c => (c, Image(c) switch
        {
            "chat-silo" => "src/Silo/SiloHttp.cs",
            "chat-frontend" => "src/WebFrontend/Program.cs",
            var other => throw new InvalidOperationException($"unknown image {other}"),
        }));

    private static Dictionary<string, string> Env(JsonObject container) =>
        Items(container["env"]).ToDictionary(e => (string)e["name"]!, e => (string?)e["value"] ?? "(from a field or secret)");

    private static IEnumerable<(string Secret, string? Key)> SecretReferences(JsonObject container) =>
        Items(container["envFrom"]).Where(f => f["secretRef"] is not null).Select(f => ((string)f["secretRef"]!["name"]!, (string?)null))
            .Concat(Items(container["env"]).Select(e => e["valueFrom"]?["secretKeyRef"]).OfType<JsonObject>()
                .Select(r => ((string)r["name"]!, (string?)r["key"])));

    /// <summary>The keys of a Secret: rendered (generated ones carry a hash suffix), else as documented for the operator.</summary>
    private static List<string> SecretKeys(List<JsonObject> docs, string name) =>
        Of(docs, "Secret").FirstOrDefault(s => BaseName(Name(s)) == BaseName(name)) is { } secret
            ? [.. Map(secret["data"]).Keys]
            : Documented().GetValueOrDefault(name, []);

    /// <summary>A generated object's name without the content hash kustomize appends.</summary>
    private static string BaseName(string name) => Regex.Replace(name, "-[a-z0-9]{10}$", "");

    /// <summary>The operator-created Secrets of docs/OPERATIONS.md's table: secret -> keys.</summary>
    private static Dictionary<string, List<string>> Documented() =>
        Regex.Matches(File.ReadAllText(Path.Combine(RepoPaths.Root, "docs", "OPERATIONS.md")), "^\\s*\\| `([a-z0-9-]+)` \\| `([A-Za-z0-9_]+)` \\|", RegexOptions.Multiline)
            .GroupBy(m => m.Groups[1].Value, m => m.Groups[2].Value).ToDictionary(g => g.Key, g => g.ToList());

    private static string Source(JsonNode? from) =>
        from?["podSelector"]?["matchLabels"]?["app"] is { } app ? app.ToString()
        : from?["namespaceSelector"]?["matchLabels"]?["kubernetes.io/metadata.name"] is { } ns ? $"namespace {ns}"
        : throw new InvalidOperationException($"unexpected source {from}");

    /// <summary>
    /// Whether the code reads this environment variable: a property of an options class bound from its section
    /// (<c>Chat__Silo__HttpPort</c> is <c>ChatSiloOptions.HttpPort</c>), or one the frameworks read.
    /// </summary>
    private static bool IsSetting(string name)
    {
        string[] framework = ["ASPNETCORE_URLS", "POD_NAME", "POD_NAMESPACE", "POD_IP", "ORLEANS_SERVICE_ID", "ORLEANS_CLUSTER_ID",
            "ConnectionStrings__Chat", "ConnectionStrings__Blobs", "Logging__Console__FormatterName"];
        if (framework.Contains(name))
        {
            return true;
        }

        var segments = name.Split("__").Where(s => !s.All(char.IsDigit)).ToArray(); // list indices
        return segments.Length >= 2 && Sections.TryGetValue(string.Join(':', segments[..^1]), out var properties) && properties.Contains(segments[^1]);
    }

    /// <summary>Every options class of Chat with its <c>Section</c>, and the properties it binds.</summary>
    private static readonly Dictionary<string, HashSet<string>> Sections =
        new[] { typeof(ChatSiloOptions).Assembly, typeof(ChatLimits).Assembly, typeof(WebFrontend.Realtime.RealtimeOptions).Assembly, typeof(BlobStorage.AttachmentOptions).Assembly }
            .SelectMany(a => a.GetTypes())
            .Select(t => (Type: t, Section: t.GetField("Section", BindingFlags.Public | BindingFlags.Static)?.GetRawConstantValue() as string))
            .Where(t => t.Section is not null)
            .ToDictionary(t => t.Section!, t => t.Type.GetProperties().Where(p => p.CanWrite).Select(p => p.Name).ToHashSet(StringComparer.OrdinalIgnoreCase), StringComparer.OrdinalIgnoreCase);

    private static Dictionary<string, string> Map(JsonNode? node) =>
        node is JsonObject o ? o.ToDictionary(e => e.Key, e => e.Value?.ToString() ?? "") : [];

    private static bool IsSubset(Dictionary<string, string> part, Dictionary<string, string> whole) =>
        part.Count > 0 && part.All(e => whole.GetValueOrDefault(e.Key) == e.Value);

    private static IEnumerable<JsonNode> Items(JsonNode? node) => node is JsonArray array ? array.OfType<JsonNode>() : [];
}
