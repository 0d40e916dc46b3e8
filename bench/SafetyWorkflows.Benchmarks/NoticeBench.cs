using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;

namespace SafetyWorkflows.Benchmarks;

/// <summary>
/// Official notices (issue 11): the first fetch of a notice (number, render, sign, store, audit) against a later fetch
/// (stored bytes), one at a time and from several callers at once, and that the 文号 stayed gap-free under that load.
/// </summary>
internal static class NoticeBench
{
    public static async Task RunAsync(int orders, int parallel)
    {
        var start = Stopwatch.StartNew();
        using var host = new BenchHost();
        var clerk = await host.ClientForAsync("zhaomin");
        var head = await host.ClientForAsync("wangqiang");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"host start (migrate, seed, signing key): {start.Elapsed.TotalSeconds:0.0} s"));

        var ids = new List<Guid>();
        for (var i = 0; i < orders * 2; i++)
        {
            ids.Add(await IssuedOrderAsync(clerk, head, i));
        }

        var sequential = ids.Take(orders).ToList();
        var first = await Measure.TimesAsync(sequential.Count, i => FetchAsync(head, sequential[i]));
        var again = await Measure.TimesAsync(sequential.Count, i => FetchAsync(head, sequential[i]));
        Console.WriteLine($"first fetch (issue), one at a time:  {Measure.Describe(first)}");
        Console.WriteLine($"later fetch (stored bytes):          {Measure.Describe(again)}");

        var concurrent = ids.Skip(orders).ToList();
        var watch = Stopwatch.StartNew();
        using var gate = new SemaphoreSlim(parallel);
        var times = await Task.WhenAll(concurrent.Select(async id =>
        {
            await gate.WaitAsync();
            try
            {
                var one = Stopwatch.StartNew();
                await FetchAsync(head, id);
                return one.Elapsed.TotalMilliseconds;
            }
            finally
            {
                gate.Release();
            }
        }));
        Console.WriteLine($"first fetch (issue), {parallel} callers:    {Measure.Describe(times)}; " +
            string.Create(CultureInfo.InvariantCulture, $"{concurrent.Count / watch.Elapsed.TotalSeconds:0.0} notices/s"));

        var numbers = new List<int>();
        foreach (var id in ids)
        {
            var notice = (await head.GetFromJsonAsync<JsonElement>($"/api/documents/{id}/notices")).EnumerateArray().Single();
            var number = notice.GetProperty("number").GetString()!;
            numbers.Add(int.Parse(number[(number.IndexOf('〕') + 1)..^1], CultureInfo.InvariantCulture));
        }

        var gapFree = numbers.Order().SequenceEqual(Enumerable.Range(1, ids.Count));
        Console.WriteLine($"文号 1..{ids.Count} without gaps or repeats: {(gapFree ? "yes" : "NO")}");
        if (!gapFree)
        {
            throw new InvalidOperationException("notice numbers have gaps or repeats");
        }
    }

    private static async Task FetchAsync(HttpClient client, Guid id)
    {
        using var response = await client.GetAsync($"/api/documents/{id}/notice.pdf");
        response.EnsureSuccessStatusCode();
        _ = await response.Content.ReadAsByteArrayAsync();
    }

    private static async Task<Guid> IssuedOrderAsync(HttpClient clerk, HttpClient head, int i)
    {
        var metadata = JsonSerializer.Serialize(new
        {
            inspectedUnit = "xiangnan-chemical", hazardDescription = $"第{i + 1}处储罐静电接地失效", location = "储罐区", grade = "一般", deadline = "2027-06-30",
        });
        using var form = new MultipartFormDataContent
        {
            { new ByteArrayContent(System.Text.Encoding.ASCII.GetBytes($"%PDF-1.4\n% order {i} {Guid.NewGuid()}\n%%EOF\n")), "file", "order.pdf" },
            { new StringContent(metadata), "metadata" },
            { new StringContent($"储罐区隐患整改通知{i + 1}"), "title" },
        };
        var upload = await clerk.PostAsync("/api/libraries/rectification-orders/documents", form);
        upload.EnsureSuccessStatusCode();
        var id = (await upload.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        (await clerk.PostAsync($"/api/documents/{id}/submit", null)).EnsureSuccessStatusCode();
        var tasks = await head.GetFromJsonAsync<JsonElement>("/api/tasks?state=open&pageSize=200");
        var task = tasks.GetProperty("items").EnumerateArray()
            .First(t => t.GetProperty("documentId").ValueKind == JsonValueKind.String && t.GetProperty("documentId").GetGuid() == id).GetProperty("id").GetGuid();
        (await head.PostAsJsonAsync($"/api/tasks/{task}/decisions", new { commandId = Guid.NewGuid().ToString(), action = "approve", opinion = "同意" }))
            .EnsureSuccessStatusCode();
        return id;
    }
}
