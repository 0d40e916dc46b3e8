using System.Diagnostics;
using System.Globalization;

namespace SafetyWorkflows.Benchmarks;

internal static class Measure
{
    public static async Task<double[]> TimesAsync(int count, Func<int, Task> action)
    {
        var times = new double[count];
        for (var i = 0; i < count; i++)
        {
            var watch = Stopwatch.StartNew();
            await action(i);
            times[i] = watch.Elapsed.TotalMilliseconds;
        }

        return times;
    }

    public static double Percentile(double[] values, double p)
    {
        var sorted = values.Order().ToArray();
        var rank = (int)Math.Ceiling(p / 100 * sorted.Length) - 1;
        return sorted[Math.Clamp(rank, 0, sorted.Length - 1)];
    }

    public static string Ms(double value) => value.ToString("0.00", CultureInfo.InvariantCulture) + " ms";

    public static string Describe(double[] times) =>
        $"p50 {Ms(Percentile(times, 50))}, p95 {Ms(Percentile(times, 95))}, max {Ms(times.Max())} (n={times.Length})";
}
