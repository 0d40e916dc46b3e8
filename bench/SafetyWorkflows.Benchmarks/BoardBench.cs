using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Data.Sqlite;

namespace SafetyWorkflows.Benchmarks;

/// <summary>
/// The hazard board (issue 11): <c>GET /api/board/hazards</c> over N open rectification orders (plus a fifth as many
/// closed ones in the trend, and a listing step on every tenth), bulk-inserted into SQLite with the shape the app writes;
/// the township view (safety head) and a village head's, as kept between changes; the township view recomputed after a
/// change to an order; then the ledger export (.xlsx) of all of them.
/// Target: board p95 under 100 ms at 10,000 open orders.
/// </summary>
internal static class BoardBench
{
    private const int WarmUpCalls = 5;

    private static readonly string[] Units =
        ["xiangnan-chemical", "hongyun-fireworks", "shitang-quarry", "dongyue-construction", "huaqiao-primary", "hengnan-no8", "qingshan-village", "liutang-village"];

    public static async Task RunAsync(int openOrders, int calls)
    {
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"board: {Environment.ProcessorCount} cores, .NET {Environment.Version}, {openOrders:N0} open orders, {calls} calls per view after {WarmUpCalls} warm-up calls"));
        using var host = new BenchHost();
        var head = await host.ClientForAsync("wangqiang");
        var village = await host.ClientForAsync("yangshan");
        await BulkInsertAsync(host.DatabasePath, openOrders, openOrders / 5);

        var township = await CallsAsync(head, "/api/board/hazards", calls);
        var items = (await head.GetFromJsonAsync<JsonElement>("/api/board/hazards")).GetProperty("items").GetArrayLength();
        Console.WriteLine($"  township board (wangqiang, {items:N0} items): {Measure.Describe(township)}");
        var villageTimes = await CallsAsync(village, "/api/board/hazards", calls);
        var villageItems = (await village.GetFromJsonAsync<JsonElement>("/api/board/hazards")).GetProperty("items").GetArrayLength();
        Console.WriteLine($"  village head's board (yangshan, {villageItems:N0} items): {Measure.Describe(villageTimes)}");

        // The board is kept until an order changes: touch one order before each call to time the recomputation too.
        await using var connection = new SqliteConnection($"Data Source={host.DatabasePath};Pooling=False");
        await connection.OpenAsync();
        await using var touch = connection.CreateCommand();
        touch.CommandText = "UPDATE Documents SET UpdatedAt = UpdatedAt + 1, Revision = Revision + 1 WHERE rowid = (SELECT MAX(rowid) FROM Documents)";
        var recomputed = await Measure.TimesAsync(Math.Max(1, Math.Min(calls, 20)), async _ =>
        {
            await touch.ExecuteNonQueryAsync();
            using var response = await head.GetAsync("/api/board/hazards");
            response.EnsureSuccessStatusCode();
            await response.Content.ReadAsByteArrayAsync();
        });
        Console.WriteLine($"  township board recomputed after a change to an order (each call; includes the UPDATE): {Measure.Describe(recomputed)}");

        var exportCalls = Math.Max(1, Math.Min(calls, 5));
        long bytes = 0;
        var exports = await Measure.TimesAsync(exportCalls, async _ =>
        {
            using var response = await head.GetAsync("/api/board/hazards/export?format=xlsx", HttpCompletionOption.ResponseHeadersRead);
            response.EnsureSuccessStatusCode();
            await using var body = await response.Content.ReadAsStreamAsync();
            bytes = await DrainAsync(body);
        });
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  ledger export (.xlsx, {bytes / 1024:N0} KB): {Measure.Describe(exports)}"));

        var p95 = Measure.Percentile(township, 95);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"board p95 at {openOrders:N0} open orders: {Measure.Ms(p95)} (target < 100 ms: {(p95 < 100 ? "met" : "NOT met")})"));
    }

    private static async Task<double[]> CallsAsync(HttpClient client, string url, int calls)
    {
        for (var i = 0; i < WarmUpCalls; i++)
        {
            (await client.GetAsync(url)).EnsureSuccessStatusCode();
        }

        return await Measure.TimesAsync(calls, async _ =>
        {
            using var response = await client.GetAsync(url);
            response.EnsureSuccessStatusCode();
            await response.Content.ReadAsByteArrayAsync();
        });
    }

    private static async Task<long> DrainAsync(Stream body)
    {
        var buffer = new byte[81920];
        long total = 0;
        int read;
        while ((read = await body.ReadAsync(buffer)) > 0)
        {
            total += read;
        }

        return total;
    }

    private static async Task BulkInsertAsync(string databasePath, int openCount, int closedCount)
    {
        var watch = Stopwatch.StartNew();
        var now = DateTimeOffset.UtcNow;
        var start = now.AddDays(-360).UtcTicks;
        var step = TimeSpan.TicksPerDay * 350 / Math.Max(1, openCount + closedCount);
        await using var connection = new SqliteConnection($"Data Source={databasePath};Pooling=False");
        await connection.OpenAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        await using var document = connection.CreateCommand();
        document.CommandText = """
            INSERT INTO Documents (Id, LibraryKey, Title, UnitId, MetadataJson, Status, Stage, CurrentMajor, CurrentMinor, CreatedBy, CreatedAt, UpdatedAt, Revision)
            VALUES ($id, 'rectification-orders', $title, $unit, $meta, $status, $stage, 1, 0, 'zhaomin', $at, $updated, 1)
            """;
        var documentId = document.Parameters.Add("$id", SqliteType.Text);
        var title = document.Parameters.Add("$title", SqliteType.Text);
        var unit = document.Parameters.Add("$unit", SqliteType.Text);
        var meta = document.Parameters.Add("$meta", SqliteType.Text);
        var status = document.Parameters.Add("$status", SqliteType.Text);
        var stage = document.Parameters.Add("$stage", SqliteType.Text);
        var at = document.Parameters.Add("$at", SqliteType.Integer);
        var updated = document.Parameters.Add("$updated", SqliteType.Integer);

        await using var task = connection.CreateCommand();
        task.CommandText = """
            INSERT INTO ApprovalTasks (Id, DocumentId, WorkflowInstanceId, ActivityId, ActivityInstanceId, BookmarkId, Step, Kind, Assignee, SubmittedBy,
                "Order", Status, Action, Outcome, Opinion, DecidedBy, CreatedAt, DueAt, ClosedAt, Revision, Handover, ReturnTo, LibraryKey,
                CustomOutcomes, ResumeInputKey)
            VALUES ($id, $document, $instance, $activity, $activityInstance, $bookmark, $step, 'Approval', $who, 'zhaomin',
                0, 'Completed', 'approve', 'Approved', '同意', $who, $at, NULL, $at, 1, 'None', NULL, 'rectification-orders', '[]', 'TaskDecision')
            """;
        var taskId = task.Parameters.Add("$id", SqliteType.Text);
        var taskDocument = task.Parameters.Add("$document", SqliteType.Text);
        var instance = task.Parameters.Add("$instance", SqliteType.Text);
        var activity = task.Parameters.Add("$activity", SqliteType.Text);
        var activityInstance = task.Parameters.Add("$activityInstance", SqliteType.Text);
        var bookmark = task.Parameters.Add("$bookmark", SqliteType.Text);
        var stepName = task.Parameters.Add("$step", SqliteType.Text);
        var who = task.Parameters.Add("$who", SqliteType.Text);
        var taskAt = task.Parameters.Add("$at", SqliteType.Integer);

        async Task AddTaskAsync(string id, string activityId, string name, string by, long ticks)
        {
            taskId.Value = Guid.NewGuid().ToString().ToUpperInvariant();
            taskDocument.Value = id;
            instance.Value = id;
            activity.Value = activityId;
            activityInstance.Value = Guid.NewGuid().ToString("N");
            bookmark.Value = Guid.NewGuid().ToString("N");
            stepName.Value = name;
            who.Value = by;
            taskAt.Value = ticks;
            await task.ExecuteNonQueryAsync();
        }

        var today = DateOnly.FromDateTime(now.UtcDateTime);
        for (var i = 0; i < openCount + closedCount; i++)
        {
            var isOpen = i < openCount;
            var ticks = start + (i * step);
            var id = Guid.NewGuid().ToString().ToUpperInvariant();
            var major = i % 10 == 0;
            var deadline = today.AddDays((i % 40) - 10).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
            documentId.Value = id;
            title.Value = string.Create(CultureInfo.InvariantCulture, $"整改通知-{i}");
            unit.Value = Units[i % Units.Length];
            meta.Value = $$"""{"inspectedUnit":"{{Units[i % Units.Length]}}","hazardDescription":"消防通道堵塞","location":"仓库","grade":"{{(major ? "重大" : "一般")}}","deadline":"{{deadline}}","inspector":"wujie"}""";
            status.Value = isOpen ? "Approved" : "Closed";
            stage.Value = isOpen ? (i % 3 == 0 ? "rectifying" : DBNull.Value) : DBNull.Value;
            at.Value = ticks;
            updated.Value = isOpen ? ticks : ticks + TimeSpan.TicksPerDay;
            await document.ExecuteNonQueryAsync();
            await AddTaskAsync(id, "section", "安办审批整改通知", "wangqiang", ticks);
            if (major)
            {
                await AddTaskAsync(id, "listed", "重大隐患挂牌督办（分管领导）", "liuhua", ticks);
            }
        }

        await transaction.CommitAsync();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  (bulk-inserted {openCount:N0} open and {closedCount:N0} closed orders with their steps in {watch.Elapsed.TotalSeconds:0.0} s)"));
    }
}
