namespace Personalization.Grains.Recommenders.BuiltIn.Model;

/// <summary>The best <c>capacity</c> (item, score) pairs seen so far, best first: score, then popularity, then index.
/// Insertion is linear, which beats a heap for the result sizes served (≤ 500).</summary>
internal sealed class TopItems(int capacity)
{
    private readonly int[] _items = new int[capacity];
    private readonly float[] _scores = new float[capacity];
    private readonly double[] _popularity = new double[capacity];

    public int Count { get; private set; }

    public int Item(int position) => _items[position];

    public float Score(int position) => _scores[position];

    public bool WouldAccept(float score, double popularity, int item) =>
        Count < _items.Length || Better(score, popularity, item, Count - 1);

    public void Insert(int item, float score, double popularity)
    {
        var position = Count < _items.Length ? Count++ : Count - 1;
        while (position > 0 && Better(score, popularity, item, position - 1))
        {
            _items[position] = _items[position - 1];
            _scores[position] = _scores[position - 1];
            _popularity[position] = _popularity[position - 1];
            position--;
        }

        _items[position] = item;
        _scores[position] = score;
        _popularity[position] = popularity;
    }

    private bool Better(float score, double popularity, int item, int position) =>
        score != _scores[position] ? score > _scores[position]
        : popularity != _popularity[position] ? popularity > _popularity[position]
        : item < _items[position];
}
