namespace Personalization.Runtime.Storage;

public static class GrainStorageNames
{
    /// <summary>The storage a [PersistentState] without a storage name uses.</summary>
    public const string Default = "Default";
}
