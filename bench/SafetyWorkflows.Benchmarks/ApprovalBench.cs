using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.Data.Sqlite;

namespace SafetyWorkflows.Benchmarks;

/// <summary>
/// The approvals API under load: rectification orders (隐患整改通知, grade 一般) driven from upload to Closed by the
/// officials' own clients, and the inbox (GET /api/tasks) as one assignee's open and done tasks grow to 100,000
/// (bulk-inserted with the shape the app writes).
/// </summary>
internal static class ApprovalBench
{
    private const string Library = "rectification-orders";
    private const string Inspector = "wujie";
    private const string SafetyHead = "wangqiang";
    private const string Reinspector = "zhengyu";
    private const int WarmUpOrders = 20;
    private const double WarmUpSeconds = 8;
    private const int InboxCalls = 50;
    private const int InboxWarmUpCalls = 20;

    /// <summary>The enterprise units with a principal (单位负责人), who signs for the order and reports the rectification.</summary>
    private static readonly (string Unit, string Principal)[] Units =
    [
        ("shitang-quarry", "dengfei"),
        ("xiangnan-chemical", "heping"),
        ("hongyun-fireworks", "luohong"),
    ];

    /// <summary>The decisions of one order after the inspector's submit, in order (grade 一般 skips 挂牌督办 by liuhua).</summary>
    private static readonly string[] Steps = ["安办审批 approve", "单位签收 sign", "报送整改 submit", "复查 approve → Closed"];

