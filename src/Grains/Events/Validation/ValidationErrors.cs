namespace Personalization.Grains.Events;

/// <summary>Collects validation errors; allocates nothing while the body is valid.</summary>
internal sealed class ValidationErrors
{
    private List<EventValidationError>? _errors;

    public int Count => _errors?.Count ?? 0;

    public void Add(FieldPath path, string message) => (_errors ??= []).Add(new EventValidationError(path.ToString(), message));

    public bool Has(string path) => _errors?.Exists(e => e.Path == path) ?? false;

    public IReadOnlyList<EventValidationError> ToList() => (IReadOnlyList<EventValidationError>?)_errors ?? [];
}
