using System.Globalization;
using System.Net.Http.Json;

namespace SafetyWorkflows.Benchmarks;

/// <summary>
/// Sign-in timing (issue 15): a wrong password for a name that exists against one for a name that does not. The two must
/// cost the same, or the answer's timing tells which user names exist; the ratio should be close to 1.
/// Throttling is opened wide here so that every attempt is judged.
/// </summary>
internal static class SignInBench
{
    public static async Task RunAsync(int attempts)
    {
        using var host = new BenchHost(settings: new Dictionary<string, string>
        {
            ["Security:SignIn:BackoffSeconds"] = "0",
            ["Security:SignIn:MaxFailures"] = "100",
            ["Security:SignIn:MaxFailuresPerAddress"] = "10000",
        });
        var client = host.CreateClient();
        string[] known = ["zhaomin", "chenjing", "wangqiang", "liuhua", "wujie", "zhengyu", "yangshan", "mali"];

        async Task AttemptAsync(string userName)
        {
            using var response = await client.PostAsJsonAsync("/api/auth/token", new { userName, password = "wrong-password" });
            if ((int)response.StatusCode != 401)
            {
                throw new InvalidOperationException($"expected 401 for {userName}, got {(int)response.StatusCode}");
            }
        }

        await AttemptAsync("warm-up");
        var knownTimes = new List<double>();
        var unknownTimes = new List<double>();
        for (var i = 0; i < attempts; i++)
        {
            // Interleaved, so that drift on the machine falls on both alike.
            knownTimes.AddRange(await Measure.TimesAsync(1, _ => AttemptAsync(known[i % known.Length])));
            unknownTimes.AddRange(await Measure.TimesAsync(1, _ => AttemptAsync($"nobody-{i}")));
        }

        var knownP50 = Measure.Percentile([.. knownTimes], 50);
        var unknownP50 = Measure.Percentile([.. unknownTimes], 50);
        Console.WriteLine($"wrong password, known name:   {Measure.Describe([.. knownTimes])}");
        Console.WriteLine($"wrong password, unknown name: {Measure.Describe([.. unknownTimes])}");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"ratio unknown/known (p50): {unknownP50 / knownP50:0.00}"));
    }
}