    public static async Task RunAsync(int orders, int openTasks)
    {
        var mode = Stopwatch.StartNew();
        Console.WriteLine("approvals: rectification orders (隐患整改通知, grade 一般) from upload to Closed through the HTTP API,");
        Console.WriteLine("  each official with their own bearer-token client (in-process TestServer, real SQLite file in WAL mode, real file store).");
        Console.WriteLine("  one order = wujie uploads + submits; wangqiang approves; the unit principal (dengfei/heping/luohong, round robin)");
        Console.WriteLine("  signs, attaches a file and submits; zhengyu approves → Closed. Each decider first finds the task in their inbox");
        Console.WriteLine("  (GET /api/tasks?state=open): 11 HTTP calls and 4 decisions per order.");
        Console.WriteLine("  orders run one at a time: the embedded SQLite default has a single writer, so concurrent orders would only queue");
        Console.WriteLine("  on its write lock (and 409 on busy steps); workflows/s here is 1 / mean order time.");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  {Environment.ProcessorCount} cores, .NET {Environment.Version}, {orders:N0} orders after a warm-up of {WarmUpSeconds:0} s (at least {WarmUpOrders} orders), inbox up to {openTasks:N0} tasks"));
        Console.WriteLine($"  load average (1/5/15 min) at start: {LoadAverage()} (anything above ~0.5 means other work shares the cores)");
        Console.WriteLine();

        using var host = new BenchHost();
        var clients = new Dictionary<string, HttpClient>(StringComparer.Ordinal);
        foreach (var user in new[] { Inspector, SafetyHead, Reinspector, "admin" }.Concat(Units.Select(u => u.Principal)))
        {
            clients[user] = await host.ClientForAsync(user);
        }

        // Warm-up: at least WarmUpOrders orders and WarmUpSeconds, so tiered JIT has settled on the hot paths (Jint included).
        var created = new List<Guid>();
        var warmUp = new OrderTimes(WarmUpOrders);
        var warmUpWatch = Stopwatch.StartNew();
        while (created.Count < WarmUpOrders || warmUpWatch.Elapsed.TotalSeconds < WarmUpSeconds)
        {
            created.Add(await RunOrderAsync(clients, created.Count, warmUp));
        }

        var warmUpCount = created.Count;
        var warmUpSeconds = warmUpWatch.Elapsed.TotalSeconds;

        GC.Collect();
        var times = new OrderTimes(orders);
        var finishedAt = new double[orders];
        var watch = Stopwatch.StartNew();
        for (var i = 0; i < orders; i++)
        {
            created.Add(await RunOrderAsync(clients, warmUpCount + i, times));
            finishedAt[i] = watch.Elapsed.TotalSeconds;
        }

        var seconds = watch.Elapsed.TotalSeconds;
        var decisions = times.Decisions.Sum(d => d.Count);
        var allDecisions = times.Decisions.SelectMany(d => d).ToArray();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"warm-up: {warmUpCount} orders in {warmUpSeconds:0.0} s, not counted"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"throughput: {orders / seconds:0.0} completed workflows/s ({orders:N0} orders in {seconds:0.0} s, {seconds / orders * 1000:0.0} ms per order end to end)"));
        if (orders >= 8)
        {
            var quarters = Enumerable.Range(0, 4).Select(q =>
            {
                var (from, to) = ((q * orders / 4) - 1, ((q + 1) * orders / 4) - 1);
                var elapsed = finishedAt[to] - (from < 0 ? 0 : finishedAt[from]);
                return ((to - from) / elapsed).ToString("0.0", CultureInfo.InvariantCulture);
            });
            Console.WriteLine($"  by quarter of the run (does it slow down as the tables grow?) {string.Join(" → ", quarters)} workflows/s");
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {"decisions (POST /decisions)",-41} {decisions:N0} in total, {Measure.Describe(allDecisions)}"));
        for (var s = 0; s < Steps.Length; s++)
        {
            Console.WriteLine($"    {Steps[s],-34} {Measure.Describe([.. times.Decisions[s]])}");
        }

        Console.WriteLine($"  {"submit (POST /submit, starts the chain)",-41} {Measure.Describe([.. times.Submits])}");
        Console.WriteLine($"  {"upload (multipart, 1 KB pdf)",-41} {Measure.Describe([.. times.Uploads])}");
        Console.WriteLine($"  {"inbox lookup (GET /api/tasks?state=open)",-41} {Measure.Describe([.. times.Lookups])}");
        Console.WriteLine($"  {"attach (POST /api/tasks/{id}/files)",-41} {Measure.Describe([.. times.Attaches])}");
        var accounted = (allDecisions.Sum() + times.Submits.Sum() + times.Uploads.Sum() + times.Lookups.Sum() + times.Attaches.Sum()) / 1000;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  share of the wall time in decisions {allDecisions.Sum() / 1000 / seconds:0%}, submits {times.Submits.Sum() / 1000 / seconds:0%}, uploads {times.Uploads.Sum() / 1000 / seconds:0%}, inbox lookups {times.Lookups.Sum() / 1000 / seconds:0%}, attaches {times.Attaches.Sum() / 1000 / seconds:0%}, other {1 - (accounted / seconds):0%}"));

        await VerifyClosedAsync(clients, created);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  verified through the API: all {created.Count:N0} orders (warm-up included) are Closed, and no official has an open task left"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  (throughput phase took {mode.Elapsed.TotalSeconds:0} s with start-up and warm-up)"));

        await InboxAsync(host, clients[SafetyHead], openTasks);

        Console.WriteLine();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"approvals mode took {mode.Elapsed.TotalSeconds:0} s; load average at the end: {LoadAverage()}"));
    }

    private static async Task<Guid> RunOrderAsync(Dictionary<string, HttpClient> clients, int index, OrderTimes times)
    {
        var (unit, principal) = Units[index % Units.Length];
        var inspector = clients[Inspector];
        var watch = Stopwatch.StartNew();
        var upload = await inspector.PostAsync($"/api/libraries/{Library}/documents", Upload(unit, index));
        var id = (await ReadAsync(upload, "upload")).GetProperty("id").GetGuid();
        times.Uploads.Add(watch.Elapsed.TotalMilliseconds);

        watch.Restart();
        await ReadAsync(await inspector.PostAsync($"/api/documents/{id}/submit", null), "submit");
        times.Submits.Add(watch.Elapsed.TotalMilliseconds);

        await DecideAsync(clients[SafetyHead], id, 0, "approve", "同意下达", attach: false, times);
        await DecideAsync(clients[principal], id, 1, "sign", null, attach: false, times);
        await DecideAsync(clients[principal], id, 2, "submit", "已整改", attach: true, times);
        await DecideAsync(clients[Reinspector], id, 3, "approve", "复查合格，予以销号", attach: false, times);
        return id;
    }

    private static async Task DecideAsync(HttpClient client, Guid documentId, int step, string action, string? opinion, bool attach, OrderTimes times)
    {
        var watch = Stopwatch.StartNew();
        var inbox = await ReadAsync(await client.GetAsync("/api/tasks?state=open&pageSize=20"), "inbox");
        var mine = inbox.GetProperty("items").EnumerateArray().Where(t => t.GetProperty("documentId").GetGuid() == documentId).ToList();
        times.Lookups.Add(watch.Elapsed.TotalMilliseconds);
        if (mine.Count != 1)
        {
            throw new InvalidOperationException($"expected one open task for document {documentId} at step '{Steps[step]}', found {mine.Count}: {inbox}");
        }

        var taskId = mine[0].GetProperty("id").GetGuid();
        if (attach)
        {
            watch.Restart();
            var file = new ByteArrayContent(Pdf("整改前后照片"));
            file.Headers.ContentType = new MediaTypeHeaderValue("application/pdf");
            await ReadAsync(await client.PostAsync($"/api/tasks/{taskId}/files", new MultipartFormDataContent { { file, "file", "整改材料.pdf" } }), "attach");
            times.Attaches.Add(watch.Elapsed.TotalMilliseconds);
        }

        watch.Restart();
        var decided = await client.PostAsJsonAsync($"/api/tasks/{taskId}/decisions", new { commandId = Guid.NewGuid().ToString(), action, opinion });
        await ReadAsync(decided, $"decision '{action}' at step '{Steps[step]}'");
        times.Decisions[step].Add(watch.Elapsed.TotalMilliseconds);
    }

    /// <summary>Every order Closed, read back through the documents API, and every official's inbox empty.</summary>
    private static async Task VerifyClosedAsync(Dictionary<string, HttpClient> clients, List<Guid> created)
    {
        var statuses = new Dictionary<Guid, string>();
        for (var page = 1; ; page++)
        {
            var list = await ReadAsync(await clients["admin"].GetAsync($"/api/libraries/{Library}/documents?page={page}&pageSize=200"), "document list");
            var items = list.GetProperty("items").EnumerateArray().ToList();
            foreach (var item in items)
            {
                statuses[item.GetProperty("id").GetGuid()] = item.GetProperty("genericStatus").GetString() ?? "";
            }

            if (items.Count < 200)
            {
                break;
            }
        }

        var wrong = created.Where(id => !statuses.TryGetValue(id, out var status) || status != "Closed").ToList();
        if (wrong.Count > 0)
        {
            var sample = string.Join(", ", wrong.Take(5).Select(id => $"{id}: {statuses.GetValueOrDefault(id, "missing")}"));
            throw new InvalidOperationException($"FAILED: {wrong.Count} of {created.Count} orders are not Closed ({sample})");
        }

        foreach (var (user, client) in clients)
        {
            var open = (await ReadAsync(await client.GetAsync("/api/tasks?state=open&pageSize=1"), "inbox")).GetProperty("totalCount").GetInt32();
            if (open != 0)
            {
                throw new InvalidOperationException($"FAILED: {user} still has {open} open tasks after every order closed");
            }
        }
    }

    private static async Task InboxAsync(BenchHost host, HttpClient head, int largeCount)
    {
        Console.WriteLine();
        Console.WriteLine($"inbox (GET /api/tasks) of {SafetyHead}, tasks and their documents bulk-inserted into SQLite; {InboxCalls} calls each after {InboxWarmUpCalls} warm-up calls:");
        var (open, done) = await CountsAsync(head);
        var small = 1_000;
        await BulkInsertAsync(host.DatabasePath, Math.Max(0, small - open), Math.Max(0, small - done));
        var smallTimes = await InboxLatenciesAsync(head);
        (open, done) = await CountsAsync(head);
        await BulkInsertAsync(host.DatabasePath, Math.Max(0, largeCount - open), Math.Max(0, largeCount - done));
        var largeTimes = await InboxLatenciesAsync(head);

        Console.WriteLine();
        Console.WriteLine($"ratio p50 and p95 at {largeCount:N0} / at {small:N0} tasks (1.0 = flat):");
        foreach (var (name, times) in largeTimes)
        {
            var p50 = Measure.Percentile(times, 50) / Measure.Percentile(smallTimes[name], 50);
            var p95 = Measure.Percentile(times, 95) / Measure.Percentile(smallTimes[name], 95);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {name,-34} p50 {p50:0.00}x, p95 {p95:0.00}x"));
        }
    }

    private static async Task<Dictionary<string, double[]>> InboxLatenciesAsync(HttpClient head)
    {
        var (open, done) = await CountsAsync(head);
        Console.WriteLine();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"with {open:N0} open and {done:N0} done tasks for {SafetyHead}:"));
        var cases = new Dictionary<string, (string Url, int Items)>(StringComparer.Ordinal)
        {
            ["state=open, first page"] = ("/api/tasks?state=open&pageSize=20", 20),
            ["state=open, pageSize=1"] = ("/api/tasks?state=open&pageSize=1", 1),
            ["state=open&library=, first page"] = ($"/api/tasks?state=open&library={Library}&pageSize=20", 20),
            ["state=open, page 40"] = ("/api/tasks?state=open&page=40&pageSize=20", 20),
            ["state=done, first page"] = ("/api/tasks?state=done&pageSize=20", 20),
        };
        var results = new Dictionary<string, double[]>(StringComparer.Ordinal);
        foreach (var (name, (url, items)) in cases)
        {
            for (var i = 0; i < InboxWarmUpCalls; i++)
            {
                await ExpectPageAsync(head, url, items);
            }

            GC.Collect();
            var times = await Measure.TimesAsync(InboxCalls, _ => ExpectPageAsync(head, url, items));
            results[name] = times;
            Console.WriteLine($"  {name,-34} {Measure.Describe(times)}");
        }

        return results;
    }

    private static async Task ExpectPageAsync(HttpClient client, string url, int items)
    {
        var page = await ReadAsync(await client.GetAsync(url), "inbox");
        if (page.GetProperty("items").GetArrayLength() != items)
        {
            throw new InvalidOperationException($"FAILED: {url} answered {page.GetProperty("items").GetArrayLength()} items, expected a full page of {items}");
        }
    }

    private static async Task<(int Open, int Done)> CountsAsync(HttpClient client)
    {
        var open = await ReadAsync(await client.GetAsync("/api/tasks?state=open&pageSize=1"), "inbox");
        var done = await ReadAsync(await client.GetAsync("/api/tasks?state=done&pageSize=1"), "inbox");
        return (open.GetProperty("totalCount").GetInt32(), done.GetProperty("totalCount").GetInt32());
    }

    /// <summary>
    /// Open and done 安办审批 tasks for <see cref="SafetyHead"/>, each with its own Pending (open) or Closed (done)
    /// rectification order, created over the past year (older than the tasks the API made, so they sort after them).
    /// </summary>
    private static async Task BulkInsertAsync(string databasePath, int openCount, int doneCount)
    {
        if (openCount + doneCount == 0)
        {
            return;
        }

        var watch = Stopwatch.StartNew();
        var start = DateTimeOffset.UtcNow.AddDays(-365).UtcTicks;
        var step = TimeSpan.TicksPerDay * 300 / Math.Max(1, openCount + doneCount);
        await using var connection = new SqliteConnection($"Data Source={databasePath};Pooling=False");
        await connection.OpenAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        await using var document = connection.CreateCommand();
        document.CommandText = $"""
            INSERT INTO Documents (Id, LibraryKey, Title, UnitId, MetadataJson, Status, CurrentMajor, CurrentMinor, CreatedBy, CreatedAt, UpdatedAt, Revision)
            VALUES ($id, '{Library}', $title, $unit, $meta, $status, 0, 1, '{Inspector}', $at, $at, 1)
            """;
        var documentId = document.Parameters.Add("$id", SqliteType.Text);
        var title = document.Parameters.Add("$title", SqliteType.Text);
        var unit = document.Parameters.Add("$unit", SqliteType.Text);
        var meta = document.Parameters.Add("$meta", SqliteType.Text);
        var status = document.Parameters.Add("$status", SqliteType.Text);
        var documentAt = document.Parameters.Add("$at", SqliteType.Integer);

        await using var task = connection.CreateCommand();
        task.CommandText = $"""
            INSERT INTO ApprovalTasks (Id, DocumentId, WorkflowInstanceId, ActivityId, ActivityInstanceId, BookmarkId, Step, Kind, Assignee, SubmittedBy,
                "Order", Status, Action, Outcome, Opinion, DecidedBy, CreatedAt, DueAt, ClosedAt, Revision, Handover, ReturnTo, LibraryKey,
                CustomOutcomes, ResumeInputKey)
            VALUES ($id, $document, $instance, 'section', $activity, $bookmark, '安办审批整改通知', 'Approval', '{SafetyHead}', '{Inspector}',
                0, $status, $action, $outcome, $opinion, $decidedBy, $at, $due, $closed, $revision, 'None', NULL, 'rectification-orders',
                '[]', 'TaskDecision')
            """;
        var taskId = task.Parameters.Add("$id", SqliteType.Text);
        var taskDocument = task.Parameters.Add("$document", SqliteType.Text);
        var instance = task.Parameters.Add("$instance", SqliteType.Text);
        var activity = task.Parameters.Add("$activity", SqliteType.Text);
        var bookmark = task.Parameters.Add("$bookmark", SqliteType.Text);
        var taskStatus = task.Parameters.Add("$status", SqliteType.Text);
        var action = task.Parameters.Add("$action", SqliteType.Text);
        var outcome = task.Parameters.Add("$outcome", SqliteType.Text);
        var opinion = task.Parameters.Add("$opinion", SqliteType.Text);
        var decidedBy = task.Parameters.Add("$decidedBy", SqliteType.Text);
        var taskAt = task.Parameters.Add("$at", SqliteType.Integer);
        var due = task.Parameters.Add("$due", SqliteType.Integer);
        var closed = task.Parameters.Add("$closed", SqliteType.Integer);
        var revision = task.Parameters.Add("$revision", SqliteType.Integer);

        for (var i = 0; i < openCount + doneCount; i++)
        {
            var isOpen = i < openCount;
            var (u, _) = Units[i % Units.Length];
            var at = start + (i * step);
            var id = Guid.NewGuid().ToString().ToUpperInvariant();
            documentId.Value = id;
            title.Value = string.Create(CultureInfo.InvariantCulture, $"整改通知-{i} {u} 隐患");
            unit.Value = u;
            meta.Value = $$"""{"inspectedUnit":"{{u}}","hazardDescription":"消防通道堵塞","location":"仓库","grade":"一般","deadline":"2026-12-30"}""";
            status.Value = isOpen ? "Pending" : "Closed";
            documentAt.Value = at;
            await document.ExecuteNonQueryAsync();

            taskId.Value = Guid.NewGuid().ToString().ToUpperInvariant();
            taskDocument.Value = id;
            instance.Value = Guid.NewGuid().ToString("N");
            activity.Value = Guid.NewGuid().ToString("N");
            bookmark.Value = Guid.NewGuid().ToString("N");
            taskStatus.Value = isOpen ? "Open" : "Completed";
            action.Value = isOpen ? DBNull.Value : "approve";
            outcome.Value = isOpen ? DBNull.Value : "Approved";
            opinion.Value = isOpen ? DBNull.Value : "同意下达";
            decidedBy.Value = isOpen ? DBNull.Value : SafetyHead;
            taskAt.Value = at;
            due.Value = at + (TimeSpan.TicksPerDay * 3);
            closed.Value = isOpen ? DBNull.Value : at + TimeSpan.TicksPerHour;
            revision.Value = isOpen ? 0 : 1;
            await task.ExecuteNonQueryAsync();
        }

        await transaction.CommitAsync();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  (bulk-inserted {openCount:N0} open and {doneCount:N0} done tasks with their documents in {watch.Elapsed.TotalSeconds:0.0} s)"));
    }

    internal static string LoadAverage()
    {
        try
        {
            return File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "n/a";
        }
        catch (IOException)
        {
            return "n/a";
        }
    }

    private static async Task<JsonElement> ReadAsync(HttpResponseMessage response, string what)
    {
        using (response)
        {
            var body = await response.Content.ReadAsStringAsync();
            if (!response.IsSuccessStatusCode)
            {
                throw new InvalidOperationException($"FAILED: {what} answered {(int)response.StatusCode} {response.StatusCode}: {body}");
            }

            using var document = JsonDocument.Parse(body);
            return document.RootElement.Clone();
        }
    }

    private static MultipartFormDataContent Upload(string unit, int index)
    {
        var file = new ByteArrayContent(Pdf("隐患整改通知"));
        file.Headers.ContentType = new MediaTypeHeaderValue("application/pdf");
        var deadline = DateTime.UtcNow.AddDays(30).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var metadata = JsonSerializer.Serialize(new
        {
            inspectedUnit = unit,
            hazardDescription = "消防通道堆放杂物",
            location = string.Create(CultureInfo.InvariantCulture, $"{index % 7 + 1}号仓库"),
            grade = "一般",
            deadline,
        });
        return new MultipartFormDataContent
        {
            { file, "file", "整改通知.pdf" },
            { new StringContent(metadata), "metadata" },
            { new StringContent(string.Create(CultureInfo.InvariantCulture, $"隐患整改通知 {unit} #{index}")), "title" },
        };
    }

    private static byte[] Pdf(string text) => Encoding.UTF8.GetBytes(
        $"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n% {text} {Guid.NewGuid()}\n{new string('x', 1000)}\ntrailer << /Root 1 0 R >>\n%%EOF\n");

    private sealed class OrderTimes(int capacity)
    {
        public List<double> Uploads { get; } = new(capacity);

        public List<double> Submits { get; } = new(capacity);

        public List<double> Lookups { get; } = new(capacity * 4);

        public List<double> Attaches { get; } = new(capacity);

        public List<double>[] Decisions { get; } = [.. Enumerable.Range(0, Steps.Length).Select(_ => new List<double>(capacity))];
    }
}
