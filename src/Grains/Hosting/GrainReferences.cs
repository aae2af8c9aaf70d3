namespace Personalization.Grains.Hosting;

/// <summary>
/// References to the <typeparamref name="TGrainInterface"/> grains by string key. Orleans'
/// <c>GetGrain&lt;T&gt;(string)</c> looks the interface's grain type up by reflection on every call (about 5% of a
/// cache hit's CPU, profiled); this resolves the grain and interface types once and builds each reference from them.
/// </summary>
public sealed class GrainReferences<TGrainInterface>(IGrainFactory grains)
    where TGrainInterface : IGrainWithStringKey
{
    private GrainType _grainType;
    private GrainInterfaceType _interfaceType;
    private volatile bool _resolved;

    public TGrainInterface Get(string key)
    {
        if (_resolved)
        {
            return (TGrainInterface)grains.GetGrain(GrainId.Create(_grainType, key), _interfaceType);
        }

        var grain = grains.GetGrain<TGrainInterface>(key);
        var reference = (GrainReference)(object)grain;
        _grainType = reference.GrainId.Type;
        _interfaceType = reference.InterfaceType;
        _resolved = true;
        return grain;
    }
}
