using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Primitives;

namespace Personalization.Api.Auth;

/// <summary>
/// The API keys in force: those of the settings plus those of `Auth:ApiKeys:File`, re-read when the file changes (a
/// bad file keeps the previous keys and is logged). Keys are held as SHA-256 hashes only.
/// </summary>
internal sealed partial class ApiKeyStore : IDisposable
{
    private readonly IReadOnlyList<ApiKeyEntry> _configured;
    private readonly string? _file;
    private readonly ILogger<ApiKeyStore> _logger;
    private readonly PhysicalFileProvider? _watcher;
    private readonly IDisposable? _subscription;
    private volatile IReadOnlyList<ApiKeyEntry> _keys;

    public ApiKeyStore(AuthOptions options, ILogger<ApiKeyStore> logger)
    {
        _configured = options.ApiKeys;
        _file = options.ApiKeysFile;
        _logger = logger;
        _keys = _configured;
        if (_file is null)
        {
            return;
        }

        // A missing or invalid file at start-up is a deployment mistake: refuse to start rather than run with fewer keys.
        _keys = [.. _configured, .. ReadFile(_file)];
        _watcher = new PhysicalFileProvider(Path.GetDirectoryName(_file)!);
        _subscription = ChangeToken.OnChange(() => _watcher.Watch(Path.GetFileName(_file)), Reload);
    }

    public IReadOnlyList<ApiKeyEntry> Keys => _keys;

    /// <summary>
    /// The key whose hash matches, comparing against every key in constant time so the time taken tells nothing about
    /// how close a guess came or which key matched.
    /// </summary>
    public ApiKeyEntry? Find(string presented)
    {
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(Encoding.UTF8.GetBytes(presented), hash);
        ApiKeyEntry? match = null;
        foreach (var key in _keys)
        {
            if (CryptographicOperations.FixedTimeEquals(hash, key.Hash))
            {
                match ??= key;
            }
        }

        return match;
    }

    public static string HashOf(string key) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));

    private void Reload()
    {
        try
        {
            _keys = [.. _configured, .. ReadFile(_file!)];
            LogReloaded(_logger, _file!, _keys.Count);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException or AuthConfigurationException or JsonException)
        {
            LogReloadFailed(_logger, exception, _file!);
        }
    }

    /// <summary>`{"keys":[{"name","sha256","namespaces":[…],"scopes":[…]}]}` or the bare array.</summary>
    internal static IReadOnlyList<ApiKeyEntry> ReadFile(string path)
    {
        using var document = JsonDocument.Parse(File.ReadAllBytes(path));
        var root = document.RootElement;
        var array = root.ValueKind == JsonValueKind.Object && root.TryGetProperty("keys", out var keys) ? keys : root;
        if (array.ValueKind != JsonValueKind.Array)
        {
            throw new AuthConfigurationException([$"Auth__ApiKeys__File {path}: expected {{\"keys\":[…]}} or an array of keys."]);
        }

        var errors = new List<string>();
        var entries = new List<ApiKeyEntry>();
        var index = 0;
        foreach (var element in array.EnumerateArray())
        {
            var label = $"Auth__ApiKeys__File {path} key {index++}";
            var name = String(element, "name");
            var hex = String(element, "sha256") ?? string.Empty;
            var hash = hex.Length == 64 && hex.All(Uri.IsHexDigit) ? Convert.FromHexString(hex) : [];
            if (string.IsNullOrWhiteSpace(name) || hash.Length != 32)
            {
                errors.Add($"{label}: needs a name and the 64 hex digits of the key's SHA-256.");
                continue;
            }

            var entry = new ApiKeyEntry { Name = name, Hash = hash, Namespaces = List(element, "namespaces"), Scopes = List(element, "scopes") };
            errors.AddRange(AuthOptionsValidator.ValidateKey(entry, label));
            entries.Add(entry);
        }

        return errors.Count == 0 ? entries : throw new AuthConfigurationException(errors);
    }

    private static string? String(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static string[] List(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Array
            ? value.EnumerateArray().Where(v => v.ValueKind == JsonValueKind.String).Select(v => v.GetString()!).ToArray()
            : [];

    public void Dispose()
    {
        _subscription?.Dispose();
        _watcher?.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "API keys re-read from {Path}: {Count} keys in force")]
    private static partial void LogReloaded(ILogger logger, string path, int count);

    [LoggerMessage(Level = LogLevel.Error, Message = "API key file {Path} could not be read; the previous keys stay in force")]
    private static partial void LogReloadFailed(ILogger logger, Exception exception, string path);
}
