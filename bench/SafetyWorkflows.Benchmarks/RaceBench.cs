using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using SafetyWorkflows.Core.Approvals;
using SafetyWorkflows.Core.Documents;
using SafetyWorkflows.Core.Organisation;
using SafetyWorkflows.Infrastructure.DocumentLibraries;
using SafetyWorkflows.Workflows.Definitions;
using SafetyWorkflows.Workflows.Hosting;

namespace SafetyWorkflows.Benchmarks;

/// <summary>
/// Issue 12's race: the same two-step approval chain (submit, then two officials approve, each step with a due date and
/// one reminder) on Workflow Core 3.22 in memory and on our engine with durable SQLite, in-process (the application
/// services the REST endpoints call) and over HTTP with 8 bearer-token clients; then where one decision's time goes.
/// </summary>
internal static class RaceBench
{
    private const int Concurrency = 8;
    private const string Library = "race-orders";
    private const string Chain = "race-chain";
    private const string Inspector = "wujie";
    private const string SafetyHead = "wangqiang";
    private const string Leader = "liuhua";
    private static readonly string[] Units = ["shitang-quarry", "xiangnan-chemical", "hongyun-fireworks"];

    public static async Task RunAsync(int orders)
    {
        var mode = Stopwatch.StartNew();
        var warmUp = Math.Max(10, orders / 4);
        Console.WriteLine("race: one two-step approval order = upload + submit, then 安办审核 (wangqiang) approves, then 分管领导审批 (liuhua) approves;");
        Console.WriteLine("  each step has a due date (P3D) and one reminder (1 working day before). Completed orders per second, and each decision's");
        Console.WriteLine("  latency (Workflow Core: event published → next task created / workflow completed; ours: the DecideTask call or POST).");
        Console.WriteLine("  Workflow Core 3.22: in-process, in-memory persistence, its defaults; the due date and reminder are data (no timer armed).");
        Console.WriteLine("  ours: the real app (Release, SQLite file in WAL mode, synchronous FULL), Hangfire on its own SQLite file.");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  {Environment.ProcessorCount} cores, .NET {Environment.Version}, {orders:N0} orders per figure after {warmUp:N0} warm-up orders, {Concurrency} concurrent drivers/clients"));
        Console.WriteLine($"  load average (1/5/15 min) at start: {LoadAverage()} (the machine is shared: anything above ~0.5 means other work shares the cores)");
        Console.WriteLine();

        var figures = new List<Figure>();

        await using (var wc = await WorkflowCoreRace.StartAsync())
        {
            await RunPhaseAsync(warmUp, Concurrency, (i, d) => wc.RunOrderAsync(-1 - i, d));
            figures.Add(await RunPhaseAsync("Workflow Core 3.22, in memory, sequential", orders, 1, (i, d) => wc.RunOrderAsync(i, d)));
            figures.Add(await RunPhaseAsync("Workflow Core 3.22, in memory, 8 concurrent", orders, Concurrency, (i, d) => wc.RunOrderAsync(orders + i, d)));
        }

        var reference = figures[^1];
        using var probe = new HotPathProbe();
        ActiveProbe = probe;
        using var host = new BenchHost(probe.Decorate);
        var ours = await OurEngine.CreateAsync(host);
        await RunPhaseAsync(warmUp, 1, (i, d) => ours.RunOrderAsync(-1 - i, d, null));
        // The figures' phases run unobserved; each sequential phase is then repeated on fresh orders with the probe
        // listening, and only those repeats feed "where the time goes" (the probe's own work stays out of the figures).
        figures.Add(await RunPhaseAsync("ours in-process, SQLite, sequential", orders, 1, (i, d) => ours.RunOrderAsync(i, d, null)));
        figures.Add(await RunPhaseAsync("ours in-process, SQLite, 8 concurrent", orders, Concurrency, (i, d) => ours.RunOrderAsync(orders + i, d, null)));
        var profiled = Math.Max(5, orders / 4);
        var profile = new Profile();
        probe.Listening = true;
        await RunPhaseAsync(profiled, 1, (i, d) => ours.RunOrderAsync(4 * orders + i, d, profile));
        probe.Listening = false;

        var clients = new List<HttpDriver>();
        for (var c = 0; c < Concurrency; c++)
        {
            clients.Add(await HttpDriver.CreateAsync(host));
        }

        await RunPhaseAsync(Math.Max(Concurrency, warmUp / 2), Concurrency, (i, d) => clients[i % Concurrency].RunOrderAsync(-100_000 - i, d, null));
        figures.Add(await RunPhaseAsync("ours over HTTP, sequential (1 client)", Math.Max(5, orders / 4), 1,
            (i, d) => clients[0].RunOrderAsync(2 * orders + i, d, null)));
        figures.Add(await RunPhaseAsync("ours over HTTP, 8 concurrent clients", orders, Concurrency, (i, d) => clients[i % Concurrency].RunOrderAsync(3 * orders + i, d, null)));
        var httpProfile = new Profile();
        probe.Listening = true;
        await RunPhaseAsync(profiled, 1, (i, d) => clients[0].RunOrderAsync(5 * orders + i, d, httpProfile));
        probe.Listening = false;

        var approved = await ours.CountApprovedAsync();
        var attempted = figures.Where(f => f.Name.StartsWith("ours", StringComparison.Ordinal)).Sum(f => f.Completed);
        Console.WriteLine();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"checked in the database: {approved:N0} race orders are Approved (warm-up included); the measured phases reported {attempted:N0} completed"));
        var pool = host.Services.GetRequiredService<SafetyWorkflows.Infrastructure.Persistence.SqliteConnectionPool>();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"SQLite connection pool (ADR-016): {pool.Created:N0} connections opened in the whole run, {pool.StatementsReused:N0} commands ran a statement prepared earlier; " +
            $"write-ahead log at the end {new FileInfo(host.DatabasePath + "-wal").Length / 1048576.0:0.0} MB"));

        Console.WriteLine();
        Console.WriteLine($"ratios against Workflow Core in memory with {Concurrency} concurrent drivers ({Rate(reference.OrdersPerSecond)} orders/s):");
        foreach (var figure in figures)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  {figure.Name,-46} {figure.OrdersPerSecond / reference.OrdersPerSecond:0.000}x ({Rate(figure.OrdersPerSecond)} orders/s)"));
        }

        Console.WriteLine();
        Console.WriteLine("where the time goes (instrumented in the bench: EF Core diagnostics, decorators on the JavaScript evaluator,");
        Console.WriteLine("  Hangfire's job client and the workflow scheduler; per call, from a repeat of each sequential phase with the probe listening; Hangfire's own SQLite commits are");
        Console.WriteLine("  not visible here: ADR-012 counted them with strace):");
        profile.Print("in-process", probe);
        httpProfile.Print("over HTTP", probe);

        Console.WriteLine();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"race mode took {mode.Elapsed.TotalSeconds:0} s; load average at the end: {LoadAverage()}"));
        if (approved < attempted)
        {
            throw new InvalidOperationException($"FAILED: {attempted} orders reported completed but only {approved} documents are Approved");
        }

        if (figures.Any(f => f.Completed == 0))
        {
            throw new InvalidOperationException("FAILED: a phase completed no order");
        }
    }

    private static async Task RunPhaseAsync(int count, int concurrency, Func<int, ConcurrentBag<double>, Task> order) =>
        await DriveAsync(count, concurrency, order, new ConcurrentBag<double>(), new ConcurrentDictionary<string, int>(StringComparer.Ordinal));

    private static async Task<Figure> RunPhaseAsync(string name, int count, int concurrency, Func<int, ConcurrentBag<double>, Task> order)
    {
        // Each phase starts with the garbage of the ones before it collected and finalised: Workflow Core compiles a
        // lambda per step input and output, and finalising those dynamic methods on the finalizer thread later would
        // otherwise take CPU inside the phases that follow (ours).
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        var decisions = new ConcurrentBag<double>();
        var failures = new ConcurrentDictionary<string, int>(StringComparer.Ordinal);
        // The process's CPU time per completed order (every thread: requests, pump, delivery jobs, GC; the HTTP clients
        // too): what the machine's other work changes least, unlike orders/s.
        using var process = Process.GetCurrentProcess();
        var cpu = process.TotalProcessorTime;
        // Bytes allocated per order by the whole process (requests, pump, delivery jobs, the drivers): unlike the CPU
        // time, this does not depend on how busy the machine's other tenants keep the cores.
        var allocated = GC.GetTotalAllocatedBytes(precise: true);
        var watch = Stopwatch.StartNew();
        var completed = await DriveAsync(count, concurrency, order, decisions, failures);
        var seconds = watch.Elapsed.TotalSeconds;
        process.Refresh();
        var cpuPerOrder = (process.TotalProcessorTime - cpu).TotalMilliseconds / Math.Max(1, completed);
        var kbPerOrder = (GC.GetTotalAllocatedBytes(precise: true) - allocated) / 1024.0 / Math.Max(1, completed);
        var figure = new Figure(name, completed, seconds, [.. decisions], failures.Values.Sum());
        var times = figure.Decisions.Length == 0 ? "no decision" : $"decision p50 {Measure.Ms(Measure.Percentile(figure.Decisions, 50))}, p95 {Measure.Ms(Measure.Percentile(figure.Decisions, 95))}";
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{name,-46} {Rate(figure.OrdersPerSecond),7} orders/s ({completed:N0} of {count:N0} completed in {seconds:0.0} s), {times}, CPU {cpuPerOrder:0.0} ms/order, allocated {kbPerOrder:N0} KB/order, failed requests {figure.Failed}"));
        foreach (var (reason, n) in failures.OrderByDescending(f => f.Value))
        {
            Console.WriteLine($"    {n} × {reason}");
        }

        return figure;
    }

    /// <summary>Runs <paramref name="count"/> orders on <paramref name="concurrency"/> drivers; a failed order is counted, not retried.</summary>
    private static async Task<int> DriveAsync(
        int count, int concurrency, Func<int, ConcurrentBag<double>, Task> order, ConcurrentBag<double> decisions, ConcurrentDictionary<string, int> failures)
    {
        var next = -1;
        var completed = 0;
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(_ => Task.Run(async () =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < count)
            {
                try
                {
                    await order(i, decisions);
                    Interlocked.Increment(ref completed);
                }
                catch (RequestFailedException e)
                {
                    failures.AddOrUpdate(e.Reason, 1, (_, n) => n + 1);
                }
                catch (Exception e) when (e is not InvalidOperationException || !e.Message.StartsWith("FAILED", StringComparison.Ordinal))
                {
                    var reason = $"{e.GetType().Name}: {Shorten(e.Message)}";
                    failures.AddOrUpdate(reason, 1, (_, n) => n + 1);
                }
            }
        })));
        return completed;
    }

    private static string Shorten(string text) => text.Length <= 140 ? text : text[..140] + "…";

    private static string Rate(double value) => value.ToString("#,##0.0", CultureInfo.InvariantCulture);

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

    private static byte[] Pdf(string text) => Encoding.UTF8.GetBytes(
        $"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n% {text} {Guid.NewGuid()}\n{new string('x', 1000)}\ntrailer << /Root 1 0 R >>\n%%EOF\n");

    private static string Metadata(int index) => JsonSerializer.Serialize(new { inspectedUnit = Units[Math.Abs(index) % Units.Length], grade = "一般" });

    private sealed record Figure(string Name, int Completed, double Seconds, double[] Decisions, int Failed)
    {
        public double OrdersPerSecond => Completed / Seconds;
    }

    /// <summary>A request that did not succeed: over HTTP its status, in-process the exception the endpoint would map.</summary>
    private sealed class RequestFailedException(string reason) : Exception(reason)
    {
        public string Reason { get; } = reason;
    }

    /// <summary>Per-call counters of the sequential phases, by call kind (upload, submit, lookup, decision).</summary>
    private sealed class Profile
    {
        private readonly Dictionary<string, (HotPathProbe.Counters Sum, int Calls, double WallMs)> _calls = new(StringComparer.Ordinal);

        public async Task<T> MeasureAsync<T>(HotPathProbe probe, string kind, Func<Task<T>> call)
        {
            var before = probe.Snapshot();
            var start = Stopwatch.GetTimestamp();
            var result = await Measured(call);
            var wall = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
            var delta = probe.Snapshot().Minus(before);
            lock (_calls)
            {
                var (sum, calls, total) = _calls.TryGetValue(kind, out var seen) ? seen : (new HotPathProbe.Counters(), 0, 0d);
                sum.Add(delta);
                _calls[kind] = (sum, calls + 1, total + wall);
            }

            return result;
        }

        /// <summary>Runs the call in an execution context of its own, marked for the probe.</summary>
        private static async Task<T> Measured<T>(Func<Task<T>> call)
        {
            HotPathProbe.MarkMeasured();
            return await call();
        }

        public void Print(string label, HotPathProbe probe)
        {
            foreach (var (kind, (sum, calls, wall)) in _calls)
            {
                Console.WriteLine();
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {label}: {kind}, per call over {calls:N0} calls:"));
                foreach (var line in sum.Describe(calls, wall))
                {
                    Console.WriteLine("    " + line);
                }
            }
        }
    }

    /// <summary>Our engine in-process: the services the upload, submit, inbox and decision endpoints call, one DI scope per request.</summary>
    private sealed class OurEngine
    {
        private readonly BenchHost _host;

        private OurEngine(BenchHost host) => _host = host;

        public Dictionary<string, Actor> Actors { get; } = new(StringComparer.Ordinal);

        public static async Task<OurEngine> CreateAsync(BenchHost host)
        {
            var engine = new OurEngine(host);
            await using var scope = host.Services.CreateAsyncScope();
            var directory = scope.ServiceProvider.GetRequiredService<IOrganisationDirectory>();
            foreach (var user in new[] { "admin", Inspector, SafetyHead, Leader })
            {
                var official = await directory.FindOfficialAsync(user, CancellationToken.None)
                    ?? throw new InvalidOperationException($"FAILED: the seeded official {user} is missing");
                engine.Actors[user] = new Actor(official.UserName, official.DisplayName, official.Roles.ToHashSet(StringComparer.Ordinal), official.UnitId);
            }

            await scope.ServiceProvider.GetRequiredService<WorkflowDefinitionService>()
                .PublishAsync(Chain, DefinitionReader.Parse(ChainJson, Chain), CancellationToken.None);
            await scope.ServiceProvider.GetRequiredService<LibraryAdministration>().CreateAsync(
                engine.Actors["admin"], Library, "赛跑整改单", "Race orders", "inspectedUnit", Chain,
                [
                    new NewColumn("inspectedUnit", "被检查单位", "Inspected unit", "unit", true, null, null),
                    new NewColumn("grade", "隐患等级", "Grade", "choice", true, ["一般", "重大"], null),
                ],
                CancellationToken.None);
            return engine;
        }

        public async Task RunOrderAsync(int index, ConcurrentBag<double> decisions, Profile? profile)
        {
            var inspector = Actors[Inspector];
            var document = await CallAsync(profile, "upload (UploadDocument)", sp => sp.GetRequiredService<UploadDocument>().HandleAsync(
                new UploadDocumentCommand(Library, $"赛跑整改单 #{index}", Metadata(index), "整改通知.pdf", new MemoryStream(Pdf("race"))), inspector, CancellationToken.None));
            var (_, instanceId) = await CallAsync(profile, "submit (SubmitDocument: starts the chain)", sp => sp.GetRequiredService<SubmitDocument>().HandleAsync(document.Id, inspector, CancellationToken.None));
            await DecideAsync(profile, instanceId, SafetyHead, "同意", decisions);
            await DecideAsync(profile, instanceId, Leader, null, decisions);
        }

        private async Task DecideAsync(Profile? profile, string instanceId, string user, string? opinion, ConcurrentBag<double> decisions)
        {
            var open = await CallAsync(profile, "task lookup (open tasks of the instance)", sp => sp.GetRequiredService<IApprovalTaskRepository>().ListOpenForInstanceAsync(instanceId, TaskKind.Approval, CancellationToken.None));
            var task = open.SingleOrDefault(t => t.Assignee == user)
                ?? throw new RequestFailedException($"no open task for {user} on instance {instanceId} (found {open.Count})");
            var start = Stopwatch.GetTimestamp();
            await CallAsync(profile, "decision (DecideTask: approve, resumes the chain)", sp => sp.GetRequiredService<DecideTask>().HandleAsync(
                task.Id, new DecisionCommand(Guid.NewGuid().ToString(), "approve", null, opinion, null, null), Actors[user], CancellationToken.None));
            decisions.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
        }

        private async Task<T> CallAsync<T>(Profile? profile, string kind, Func<IServiceProvider, Task<T>> call)
        {
            async Task<T> Scoped()
            {
                await using var scope = _host.Services.CreateAsyncScope();
                try
                {
                    return await call(scope.ServiceProvider);
                }
                catch (Exception e) when (e is not RequestFailedException)
                {
                    throw new RequestFailedException($"{kind}: {e.GetType().Name}: {Shorten(e.Message)}");
                }
            }

            return profile is null || ActiveProbe is not { } probe ? await Scoped() : await profile.MeasureAsync(probe, kind, Scoped);
        }

        public async Task<long> CountApprovedAsync()
        {
            await using var connection = new SqliteConnection($"Data Source={_host.DatabasePath};Mode=ReadOnly;Pooling=False");
            await connection.OpenAsync();
            await using var command = connection.CreateCommand();
            command.CommandText = $"SELECT COUNT(*) FROM Documents WHERE LibraryKey = '{Library}' AND Status = 'Approved'";
            return (long)(await command.ExecuteScalarAsync())!;
        }
    }

    /// <summary>One HTTP client set (inspector, safety head, leader, each with its own bearer token), used by one driver at a time.</summary>
    private sealed class HttpDriver
    {
        private readonly Dictionary<string, HttpClient> _clients;

        private HttpDriver(Dictionary<string, HttpClient> clients) => _clients = clients;

        public static async Task<HttpDriver> CreateAsync(BenchHost host) => new(new Dictionary<string, HttpClient>(StringComparer.Ordinal)
        {
            [Inspector] = await host.ClientForAsync(Inspector),
            [SafetyHead] = await host.ClientForAsync(SafetyHead),
            [Leader] = await host.ClientForAsync(Leader),
        });

        public async Task RunOrderAsync(int index, ConcurrentBag<double> decisions, Profile? profile)
        {
            var inspector = _clients[Inspector];
            var file = new ByteArrayContent(Pdf("race"));
            file.Headers.ContentType = new MediaTypeHeaderValue("application/pdf");
            var form = new MultipartFormDataContent
            {
                { file, "file", "整改通知.pdf" },
                { new StringContent(Metadata(index)), "metadata" },
                { new StringContent($"赛跑整改单 #{index}"), "title" },
            };
            var upload = await SendAsync(profile, "POST upload", () => inspector.PostAsync($"/api/libraries/{Library}/documents", form));
            var id = upload.GetProperty("id").GetGuid();
            await SendAsync(profile, "POST submit", () => inspector.PostAsync($"/api/documents/{id}/submit", null));
            await DecideAsync(profile, _clients[SafetyHead], id, "同意", decisions);
            await DecideAsync(profile, _clients[Leader], id, null, decisions);
        }

        private static async Task DecideAsync(Profile? profile, HttpClient client, Guid documentId, string? opinion, ConcurrentBag<double> decisions)
        {
            var inbox = await SendAsync(profile, "GET inbox (find the task)", () => client.GetAsync($"/api/tasks?state=open&library={Library}&pageSize=50"));
            var task = inbox.GetProperty("items").EnumerateArray().Where(t => t.GetProperty("documentId").GetGuid() == documentId).ToList();
            if (task.Count != 1)
            {
                throw new RequestFailedException($"inbox: expected one open task for the document, found {task.Count}");
            }

            var taskId = task[0].GetProperty("id").GetGuid();
            var start = Stopwatch.GetTimestamp();
            await SendAsync(profile, "POST decision", () => client.PostAsJsonAsync($"/api/tasks/{taskId}/decisions", new { commandId = Guid.NewGuid().ToString(), action = "approve", opinion }));
            decisions.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
        }

        private static async Task<JsonElement> SendAsync(Profile? profile, string what, Func<Task<HttpResponseMessage>> send)
        {
            async Task<JsonElement> Call()
            {
                using var response = await send();
                var body = await response.Content.ReadAsStringAsync();
                if (!response.IsSuccessStatusCode)
                {
                    throw new RequestFailedException($"{what} answered {(int)response.StatusCode}: {Shorten(body)}");
                }

                using var json = JsonDocument.Parse(body);
                return json.RootElement.Clone();
            }

            return profile is null || ActiveProbe is not { } probe ? await Call() : await profile.MeasureAsync(probe, what, Call);
        }
    }

    /// <summary>The probe of the running race (the sequential phases read it around each call).</summary>
    private static HotPathProbe? ActiveProbe { get; set; }

    /// <summary>Start → 安办审核 → FlowDecision (JavaScript: is the grade 重大?) → 分管领导审批 → Approved → End.</summary>
    private const string ChainJson = """
        {
          "id": "race-chain-v1",
          "definitionId": "race-chain",
          "name": "赛跑：两级审批 (race: two approval steps)",
          "version": 1,
          "toolVersion": "3.8.0.0",
          "variables": [],
          "inputs": [
            { "type": "String", "name": "documentId", "displayName": "Document id", "isArray": false },
            { "type": "String", "name": "submittedBy", "displayName": "Submitted by", "isArray": false },
            { "type": "String", "name": "unitId", "displayName": "Unit", "isArray": false }
          ],
          "outputs": [],
          "outcomes": [],
          "customProperties": {},
          "isLatest": true,
          "isPublished": true,
          "options": { "autoUpdateConsumingWorkflows": false, "incidentStrategyType": "FaultStrategy" },
          "root": {
            "id": "race-flow",
            "nodeId": "Workflow1:race-flow",
            "name": "Flowchart1",
            "type": "Elsa.Flowchart",
            "version": 1,
            "activities": [
              { "id": "start", "nodeId": "Workflow1:race-flow:start", "name": "Start1", "type": "Elsa.Start", "version": 1 },
              {
                "id": "review", "nodeId": "Workflow1:race-flow:review", "name": "安办审核", "type": "SafetyWorkflows.RequestApproval", "version": 1,
                "step": { "typeName": "String", "expression": { "type": "Literal", "value": "安办审核" } },
                "assignees": { "typeName": "List<String>", "expression": { "type": "Object", "value": "[\"safety-head\"]" } },
                "mode": { "typeName": "String", "expression": { "type": "Literal", "value": "FirstResponse" } },
                "due": { "typeName": "String", "expression": { "type": "Literal", "value": "P3D" } },
                "reminders": { "typeName": "List<String>", "expression": { "type": "Object", "value": "[\"1WD\"]" } },
                "remindAtDue": { "typeName": "Boolean", "expression": { "type": "Literal", "value": "false" } }
              },
              {
                "id": "major", "nodeId": "Workflow1:race-flow:major", "name": "重大隐患?", "type": "Elsa.FlowDecision", "version": 1,
                "condition": { "typeName": "Boolean", "expression": { "type": "JavaScript", "value": "const m = getInput('metadata'); return m != null && m.grade == '重大';" } }
              },
              {
                "id": "leader", "nodeId": "Workflow1:race-flow:leader", "name": "分管领导审批", "type": "SafetyWorkflows.RequestApproval", "version": 1,
                "step": { "typeName": "String", "expression": { "type": "Literal", "value": "分管领导审批" } },
                "assignees": { "typeName": "List<String>", "expression": { "type": "Object", "value": "[\"leader-in-charge\"]" } },
                "mode": { "typeName": "String", "expression": { "type": "Literal", "value": "FirstResponse" } },
                "due": { "typeName": "String", "expression": { "type": "Literal", "value": "P3D" } },
                "reminders": { "typeName": "List<String>", "expression": { "type": "Object", "value": "[\"1WD\"]" } },
                "remindAtDue": { "typeName": "Boolean", "expression": { "type": "Literal", "value": "false" } }
              },
              {
                "id": "approved", "nodeId": "Workflow1:race-flow:approved", "name": "审批通过", "type": "SafetyWorkflows.SetDocumentStatus", "version": 1,
                "status": { "typeName": "String", "expression": { "type": "Literal", "value": "Approved" } }
              },
              { "id": "end", "nodeId": "Workflow1:race-flow:end", "name": "End1", "type": "Elsa.End", "version": 1 }
            ],
            "variables": [],
            "connections": [
              { "source": { "activity": "start", "port": "Done" }, "target": { "activity": "review", "port": "In" }, "vertices": [] },
              { "source": { "activity": "review", "port": "Approved" }, "target": { "activity": "major", "port": "In" }, "vertices": [] },
              { "source": { "activity": "major", "port": "True" }, "target": { "activity": "leader", "port": "In" }, "vertices": [] },
              { "source": { "activity": "major", "port": "False" }, "target": { "activity": "leader", "port": "In" }, "vertices": [] },
              { "source": { "activity": "leader", "port": "Approved" }, "target": { "activity": "approved", "port": "In" }, "vertices": [] },
              { "source": { "activity": "approved", "port": "Done" }, "target": { "activity": "end", "port": "In" }, "vertices": [] }
            ]
          }
        }
        """;
}
