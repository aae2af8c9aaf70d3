using System.Buffers;
using System.Buffers.Binary;
using System.Numerics;
using System.Text;

namespace Personalization.Grains.Experiments;

/// <summary>
/// XXH64 (the reference xxHash 64-bit algorithm), written here because System.IO.Hashing is not available.
/// Assignment must be identical on every silo, process and .NET version, which rules out string.GetHashCode.
/// </summary>
internal static class StableHash
{
    private const ulong Prime1 = 11400714785074694791UL;
    private const ulong Prime2 = 14029467366897019727UL;
    private const ulong Prime3 = 1609587929392839161UL;
    private const ulong Prime4 = 9650029242287828579UL;
    private const ulong Prime5 = 2870177450012600261UL;

    private const int StackLimit = 512;

    public static ulong Hash(ReadOnlySpan<byte> data, ulong seed)
    {
        var length = data.Length;
        var offset = 0;
        ulong hash;
        if (length >= 32)
        {
            var v1 = seed + Prime1 + Prime2;
            var v2 = seed + Prime2;
            var v3 = seed;
            var v4 = seed - Prime1;
            do
            {
                v1 = Round(v1, BinaryPrimitives.ReadUInt64LittleEndian(data[offset..]));
                v2 = Round(v2, BinaryPrimitives.ReadUInt64LittleEndian(data[(offset + 8)..]));
                v3 = Round(v3, BinaryPrimitives.ReadUInt64LittleEndian(data[(offset + 16)..]));
                v4 = Round(v4, BinaryPrimitives.ReadUInt64LittleEndian(data[(offset + 24)..]));
                offset += 32;
            }
            while (offset <= length - 32);

            hash = BitOperations.RotateLeft(v1, 1) + BitOperations.RotateLeft(v2, 7)
                + BitOperations.RotateLeft(v3, 12) + BitOperations.RotateLeft(v4, 18);
            hash = MergeRound(hash, v1);
            hash = MergeRound(hash, v2);
            hash = MergeRound(hash, v3);
            hash = MergeRound(hash, v4);
        }
        else
        {
            hash = seed + Prime5;
        }

        hash += (ulong)length;
        while (offset + 8 <= length)
        {
            hash ^= Round(0, BinaryPrimitives.ReadUInt64LittleEndian(data[offset..]));
            hash = (BitOperations.RotateLeft(hash, 27) * Prime1) + Prime4;
            offset += 8;
        }

        if (offset + 4 <= length)
        {
            hash ^= BinaryPrimitives.ReadUInt32LittleEndian(data[offset..]) * Prime1;
            hash = (BitOperations.RotateLeft(hash, 23) * Prime2) + Prime3;
            offset += 4;
        }

        while (offset < length)
        {
            hash ^= data[offset] * Prime5;
            hash = BitOperations.RotateLeft(hash, 11) * Prime1;
            offset++;
        }

        return Avalanche(hash);
    }

    /// <summary>XXH64 of the 8 little-endian bytes of <paramref name="value"/>, without touching memory.</summary>
    public static ulong Hash(ulong value, ulong seed)
    {
        var hash = seed + Prime5 + 8;
        hash ^= Round(0, value);
        hash = (BitOperations.RotateLeft(hash, 27) * Prime1) + Prime4;
        return Avalanche(hash);
    }

    /// <summary>XXH64 of the UTF-8 bytes of <paramref name="text"/>; allocation-free for ordinary ids.</summary>
    public static ulong Hash(string text, ulong seed)
    {
        var maxBytes = Encoding.UTF8.GetMaxByteCount(text.Length);
        if (maxBytes <= StackLimit)
        {
            Span<byte> buffer = stackalloc byte[maxBytes];
            var written = Encoding.UTF8.GetBytes(text, buffer);
            return Hash(buffer[..written], seed);
        }

        var rented = ArrayPool<byte>.Shared.Rent(maxBytes);
        try
        {
            var written = Encoding.UTF8.GetBytes(text, rented);
            return Hash(rented.AsSpan(0, written), seed);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    /// <summary>Maps a hash to a uniform double in (0, 1]: never 0, so -ln(u) is always finite.</summary>
    public static double ToUnitInterval(ulong hash) => ((hash >> 11) + 1) * (1.0 / (1UL << 53));

    private static ulong Round(ulong accumulator, ulong input)
    {
        accumulator += input * Prime2;
        accumulator = BitOperations.RotateLeft(accumulator, 31);
        return accumulator * Prime1;
    }

    private static ulong MergeRound(ulong accumulator, ulong value)
    {
        accumulator ^= Round(0, value);
        return (accumulator * Prime1) + Prime4;
    }

    private static ulong Avalanche(ulong hash)
    {
        hash ^= hash >> 33;
        hash *= Prime2;
        hash ^= hash >> 29;
        hash *= Prime3;
        hash ^= hash >> 32;
        return hash;
    }
}
