namespace Personalization.Runtime.Storage;

/// <summary>A persistent state the activation loads before OnActivateAsync.</summary>
internal interface IPersistentStateLoader
{
    Task LoadAsync(CancellationToken cancellationToken);
}
