namespace Personalization.Runtime;

/// <summary>Hands out references to grains. A reference is cheap, can be cached, and never exposes the grain object.</summary>
public interface IGrainFactory
{
    TGrainInterface GetGrain<TGrainInterface>(string key) where TGrainInterface : IGrainWithStringKey;
}
