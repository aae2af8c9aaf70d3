using System.IO.Compression;

namespace Personalization.Grains.Catalog;

/// <summary>Opens data files that may be gzip-compressed (recognised by magic bytes, so a misnamed file still works).</summary>
public static class DataFileStreams
{
    private const int BufferSize = 1 << 16;

    public static Stream OpenRead(string path)
    {
        var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, BufferSize, FileOptions.SequentialScan | FileOptions.Asynchronous);
        try
        {
            return Decompressing(file);
        }
        catch
        {
            file.Dispose();
            throw;
        }
    }

    /// <summary>Wraps a seekable stream in a gzip decoder when it starts with the gzip magic bytes.</summary>
    public static Stream Decompressing(Stream stream)
    {
        if (!stream.CanSeek)
        {
            return stream;
        }

        var start = stream.Position;
        var first = stream.ReadByte();
        var second = stream.ReadByte();
        stream.Position = start;
        return first == 0x1f && second == 0x8b ? new GZipStream(stream, CompressionMode.Decompress) : stream;
    }

    /// <summary>Creates a file, gzip-compressed when its name ends in <c>.gz</c>.</summary>
    public static Stream CreateWrite(string path)
    {
        var directory = Path.GetDirectoryName(Path.GetFullPath(path));
        if (!string.IsNullOrEmpty(directory))
        {
            Directory.CreateDirectory(directory);
        }

        var file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, BufferSize, FileOptions.Asynchronous);
        return path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase)
            ? new GZipStream(file, CompressionLevel.Optimal)
            : file;
    }
}
