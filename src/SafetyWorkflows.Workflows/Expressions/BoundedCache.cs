namespace SafetyWorkflows.Workflows.Expressions;

/// <summary>
/// A small least-recently-used cache of parsed scripts and templates, keyed by their source text. Workflows reuse the
/// same few expressions thousands of times, but definitions are user-edited, so the cache must not grow without bound.
/// </summary>
internal sealed class BoundedCache<TValue>(int capacity)
{
    private readonly Dictionary<string, LinkedListNode<(string Key, TValue Value)>> _entries = new(StringComparer.Ordinal);
    private readonly LinkedList<(string Key, TValue Value)> _recency = new();
    private readonly Lock _gate = new();

    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _entries.Count;
            }
        }
    }

    public TValue GetOrAdd(string key, Func<string, TValue> create)
    {
        lock (_gate)
        {
            if (_entries.TryGetValue(key, out var node))
            {
                _recency.Remove(node);
                _recency.AddFirst(node);
                return node.Value.Value;
            }
        }

        // Parsing runs outside the lock: two threads may parse the same text at once, which is harmless.
        var value = create(key);

        lock (_gate)
        {
            if (_entries.TryGetValue(key, out var existing))
            {
                return existing.Value.Value;
            }

            _entries[key] = _recency.AddFirst((key, value));
            while (_entries.Count > capacity && _recency.Last is { } oldest)
            {
                _recency.RemoveLast();
                _entries.Remove(oldest.Value.Key);
            }

            return value;
        }
    }
}
