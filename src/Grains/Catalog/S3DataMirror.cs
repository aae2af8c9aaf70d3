using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Personalization.Grains.Catalog;

/// <summary>
/// Keeps a local copy of each <c>s3://</c> data file. Every sync asks S3 with <c>If-None-Match</c> on the ETag of the
/// copy (kept beside it, so a restarted silo does not download again); a changed object is downloaded to a temporary
/// file, checked complete (its length) and valid (the caller's check, e.g. the catalog parses), and only then moved
/// over the copy in one rename. A failed or invalid read leaves the previous copy, and so the live catalog, in place.
/// </summary>
public sealed partial class S3DataMirror(IOptions<CatalogSourceOptions> options, ILogger<S3DataMirror> logger, IS3ObjectReader? reader = null)
{
    private readonly string _directory = options.Value.S3.EffectiveCacheDirectory;
    private readonly ConcurrentDictionary<S3Location, string> _lastGood = new();

    /// <summary>
    /// Brings the local copy of <paramref name="location"/> up to date and returns its path.
    /// <paramref name="validate"/> gets the downloaded file and returns why it is unusable, or null.
    /// </summary>
    /// <exception cref="InvalidDataException">The object is unusable; the previous copy stays.</exception>
    /// <exception cref="FileNotFoundException">The object (or any object under the prefix) does not exist.</exception>
    /// <remarks>
    /// While S3 cannot be reached, the last good copy keeps serving (with a warning): the one this silo synced before,
    /// or for an object key a copy a previous run left with its ETag. A missing object is not an outage: it throws.
    /// </remarks>
    public async Task<string> SyncAsync(S3Location location, Func<string, CancellationToken, Task<string?>> validate, CancellationToken cancellationToken)
    {
        if (reader is null)
        {
            throw new InvalidDataException($"{location}: this silo has no S3 client (s3:// paths need the S3 source registered)");
        }

        try
        {
            var local = await SyncObjectAsync(reader, location, validate, cancellationToken).ConfigureAwait(false);
            _lastGood[location] = local;
            return local;
        }
        catch (IOException exception) when (exception is not FileNotFoundException && LastGood(location) is { } stale)
        {
            LogServingStale(logger, location.ToString(), exception.Message, stale);
            return stale;
        }
    }

    private string? LastGood(S3Location location)
    {
        if (_lastGood.TryGetValue(location, out var synced) && File.Exists(synced))
        {
            return synced;
        }

        var local = location.IsPrefix ? null : LocalPath(location);
        return local is not null && File.Exists(local) && File.Exists(local + ".etag") && ReadStamp(local + ".etag", location) is not null ? local : null;
    }

    private async Task<string> SyncObjectAsync(IS3ObjectReader reader, S3Location location, Func<string, CancellationToken, Task<string?>> validate, CancellationToken cancellationToken)
    {
        var objectLocation = location;
        if (location.IsPrefix)
        {
            var newest = await reader.FindNewestAsync(location, cancellationToken).ConfigureAwait(false)
                ?? throw new FileNotFoundException($"{location}: no object under this prefix");
            objectLocation = location with { Key = newest.Key };
        }

        var local = LocalPath(objectLocation);
        var stampPath = local + ".etag";
        var known = File.Exists(local) && File.Exists(stampPath) ? ReadStamp(stampPath, objectLocation) : null;
        Directory.CreateDirectory(Path.GetDirectoryName(local)!);
        var temporary = $"{local}.{Guid.NewGuid():N}.part";
        try
        {
            S3ObjectVersion? version;
            await using (var file = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16, FileOptions.Asynchronous))
            {
                version = await reader.DownloadIfChangedAsync(objectLocation, known, file, cancellationToken).ConfigureAwait(false);
            }

            if (version is null)
            {
                LogNotModified(logger, objectLocation.ToString());
                return local;
            }

            var length = new FileInfo(temporary).Length;
            if (length != version.Length)
            {
                throw new InvalidDataException($"{objectLocation}: incomplete download ({length} of {version.Length} bytes); the previous copy stays");
            }

            string? problem;
            try
            {
                problem = await validate(temporary, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception exception) when (exception is InvalidDataException or IOException or System.Text.DecoderFallbackException)
            {
                problem = $"unreadable ({exception.Message})";
            }

            if (problem is not null)
            {
                throw new InvalidDataException($"{objectLocation} (ETag {version.ETag}): {problem}; the previous copy stays");
            }

            File.Move(temporary, local, overwrite: true);
            await File.WriteAllTextAsync(stampPath, objectLocation + "\n" + version.ETag, cancellationToken).ConfigureAwait(false);
            LogDownloaded(logger, objectLocation.ToString(), version.ETag, version.Length, local);
            return local;
        }
        finally
        {
            File.Delete(temporary);
        }
    }

    private string LocalPath(S3Location location)
    {
        // One folder per bucket, the key's segments below it; segments that could climb out are replaced.
        var segments = location.Key.Split('/', StringSplitOptions.RemoveEmptyEntries)
            .Select(s => s is "." or ".." ? "_" : string.Concat(s.Select(c => Path.GetInvalidFileNameChars().Contains(c) ? '_' : c)));
        return Path.Combine([_directory, location.Bucket, .. segments]);
    }

    private static string? ReadStamp(string stampPath, S3Location location)
    {
        var lines = File.ReadAllLines(stampPath);
        return lines.Length == 2 && lines[0] == location.ToString() ? lines[1] : null;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Location}: S3 could not be asked ({Message}); the last good copy {Path} keeps serving")]
    private static partial void LogServingStale(ILogger logger, string location, string message, string path);

    [LoggerMessage(Level = LogLevel.Debug, Message = "{Location}: not modified")]
    private static partial void LogNotModified(ILogger logger, string location);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Location}: ETag {ETag}, {Length} bytes, copied to {Path}")]
    private static partial void LogDownloaded(ILogger logger, string location, string eTag, long length, string path);
}
