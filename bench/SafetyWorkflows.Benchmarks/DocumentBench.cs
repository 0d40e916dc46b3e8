using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.Data.Sqlite;

namespace SafetyWorkflows.Benchmarks;

/// <summary>
/// Upload and check-in throughput through the HTTP API, and the document list's latency as the library grows from
/// 1,000 to 100,000 documents (bulk-inserted with the shape the app writes).
/// </summary>
internal static class DocumentBench
{
    private const string Letters = "/api/libraries/responsibility-letters/documents";

    public static async Task RunAsync(int uploads, int largeCount)
    {
        using var host = new BenchHost();
        var clerk = await host.ClientForAsync("zhaomin");
        var village = await host.ClientForAsync("yangshan");

        await UploadAsync(clerk, 5); // warm-up
        var watch = Stopwatch.StartNew();
        var ids = await UploadAsync(clerk, uploads);
        var uploadSeconds = watch.Elapsed.TotalSeconds;
        Console.WriteLine($"upload (HTTP multipart, 20 KB pdf, SQLite + file store + audit): {uploads / uploadSeconds:0.0} documents/s over {uploads}");

        watch.Restart();
        foreach (var id in ids)
        {
            (await clerk.PostAsync($"/api/documents/{id}/checkout", null)).EnsureSuccessStatusCode();
            (await clerk.PostAsync($"/api/documents/{id}/checkin", CheckIn(Pdf(20_000)))).EnsureSuccessStatusCode();
        }

        var cycleSeconds = watch.Elapsed.TotalSeconds;
        Console.WriteLine($"check-out + check-in cycle: {ids.Count / cycleSeconds:0.0} cycles/s over {ids.Count}");

        await BulkInsertAsync(host.DatabasePath, 1_000 - ids.Count - 5);
        var small = await ListLatenciesAsync(clerk, village, "1,000");
        await BulkInsertAsync(host.DatabasePath, largeCount - 1_000);
        var large = await ListLatenciesAsync(clerk, village, $"{largeCount:N0}");

        Console.WriteLine();
        Console.WriteLine($"ratio p95 at {largeCount:N0} / p95 at 1,000 documents (1.0 = flat):");
        foreach (var (name, times) in large)
        {
            Console.WriteLine($"  {name,-32} {Measure.Percentile(times, 95) / Measure.Percentile(small[name], 95):0.00}x");
        }
    }

    private static async Task<Dictionary<string, double[]>> ListLatenciesAsync(HttpClient clerk, HttpClient village, string label)
    {
        var cases = new Dictionary<string, (HttpClient Client, string Url)>
        {
            ["first page (township clerk)"] = (clerk, $"{Letters}?page=1&pageSize=20"),
            ["status=Draft"] = (clerk, $"{Letters}?status=Draft&pageSize=20"),
            ["unitId filter"] = (clerk, $"{Letters}?unitId=liutang-village&pageSize=20"),
            ["village official (own unit)"] = (village, $"{Letters}?pageSize=20"),
            ["text search q="] = (clerk, $"{Letters}?q=%E6%9F%B3%E5%A1%98-77&pageSize=20"),
            ["page 200"] = (clerk, $"{Letters}?page=200&pageSize=20"),
        };
        var results = new Dictionary<string, double[]>();
        Console.WriteLine();
        Console.WriteLine($"document list latency with {label} documents in the library:");
        foreach (var (name, (client, url)) in cases)
        {
            (await client.GetAsync(url)).EnsureSuccessStatusCode();
            var times = await Measure.TimesAsync(30, async _ => (await client.GetAsync(url)).EnsureSuccessStatusCode());
            results[name] = times;
            Console.WriteLine($"  {name,-32} {Measure.Describe(times)}");
        }

        return results;
    }

    private static async Task<List<Guid>> UploadAsync(HttpClient client, int count)
    {
        var ids = new List<Guid>();
        for (var i = 0; i < count; i++)
        {
            var response = await client.PostAsync(Letters, Upload(Pdf(20_000)));
            response.EnsureSuccessStatusCode();
            ids.Add(JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetGuid());
        }

        return ids;
    }

    private static async Task BulkInsertAsync(string databasePath, int count)
    {
        string[] units = ["qingshan-village", "liutang-village", "shuangqiao-village", "hongxing-village", "dongyue-community", "hengnan-no8"];
        string[] statuses = ["Draft", "Pending", "Approved", "Published", "Signed"];
        var start = DateTimeOffset.UtcNow.AddDays(-365).UtcTicks;
        await using var connection = new SqliteConnection($"Data Source={databasePath};Pooling=False");
        await connection.OpenAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = """
            INSERT INTO Documents (Id, LibraryKey, Title, UnitId, MetadataJson, Status, CurrentMajor, CurrentMinor, CreatedBy, CreatedAt, UpdatedAt, Revision)
            VALUES ($id, 'responsibility-letters', $title, $unit, $meta, $status, 0, 1, 'zhaomin', $at, $at, 1)
            """;
        var id = command.Parameters.Add("$id", SqliteType.Text);
        var title = command.Parameters.Add("$title", SqliteType.Text);
        var unit = command.Parameters.Add("$unit", SqliteType.Text);
        var meta = command.Parameters.Add("$meta", SqliteType.Text);
        var status = command.Parameters.Add("$status", SqliteType.Text);
        var at = command.Parameters.Add("$at", SqliteType.Integer);
        for (var i = 0; i < count; i++)
        {
            var u = units[i % units.Length];
            id.Value = Guid.NewGuid().ToString().ToUpperInvariant();
            title.Value = string.Create(CultureInfo.InvariantCulture, $"{(u == "liutang-village" ? "柳塘" : "责任书")}-{i} 安全生产责任书");
            unit.Value = u;
            meta.Value = $$"""{"counterpartyUnit":"{{u}}","year":2024,"counterpartyKind":"村(社区)"}""";
            status.Value = statuses[i % statuses.Length];
            at.Value = start + (i * TimeSpan.TicksPerMinute);
            await command.ExecuteNonQueryAsync();
        }

        await transaction.CommitAsync();
    }

    private static byte[] Pdf(int size)
    {
        var bytes = new byte[size];
        Random.Shared.NextBytes(bytes);
        Encoding.ASCII.GetBytes("%PDF-1.4\n").CopyTo(bytes, 0);
        return bytes;
    }

    private static MultipartFormDataContent Upload(byte[] pdf)
    {
        var form = new MultipartFormDataContent
        {
            { new ByteArrayContent(pdf), "file", "责任书.pdf" },
            { new StringContent("""{"counterpartyUnit":"qingshan-village","year":2024,"counterpartyKind":"村(社区)"}"""), "metadata" },
        };
        return form;
    }

    private static MultipartFormDataContent CheckIn(byte[] pdf) => new()
    {
        { new ByteArrayContent(pdf), "file", "责任书-修订.pdf" },
        { new StringContent("修订"), "comment" },
    };
}
