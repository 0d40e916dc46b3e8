using SafetyWorkflows.Workflows.Expressions;

namespace SafetyWorkflows.UnitTests.Workflows.Expressions;

public sealed class BoundedCacheTests
{
    [Fact]
    public void GetOrAdd_ReturnsCachedValue_WhenKeyWasAddedBefore()
    {
        var cache = new BoundedCache<int>(2);
        var calls = 0;

        cache.GetOrAdd("a", _ => ++calls);
        var second = cache.GetOrAdd("a", _ => ++calls);

        Assert.Equal(1, second);
        Assert.Equal(1, calls);
    }

    [Fact]
    public void GetOrAdd_EvictsLeastRecentlyUsed_WhenCapacityIsExceeded()
    {
        var cache = new BoundedCache<string>(2);
        cache.GetOrAdd("a", k => k);
        cache.GetOrAdd("b", k => k);
        cache.GetOrAdd("a", k => k);

        cache.GetOrAdd("c", k => k);
        var rebuilt = false;
        cache.GetOrAdd("b", k => { rebuilt = true; return k; });

        Assert.True(rebuilt);
        Assert.Equal(2, cache.Count);
    }

    [Fact]
    public void GetOrAdd_CachesNothing_WhenFactoryThrows()
    {
        var cache = new BoundedCache<string>(2);

        Assert.Throws<InvalidOperationException>(() => cache.GetOrAdd("bad", _ => throw new InvalidOperationException()));

        Assert.Equal(0, cache.Count);
    }
}
