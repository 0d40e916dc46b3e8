using System.Globalization;

namespace SafetyWorkflows.Benchmarks;

/// <summary>
/// A console, not part of <c>dotnet test</c>: prints figures and ratios for the closing notes.
/// <c>dotnet run -c Release --project bench/SafetyWorkflows.Benchmarks -- documents [uploads] [documents]</c>,
/// <c>… -- workflows [scale]</c> (scale multiplies the iteration counts; 1 keeps the mode under a minute on 2 cores; it ends with
/// JavaScript expressions on the evaluator alone, which <c>… -- expressions [scale]</c> runs by themselves),
/// <c>… -- approvals [orders] [openTasks]</c> (rectification orders driven to Closed through the API, then the inbox at 1,000 and openTasks tasks),
/// <c>… -- clocks [timers] [steps]</c> (working-day arithmetic, the cost of a step's reminders, how late a burst of Hangfire timers fires),
/// <c>… -- postgres [cycles] [parallel]</c> (workflows/s on PostgreSQL against SQLite, one at a time and in parallel; needs SAFETY_TEST_POSTGRES).
/// <c>… -- list [documents]</c> (the library list with sort and column filters at that many rectification orders).
/// <c>… -- signin [attempts]</c> (a wrong password for a known against an unknown name: the ratio must be near 1).
/// <c>… -- board [openOrders] [calls]</c> (the hazard board's JSON over that many open orders, p95 against 100 ms; and the ledger export).
/// <c>… -- notices [orders] [parallel]</c> (issuing an official notice against fetching it again, and numbering under parallel issues).
/// <c>… -- race [orders]</c> (issue 12: the same two-step approval chain on Workflow Core 3.22 in memory and on our engine with SQLite,
/// in-process and over HTTP with 8 clients; orders/s, decision p50/p95, failed requests, ratios; then where a decision's time goes).
/// <c>… -- memory [instances]</c> (issue 12: the process's RSS after that many completed one-bookmark instances, against 300 MB).
/// (A named class: top-level statements would generate a <c>Program</c> that hides the web app's.)
/// </summary>
internal static class BenchMain
{
    public static async Task<int> Main(string[] args)
    {
        var mode = args.Length > 0 ? args[0] : "documents";
        switch (mode)
        {
            case "documents":
                var uploads = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 200;
                var documents = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 100_000;
                await DocumentBench.RunAsync(uploads, documents);
                return 0;
            case "workflows":
                var scale = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 1;
                await WorkflowBench.RunAsync(scale);
                return 0;
            case "expressions":
                var expressionScale = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 1;
                var evaluator = new SafetyWorkflows.Workflows.Expressions.JavaScriptEvaluator(
                    Microsoft.Extensions.Options.Options.Create(new SafetyWorkflows.Workflows.Expressions.JavaScriptOptions()));
                await ExpressionBench.RunAsync(evaluator, expressionScale);
                return 0;
            case "approvals":
                var orders = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 1_000;
                var openTasks = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 100_000;
                await ApprovalBench.RunAsync(orders, openTasks);
                return 0;
            case "clocks":
                var timers = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 200;
                var steps = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 200;
                await ClockBench.RunAsync(timers, steps);
                return 0;
            case "postgres":
                var cycles = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 300;
                var parallel = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 8;
                return await PostgresBench.RunAsync(cycles, parallel);
            case "list":
                await ListBench.RunAsync(args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 100_000);
                return 0;
            case "signin":
                await SignInBench.RunAsync(args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 100);
                return 0;
            case "board":
                var openOrders = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 10_000;
                var calls = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 50;
                await BoardBench.RunAsync(openOrders, calls);
                return 0;
            case "notices":
                var noticeOrders = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 50;
                var noticeCallers = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 8;
                await NoticeBench.RunAsync(noticeOrders, noticeCallers);
                return 0;
            case "race":
                await RaceBench.RunAsync(args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 200);
                return 0;
            case "memory":
                await MemoryBench.RunAsync(args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 100_000);
                return 0;
            default:
                await Console.Error.WriteLineAsync($"unknown benchmark '{mode}'; known: documents, workflows, expressions, approvals, clocks, postgres, signin, list, board, notices, race, memory");
                return 2;
        }
    }
}
