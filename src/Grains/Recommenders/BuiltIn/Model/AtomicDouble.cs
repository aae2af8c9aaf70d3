namespace Personalization.Grains.Recommenders.BuiltIn.Model;

internal static class AtomicDouble
{
    public static void Add(ref double target, double amount)
    {
        var current = Volatile.Read(ref target);
        while (true)
        {
            var seen = Interlocked.CompareExchange(ref target, current + amount, current);
            if (seen.Equals(current))
            {
                return;
            }

            current = seen;
        }
    }
}
