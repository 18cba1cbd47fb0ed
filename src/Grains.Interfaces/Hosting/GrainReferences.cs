using System.Collections.Concurrent;
using Orleans.Metadata;

namespace Chat.Grains.Hosting;

/// <summary>
/// Grain references for hot paths, without Orleans' per-call type lookup. <c>GetGrain&lt;T&gt;(key)</c> works out the
/// interface's <see cref="GrainInterfaceType"/> on every call, by reading its attributes through reflection and by
/// formatting its type name (Orleans 10 keeps no cache of it): in the frontend that cost as much as the rest of a hub
/// call's own pipeline. Here each interface's type is worked out once. The grain type still comes from Orleans'
/// resolver, which caches it per cluster manifest; one it cannot tell yet (a client before its first manifest) is
/// left to Orleans' own path.
/// </summary>
public sealed class GrainReferences(IGrainFactory factory, GrainInterfaceTypeResolver interfaces, GrainInterfaceTypeToGrainTypeResolver grainTypes)
{
    private readonly ConcurrentDictionary<Type, GrainInterfaceType> _interfaceTypes = new();

    public T Get<T>(Guid key) where T : IGrainWithGuidKey
    {
        var interfaceType = _interfaceTypes.GetOrAdd(typeof(T), static (type, resolver) => resolver.GetGrainInterfaceType(type), interfaces);
        GrainType grainType;
        try
        {
            grainType = grainTypes.GetGrainType(interfaceType);
        }
        catch (ArgumentException)
        {
            return factory.GetGrain<T>(key);
        }

        return (T)factory.GetGrain(GrainId.Create(grainType, GrainIdKeyExtensions.CreateGuidKey(key)), interfaceType);
    }
}
