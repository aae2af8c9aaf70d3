namespace Personalization.Grains.Events;

/// <summary>Which known fields of one JSON object were seen, so only a field's first value is read (ClientJson reports the repeat).</summary>
internal struct FieldSet
{
    private int _bits;

    public readonly bool Contains(int field) => (_bits & (1 << field)) != 0;

    public bool Add(int field)
    {
        var bit = 1 << field;
        if ((_bits & bit) != 0)
        {
            return false;
        }

        _bits |= bit;
        return true;
    }
}
