namespace Personalization.Grains.Recommenders.BuiltIn.Model;

/// <summary>A per-thread dense score row with a touched list, so scoring allocates nothing and clearing costs
/// only what was touched. Scoring is synchronous, so a thread never holds two at once. Items observed while
/// scoring may have indices past the size asked for, so writes grow the row on demand.</summary>
internal sealed class ScoreAccumulator
{
    [ThreadStatic]
    private static ScoreAccumulator? t_instance;

    private float[] _scores = new float[1024];
    private bool[] _blocked = new bool[1024];
    private int[] _touched = new int[256];

    public int TouchedCount { get; private set; }

    public static ScoreAccumulator Rent(int itemCount)
    {
        var accumulator = t_instance ??= new ScoreAccumulator();
        accumulator.EnsureCapacity(itemCount);
        return accumulator;
    }

    public int Touched(int position) => _touched[position];

    public float this[int item] => item < _scores.Length ? _scores[item] : 0;

    public bool IsBlocked(int item) => item < _blocked.Length && _blocked[item];

    public void Add(int item, float amount)
    {
        if (!(amount > 0))
        {
            return;
        }

        EnsureCapacity(item + 1);

        if (_scores[item] == 0 && !_blocked[item])
        {
            Touch(item);
        }

        _scores[item] += amount;
    }

    public void Block(int item)
    {
        EnsureCapacity(item + 1);
        if (_scores[item] == 0 && !_blocked[item])
        {
            Touch(item);
        }

        _blocked[item] = true;
    }

    public void Clear()
    {
        for (var i = 0; i < TouchedCount; i++)
        {
            _scores[_touched[i]] = 0;
            _blocked[_touched[i]] = false;
        }

        TouchedCount = 0;
    }

    private void Touch(int item)
    {
        if (TouchedCount == _touched.Length)
        {
            Array.Resize(ref _touched, _touched.Length * 2);
        }

        _touched[TouchedCount++] = item;
    }

    private void EnsureCapacity(int itemCount)
    {
        if (_scores.Length < itemCount)
        {
            var size = Math.Max(itemCount, _scores.Length * 2);
            Array.Resize(ref _scores, size);
            Array.Resize(ref _blocked, size);
        }
    }
}
