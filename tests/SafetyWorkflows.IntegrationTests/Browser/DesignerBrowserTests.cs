using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using SafetyWorkflows.IntegrationTests.Support;

namespace SafetyWorkflows.IntegrationTests.Browser;

/// <summary>
/// The real Elsa Studio 3.8.2 (npm bundle, Blazor WebAssembly custom elements) in headless Chromium against the app:
/// an administrator edits, publishes and inspects our chains. The runtime boots in 10–20 s on a small machine, hence
/// the long timeouts; each test opens as few Studio pages as it can.
/// </summary>
public sealed class DesignerBrowserTests(BrowserFixture fixture) : IClassFixture<BrowserFixture>
{
    private const float StudioBoot = 120_000;

    /// <summary>The tool-bar buttons carry no text or label; their Material icons (SVG paths) identify them.</summary>
    private const string ZoomToFit = "button:has(path[d^='M6,16h12V8H6V16z'])";

    private const string Publish = ".mud-icon-button:has(path[d^='M19.35 10.04'])";

    private AppFactory App => fixture.App;

    [Fact]
    public async Task Admin_EditsAndPublishesAChain_TheNextDocumentRunsTheNewVersion_AndTheViewerMarksWhatRan()
    {
        var (page, errors) = await SignedInPageAsync();

        await page.GotoAsync("/designer");
        foreach (var definitionId in new[] { "responsibility-letter", "rectification-order", "emergency-plan-revision" })
        {
            await Assertions.Expect(page.Locator(".mud-table-body tr", new() { HasText = definitionId })).ToBeVisibleAsync(new() { Timeout = StudioBoot });
        }

        await BrowserFixture.ScreenshotAsync(page, "designer-1-definitions");
        await page.Locator(".mud-table-body tr td", new() { HasText = "隐患整改通知" }).First.ClickAsync();
        await BrowserFixture.ExpectUrlAsync(page, url => url.EndsWith("/designer/rectification-order", StringComparison.Ordinal), "the rectification order's designer");
        var shipped = await DefinitionAsync("rectification-order", "Published");
        await ExpectFlowchartAsync(page, shipped);
        await AssertStudioHealthyAsync(page, errors, "the editor loaded");
        await BrowserFixture.ScreenshotAsync(page, "designer-2-editor");

        // Add the town mayor to the listed-supervision step (挂牌督办), a RequestApproval.
        await page.Locator(ZoomToFit).ClickAsync();
        await page.Locator(".x6-node[data-cell-id='listed']").ClickAsync();
        await page.Locator("label.mud-checkbox", new() { HasText = "角色：镇长" }).First.ClickAsync();
        await WaitForDraftAsync("rectification-order", d => Activity(d, "listed")["assignees"]!["expression"]!["value"]!.GetValue<string>().Contains("mayor", StringComparison.Ordinal));

        // Drop a Notify (发送通知) from the toolbox and connect listed's free SentBack port to it.
        var before = await NodeIdsAsync(page);
        await page.GetByText("安全生产", new() { Exact = true }).First.ClickAsync();
        var canvas = page.Locator(".flowchart-diagram-designer-wrapper").First;
        var box = (await canvas.BoundingBoxAsync())!;
        await page.Locator("[draggable=true].cursor-grab", new() { HasText = "发送通知" }).First
            .DragToAsync(canvas, new() { TargetPosition = new() { X = box.Width * 0.62f, Y = box.Height * 0.82f } });
        await Assertions.Expect(page.Locator(".x6-node")).ToHaveCountAsync(before.Count + 1, new() { Timeout = 30_000 });
        var notifyId = (await NodeIdsAsync(page)).Except(before).Single();
        await DragAsync(page, ".x6-node[data-cell-id='listed'] [port='SentBack']", $".x6-node[data-cell-id='{notifyId}'] [port='In']");
        await Assertions.Expect(page.Locator(".x6-edge")).ToHaveCountAsync(shipped["root"]!["connections"]!.AsArray().Count + 1, new() { Timeout = 30_000 });
        await BrowserFixture.ScreenshotAsync(page, "designer-3-edited");

        await page.Locator(Publish).ClickAsync();
        await Assertions.Expect(page.Locator(".mud-snackbar", new() { HasText = "Workflow published" })).ToBeVisibleAsync(new() { Timeout = 60_000 });
        await AssertStudioHealthyAsync(page, errors, "after publishing");
        await BrowserFixture.ScreenshotAsync(page, "designer-4-published");

        var published = await DefinitionAsync("rectification-order", "Published");
        Assert.Equal(2, published["version"]!.GetValue<int>());
        Assert.Equal("[\"leader-in-charge\",\"mayor\"]", Activity(published, "listed")["assignees"]!["expression"]!["value"]!.GetValue<string>());
        Assert.Equal("SafetyWorkflows.Notify", Activity(published, notifyId)["type"]!.GetValue<string>());
        Assert.Contains(published["root"]!["connections"]!.AsArray(), c =>
            c!["source"]!["activity"]!.GetValue<string>() == "listed" && c["source"]!["port"]!.GetValue<string>() == "SentBack" && c["target"]!["activity"]!.GetValue<string>() == notifyId);

        // A major hazard submitted now runs version 2: the mayor shares the listing step, and a send-back there notifies.
        var driver = new ApprovalDriver(App);
        var documentId = await driver.UploadAndSubmitAsync("wujie", "rectification-orders", new
        {
            inspectedUnit = "shitang-quarry", hazardDescription = "边坡浮石未清理", location = "二号采区", grade = "重大", deadline = "2026-12-30",
        }, "石塘采石场边坡隐患整改通知（新版流程）");
        await driver.DecideAsync("wangqiang", documentId, "approve", "同意下达");
        Assert.Single(await driver.OpenTasksAsync("sunli", documentId));
        await driver.DecideAsync("liuhua", documentId, "sendBack", "整改时限需重新核定");
        var admin = await App.ClientForAsync("admin");
        var instances = await (await admin.PostAsync("/elsa/api/workflow-instances", JsonContent.Create(new { correlationId = documentId.ToString() }))).Content.ReadFromJsonAsync<JsonObject>();
        var instanceId = Assert.Single(instances!["items"]!.AsArray())!["id"]!.GetValue<string>();
        var instance = await admin.GetFromJsonAsync<JsonObject>($"/elsa/api/workflow-instances/{instanceId}");
        Assert.Equal(published["id"]!.GetValue<string>(), instance!["definitionVersionId"]!.GetValue<string>());
        Assert.Equal(2, instance["version"]!.GetValue<int>());

        // The document's trail links to its instance; the viewer draws version 2 with badges on what ran.
        await page.GotoAsync($"/documents/{documentId}");
        await page.Locator("a.instance-link").ClickAsync();
        await BrowserFixture.ExpectUrlAsync(page, url => url.EndsWith($"/designer/instances/{instanceId}", StringComparison.Ordinal), "the instance's page");
        await ExpectFlowchartAsync(page, published);
        foreach (var ran in new[] { "start", "section", "issued", "major", "listed", notifyId })
        {
            await Assertions.Expect(page.Locator($"elsa-activity-wrapper[activity-id='{ran}'] .mud-badge")).ToBeVisibleAsync(new() { Timeout = 60_000 });
        }

        foreach (var notRun in new[] { "ack", "evidence", "closed" })
        {
            Assert.Equal(0, await page.Locator($"elsa-activity-wrapper[activity-id='{notRun}'] .mud-badge").CountAsync());
        }

        await page.Locator(ZoomToFit).ClickAsync();
        await AssertStudioHealthyAsync(page, errors, "the instance viewer loaded");
        await BrowserFixture.ScreenshotAsync(page, "designer-5-instance-viewer");
    }

    [Fact]
    public async Task StudiosCancel_OnAWaitingInstance_CancelsIt()
    {
        var admin = await App.ClientForAsync("admin");
        var model = JsonNode.Parse("""
            {
              "id": "studio-cancel-v1", "definitionId": "studio-cancel", "name": "studio-cancel", "version": 1,
              "root": { "id": "flow", "type": "Elsa.Flowchart", "version": 1,
                "activities": [
                  { "id": "start", "type": "Elsa.Start", "version": 1 },
                  { "id": "wait", "type": "Elsa.Event", "version": 1, "eventName": { "typeName": "String", "expression": { "type": "Literal", "value": "never" } } }
                ],
                "connections": [ { "source": { "activity": "start", "port": "Done" }, "target": { "activity": "wait", "port": "In" } } ] }
            }
            """);
        var saved = await admin.PostAsync("/elsa/api/workflow-definitions",
            new StringContent(new JsonObject { ["model"] = model, ["publish"] = true }.ToJsonString(), Encoding.UTF8, "application/json"));
        Assert.True(saved.IsSuccessStatusCode, await saved.Content.ReadAsStringAsync());
        var executed = await admin.PostAsync("/elsa/api/workflow-definitions/studio-cancel/execute", new StringContent("{}", Encoding.UTF8, "application/json"));
        var instanceId = executed.Headers.GetValues("x-elsa-workflow-instance-id").Single();
        var (page, errors) = await SignedInPageAsync();

        await page.GotoAsync("/designer/instances");
        var row = page.Locator(".mud-table-body tr", new() { HasText = instanceId });
        await Assertions.Expect(row).ToBeVisibleAsync(new() { Timeout = StudioBoot });
        await row.Locator("button").Last.ClickAsync();
        await page.Locator(".mud-popover-open .mud-menu-item", new() { HasTextRegex = new System.Text.RegularExpressions.Regex("^\\s*(Cancel|取消)\\s*$") }).ClickAsync();
        var confirm = page.Locator(".mud-dialog .mud-dialog-actions button").Last;
        try
        {
            await confirm.ClickAsync(new() { Timeout = 5_000 });
        }
        catch (TimeoutException)
        {
            // This Studio build cancels without asking.
        }

        JsonObject? instance = null;
        for (var i = 0; i < 100 && instance?["subStatus"]?.GetValue<string>() != "Cancelled"; i++)
        {
            await Task.Delay(100);
            instance = await admin.GetFromJsonAsync<JsonObject>($"/elsa/api/workflow-instances/{instanceId}");
        }

        await BrowserFixture.ScreenshotAsync(page, "designer-6-instance-cancelled");
        Assert.Equal("Cancelled", instance!["subStatus"]!.GetValue<string>());
        await AssertStudioHealthyAsync(page, errors, "after Cancel");
    }

    [Fact]
    public async Task PublishingAnUnrunnableDefinition_ShowsTheErrorInTheStudio_AndThePublishedVersionStays()
    {
        var (page, errors) = await SignedInPageAsync();
        var shipped = await DefinitionAsync("responsibility-letter", "Published");

        await page.GotoAsync("/designer/responsibility-letter");
        await ExpectFlowchartAsync(page, shipped);
        await page.Locator(ZoomToFit).ClickAsync();
        await page.Locator(".x6-node[data-cell-id='review']").ClickAsync();
        await page.Locator("label.mud-checkbox", new() { HasText = "角色：安办负责人" }).First.ClickAsync();
        await WaitForDraftAsync("responsibility-letter", d => Activity(d, "review")["assignees"]!["expression"]!["value"]!.GetValue<string>() == "[]");
        await page.Locator(Publish).ClickAsync();

        var error = page.Locator(".mud-snackbar", new() { HasText = "没有指定办理人" });
        await Assertions.Expect(error).ToBeVisibleAsync(new() { Timeout = 60_000 });
        Assert.Contains("review", await error.InnerTextAsync(), StringComparison.Ordinal);
        await BrowserFixture.ScreenshotAsync(page, "designer-6-publish-refused");
        var published = await DefinitionAsync("responsibility-letter", "Published");
        Assert.Equal(shipped["version"]!.GetValue<int>(), published["version"]!.GetValue<int>());
        Assert.True(JsonNode.DeepEquals(shipped["root"], published["root"]), "the published version changed");
        Assert.Single(errors, e => e.StartsWith("400 POST", StringComparison.Ordinal) && e.EndsWith("/elsa/api/workflow-definitions", StringComparison.Ordinal));
        errors.RemoveAll(e => e.StartsWith("400 POST", StringComparison.Ordinal) || e.Contains("status of 400", StringComparison.Ordinal));
        await AssertStudioHealthyAsync(page, errors, "after the refused publish");
    }

    [Fact]
    public async Task ExportFromTheStudio_Delete_ImportTheFileBack_GivesTheSameDefinition()
    {
        var (page, errors) = await SignedInPageAsync();
        var admin = await App.ClientForAsync("admin");
        var before = await DefinitionAsync("emergency-plan-revision", "Published");

        await page.GotoAsync("/designer/emergency-plan-revision");
        await ExpectFlowchartAsync(page, before);
        await page.Locator(Publish).Locator("xpath=ancestor::*[contains(@class,'mud-button-group-root')]").Locator(".mud-menu-icon-button-activator").ClickAsync();
        await page.Locator(".mud-popover-open .mud-menu-item", new() { HasText = "Export" }).First.ClickAsync();
        var download = await page.RunAndWaitForDownloadAsync(
            () => page.Locator(".mud-dialog button", new() { HasText = "Export" }).ClickAsync(), new() { Timeout = 60_000 });
        var file = Path.Combine(BrowserFixture.ScreenshotDirectory, "emergency-plan-revision.export.json");
        await download.SaveAsAsync(file);
        await AssertStudioHealthyAsync(page, errors, "after the export");

        var exported = JsonNode.Parse(await File.ReadAllTextAsync(file))!;
        Assert.Equal("https://elsaworkflows.io/schemas/workflow-definition/v3.0.0/schema.json", exported["$schema"]!.GetValue<string>());
        Assert.Equal(System.Net.HttpStatusCode.NoContent, (await admin.DeleteAsync("/elsa/api/workflow-definitions/emergency-plan-revision")).StatusCode);
        Assert.Equal(System.Net.HttpStatusCode.NotFound, (await admin.GetAsync("/elsa/api/workflow-definitions/by-definition-id/emergency-plan-revision")).StatusCode);
        var imported = await admin.PostAsync("/elsa/api/workflow-definitions/import", new StringContent(exported.ToJsonString(), Encoding.UTF8, "application/json"));
        Assert.Equal(System.Net.HttpStatusCode.Created, imported.StatusCode);

        var after = await DefinitionAsync("emergency-plan-revision", "Published");
        before.Remove("createdAt");
        after.Remove("createdAt");
        Assert.True(JsonNode.DeepEquals(before, after), $"before: {before.ToJsonString()}\nafter:  {after.ToJsonString()}");

        // The same file works as a workflows/*.json: the start-up import reads it and finds nothing to change.
        await using var scope = App.Services.CreateAsyncScope();
        var outcome = await scope.ServiceProvider.GetRequiredService<SafetyWorkflows.Workflows.Hosting.WorkflowDefinitionService>().ImportFileAsync(file, CancellationToken.None);
        Assert.Equal(SafetyWorkflows.Workflows.Hosting.ImportOutcome.Unchanged, outcome.Outcome);
    }

    /// <summary>
    /// Every action of the Studio's definition list (row Edit, Publish, Unpublish, Cancel, Delete; bulk Publish,
    /// Unpublish, Export, Delete) and the editor's Test tab answer without a 4xx/5xx, an error bar or a console error.
    /// </summary>
    [Fact]
    public async Task DefinitionList_RowAndBulkActions_AndTheTestTab_RunWithoutErrors()
    {
        var admin = await App.ClientForAsync("admin");
        foreach (var (id, publish) in new[] { ("studio-row-a", false), ("studio-row-b", false), ("studio-row-c", true) })
        {
            var saved = await admin.PostAsync("/elsa/api/workflow-definitions",
                new StringContent(new JsonObject { ["model"] = JsonNode.Parse(ListDefinition(id)), ["publish"] = publish }.ToJsonString(), Encoding.UTF8, "application/json"));
            Assert.True(saved.IsSuccessStatusCode, await saved.Content.ReadAsStringAsync());
        }

        var running = (await admin.PostAsync("/elsa/api/workflow-definitions/studio-row-c/execute", new StringContent("{}", Encoding.UTF8, "application/json")))
            .Headers.GetValues("x-elsa-workflow-instance-id").Single();
        var (page, errors) = await SignedInPageAsync();

        await page.GotoAsync("/designer");
        await SearchListAsync(page, "studio-row-a");
        await OpenRowMenuAsync(page, "studio-row-a");
        Assert.Equal(0, await MenuItem(page, "View").CountAsync());
        await BrowserFixture.ScreenshotAsync(page, "designer-7-row-menu");

        // Edit opens the editor; the Test tab runs the RunJavaScript activity on its own and shows its output.
        await MenuItem(page, "Edit").ClickAsync();
        await BrowserFixture.ExpectUrlAsync(page, url => url.EndsWith("/designer/studio-row-a", StringComparison.Ordinal), "the new definition's designer");
        await Assertions.Expect(page.Locator(".x6-node[data-cell-id='js']")).ToHaveCountAsync(1, new() { Timeout = StudioBoot });
        await page.Locator(".x6-node[data-cell-id='js']").ClickAsync();
        await page.Locator(".mud-tab", new() { HasTextRegex = new System.Text.RegularExpressions.Regex("^\\s*Test\\s*$") }).ClickAsync();
        await page.Locator("button", new() { HasText = "Start" }).ClickAsync();
        var output = page.Locator(".mud-tabs-panels", new() { HasText = "Output" }).Last;
        await Assertions.Expect(output).ToContainTextAsync("42", new() { Timeout = 30_000 });
        await Assertions.Expect(output).ToContainTextAsync("Completed");
        await page.GetByText("42", new() { Exact = true }).Last.ScrollIntoViewIfNeededAsync();
        await BrowserFixture.ScreenshotAsync(page, "designer-8-test-tab");
        await AssertStudioHealthyAsync(page, errors, "after the Test tab's run");

        // Row Publish, then row Unpublish.
        await page.GotoAsync("/designer");
        await SearchListAsync(page, "studio-row-a");
        await OpenRowMenuAsync(page, "studio-row-a");
        await MenuItem(page, "Publish").ClickAsync();
        await Assertions.Expect(page.Locator(".mud-snackbar", new() { HasText = "Workflow published" })).ToBeVisibleAsync(new() { Timeout = 30_000 });
        await WaitForAsync(async () => (await admin.GetAsync("/elsa/api/workflow-definitions/by-definition-id/studio-row-a?versionOptions=Published")).IsSuccessStatusCode, "row Publish");
        await OpenRowMenuAsync(page, "studio-row-a");
        await MenuItem(page, "Unpublish").ClickAsync();
        await Assertions.Expect(page.Locator(".mud-snackbar", new() { HasText = "Workflow retracted" })).ToBeVisibleAsync(new() { Timeout = 30_000 });
        await WaitForAsync(async () => (await admin.GetAsync("/elsa/api/workflow-definitions/by-definition-id/studio-row-a?versionOptions=Published")).StatusCode == System.Net.HttpStatusCode.NotFound, "row Unpublish");

        // Row Cancel cancels the running instances of that version; row Delete deletes the definition.
        await OpenRowMenuAsync(page, "studio-row-c");
        await MenuItem(page, "Cancel").ClickAsync();
        await ConfirmAsync(page, "Yes");
        await WaitForAsync(async () => (await admin.GetFromJsonAsync<JsonObject>($"/elsa/api/workflow-instances/{running}"))!["subStatus"]!.GetValue<string>() == "Cancelled", "row Cancel");
        await OpenRowMenuAsync(page, "studio-row-b");
        await MenuItem(page, "Delete").ClickAsync();
        await ConfirmAsync(page, "Delete");
        await WaitForAsync(async () => (await admin.GetAsync("/elsa/api/workflow-definitions/by-definition-id/studio-row-b")).StatusCode == System.Net.HttpStatusCode.NotFound, "row Delete");
        await Assertions.Expect(page.Locator(".mud-table-body tr", new() { HasText = "studio-row-b" })).ToHaveCountAsync(0, new() { Timeout = 30_000 });
        await AssertStudioHealthyAsync(page, errors, "after the row actions");

        // Bulk Publish, Unpublish, Export and Delete of rows a and c.
        // The list keeps its selection across reloads by row value, so a row that looks the same again comes back
        // selected-but-unticked; a fresh page per bulk action avoids ticking it off.
        string[] both = ["studio-row-a", "studio-row-c"];
        await SelectRowsAsync(page, both);
        await BulkAsync(page, "Publish");
        await ConfirmAsync(page, "Publish");
        await WaitForAsync(async () => (await admin.GetAsync("/elsa/api/workflow-definitions/by-definition-id/studio-row-a?versionOptions=Published")).IsSuccessStatusCode, "bulk Publish");
        await ReloadListAsync(page, both[0]);
        await SelectRowsAsync(page, both);
        await BulkAsync(page, "Unpublish");
        await ConfirmAsync(page, "Unpublish");
        await WaitForAsync(async () => (await admin.GetAsync("/elsa/api/workflow-definitions/by-definition-id/studio-row-c?versionOptions=Published")).StatusCode == System.Net.HttpStatusCode.NotFound, "bulk Unpublish");
        await ReloadListAsync(page, both[0]);
        await SelectRowsAsync(page, both);
        await BulkAsync(page, "Export");
        var download = await page.RunAndWaitForDownloadAsync(() => page.Locator(".mud-dialog button", new() { HasText = "Export" }).ClickAsync(), new() { Timeout = 60_000 });
        Assert.EndsWith(".zip", download.SuggestedFilename, StringComparison.Ordinal);
        await ReloadListAsync(page, both[0]);
        await SelectRowsAsync(page, both);
        await BulkAsync(page, "Delete");
        await ConfirmAsync(page, "Delete");
        await WaitForAsync(async () => (await admin.GetAsync("/elsa/api/workflow-definitions/by-definition-id/studio-row-c")).StatusCode == System.Net.HttpStatusCode.NotFound, "bulk Delete");
        await Assertions.Expect(page.Locator(".mud-table-body tr", new() { HasText = "studio-row-" })).ToHaveCountAsync(0, new() { Timeout = 30_000 });
        // The Studio follows the page's zh-CN: MudBlazor's own pager text is Chinese (Elsa's labels have no Chinese in the bundle).
        await Assertions.Expect(page.Locator(".mud-table-pagination-caption", new() { HasText = "共" })).ToBeVisibleAsync();
        await BrowserFixture.ScreenshotAsync(page, "designer-9-after-bulk");
        await AssertStudioHealthyAsync(page, errors, "after the bulk actions");
    }

    /// <summary>
    /// The instance list's bulk Cancel and Delete and its Import, then the viewer of a suspended rectification order:
    /// journal entries, the call stack of the waiting step, and the Variables tab, with no error anywhere.
    /// </summary>
    [Fact]
    public async Task InstanceList_BulkActionsAndImport_AndTheViewersJournalCallStackAndVariables_Work()
    {
        var admin = await App.ClientForAsync("admin");
        var saved = await admin.PostAsync("/elsa/api/workflow-definitions",
            new StringContent(new JsonObject { ["model"] = JsonNode.Parse(ListDefinition("studio-inst")), ["publish"] = true }.ToJsonString(), Encoding.UTF8, "application/json"));
        Assert.True(saved.IsSuccessStatusCode, await saved.Content.ReadAsStringAsync());
        var ids = new List<string>();
        for (var i = 0; i < 2; i++)
        {
            ids.Add((await admin.PostAsync("/elsa/api/workflow-definitions/studio-inst/execute", new StringContent("{}", Encoding.UTF8, "application/json")))
                .Headers.GetValues("x-elsa-workflow-instance-id").Single());
        }

        var exported = await admin.GetByteArrayAsync($"/elsa/api/workflow-instances/{ids[0]}/export");
        var (page, errors) = await SignedInPageAsync(2400, 1200);
        await page.GotoAsync("/designer/instances");
        await Assertions.Expect(page.Locator(".mud-table-body tr", new() { HasText = ids[1] })).ToBeVisibleAsync(new() { Timeout = StudioBoot });

        await SelectRowsAsync(page, ids);
        await BulkAsync(page, "Cancel");
        await ConfirmAsync(page, "Yes");
        foreach (var id in ids)
        {
            await WaitForAsync(async () => (await admin.GetFromJsonAsync<JsonObject>($"/elsa/api/workflow-instances/{id}"))!["subStatus"]!.GetValue<string>() == "Cancelled", "bulk Cancel");
        }

        await SelectRowsAsync(page, ids);
        await BulkAsync(page, "Delete");
        await ConfirmAsync(page, "Delete");
        foreach (var id in ids)
        {
            await WaitForAsync(async () => (await admin.GetAsync($"/elsa/api/workflow-instances/{id}")).StatusCode == System.Net.HttpStatusCode.NotFound, "bulk Delete");
        }

        var file = Path.Combine(BrowserFixture.ScreenshotDirectory, "studio-inst.instance.json");
        await File.WriteAllBytesAsync(file, exported);
        await page.GetByRole(AriaRole.Button, new() { Name = "Actions", Exact = true }).ClickAsync();
        var chooser = await page.RunAndWaitForFileChooserAsync(() => page.Locator(".mud-popover-open .mud-menu-item", new() { HasText = "Import" }).ClickAsync());
        await chooser.SetFilesAsync(file);
        await WaitForAsync(async () => (await admin.GetAsync($"/elsa/api/workflow-instances/{ids[0]}")).IsSuccessStatusCode, "Import");
        await Assertions.Expect(page.Locator(".mud-table-body tr", new() { HasText = ids[0] })).ToBeVisibleAsync(new() { Timeout = 30_000 });
        await AssertStudioHealthyAsync(page, errors, "after the instance list's actions");

        // A rectification order waiting at the safety office's approval (section).
        var driver = new ApprovalDriver(App);
        var documentId = await driver.UploadAndSubmitAsync("wujie", "rectification-orders", new
        {
            inspectedUnit = "shitang-quarry", hazardDescription = "炸药库防雷检测过期", location = "炸药库", grade = "一般", deadline = "2026-12-30",
        }, "石塘采石场炸药库隐患整改通知");
        var instances = await (await admin.PostAsync("/elsa/api/workflow-instances", JsonContent.Create(new { correlationId = documentId.ToString() }))).Content.ReadFromJsonAsync<JsonObject>();
        var instanceId = Assert.Single(instances!["items"]!.AsArray())!["id"]!.GetValue<string>();
        Assert.Equal("Suspended", instances["items"]![0]!["subStatus"]!.GetValue<string>());
        var variables = (await admin.GetFromJsonAsync<JsonObject>($"/elsa/api/workflow-instances/{instanceId}/variables"))!["items"]!.AsArray();

        await page.GotoAsync($"/designer/instances/{instanceId}");
        await Assertions.Expect(page.Locator("elsa-activity-wrapper[activity-id='section']")).ToHaveCountAsync(1, new() { Timeout = StudioBoot });
        var journal = page.Locator(".mud-timeline-item");
        await Assertions.Expect(journal.First).ToBeVisibleAsync(new() { Timeout = 60_000 });
        Assert.True(await journal.CountAsync() >= 3, $"the journal shows {await journal.CountAsync()} entries");
        // The waiting step's journal entry selects it; its execution (Executions tab) selects the record whose call stack shows.
        await page.Locator(".mud-timeline-item", new() { HasText = "Suspended" }).Last.ClickAsync();
        await page.Locator(".mud-tab", new() { HasText = "Executions" }).ClickAsync();
        await page.Locator(".mud-tabs-panels .mud-table-body tr").First.ClickAsync();
        await Assertions.Expect(page.Locator(".mud-drawer", new() { HasText = "Execution Details" })).ToBeVisibleAsync();
        await page.Locator(".mud-overlay-drawer").ClickAsync(new() { Position = new() { X = 50, Y = 300 } });
        await page.Locator(".mud-tab", new() { HasText = "Activity Call Stack" }).ClickAsync();
        await Assertions.Expect(page.Locator(".mud-toolbar", new() { HasTextRegex = new System.Text.RegularExpressions.Regex("Call stack \\([2-9]\\)") })).ToBeVisibleAsync(new() { Timeout = 30_000 });
        await BrowserFixture.ScreenshotAsync(page, "designer-10-call-stack");
        await page.Locator(".mud-tab", new() { HasTextRegex = new System.Text.RegularExpressions.Regex("^\\s*Variables\\s*$") }).First.ClickAsync();
        var panel = page.Locator(".mud-tabs-panels", new() { HasText = "Variables" }).Last;
        if (variables.Count == 0)
        {
            await Assertions.Expect(panel).ToContainTextAsync("No variables", new() { Timeout = 30_000 });
        }
        else
        {
            foreach (var variable in variables)
            {
                await Assertions.Expect(panel).ToContainTextAsync(variable!["name"]!.GetValue<string>(), new() { Timeout = 30_000 });
            }
        }

        await BrowserFixture.ScreenshotAsync(page, "designer-11-instance-variables");
        await AssertStudioHealthyAsync(page, errors, "in the instance viewer");

        // The imported instance opens in the viewer too, its workflow variable listed with its value.
        await page.GotoAsync($"/designer/instances/{ids[0]}");
        await Assertions.Expect(page.Locator("elsa-activity-wrapper[activity-id='wait']")).ToHaveCountAsync(1, new() { Timeout = StudioBoot });
        await page.Locator(".mud-tab", new() { HasTextRegex = new System.Text.RegularExpressions.Regex("^\\s*Variables\\s*$") }).First.ClickAsync();
        var imported = page.Locator(".mud-tabs-panels", new() { HasText = "Variables" }).Last;
        await Assertions.Expect(imported).ToContainTextAsync("Answer", new() { Timeout = 30_000 });
        await Assertions.Expect(imported).ToContainTextAsync("21");
        await BrowserFixture.ScreenshotAsync(page, "designer-12-imported-instance");
        await AssertStudioHealthyAsync(page, errors, "in the imported instance's viewer");
    }

    /// <summary>An unknown activity type opens in the editor as Elsa's NotFoundActivity placeholder, without an error.</summary>
    [Fact]
    public async Task ADraftWithAnUnknownActivity_OpensInTheEditor_WithThePlaceholderDrawn()
    {
        var admin = await App.ClientForAsync("admin");
        var model = JsonNode.Parse(ListDefinition("studio-unknown"))!.AsObject();
        model["isPublished"] = false;
        model["root"]!["activities"]!.AsArray().Add(JsonNode.Parse("""
            { "id": "legacy", "nodeId": "Workflow1:flow:legacy", "name": "LegacyStamp1", "type": "Acme.LegacyStamp", "version": 2,
              "metadata": { "designer": { "position": { "x": 720, "y": 0 } } } }
            """));
        model["root"]!["connections"]!.AsArray().Add(JsonNode.Parse("""{ "source": { "activity": "wait", "port": "Done" }, "target": { "activity": "legacy", "port": "In" } }"""));
        var imported = await admin.PostAsync("/elsa/api/workflow-definitions/import", new StringContent(model.ToJsonString(), Encoding.UTF8, "application/json"));
        Assert.True(imported.IsSuccessStatusCode, await imported.Content.ReadAsStringAsync());
        var (page, errors) = await SignedInPageAsync();

        await page.GotoAsync("/designer/studio-unknown");
        await Assertions.Expect(page.Locator(".x6-node[data-cell-id='legacy']")).ToHaveCountAsync(1, new() { Timeout = StudioBoot });
        await Assertions.Expect(page.Locator(".x6-node")).ToHaveCountAsync(4);
        await page.Locator(ZoomToFit).ClickAsync();
        await BrowserFixture.ScreenshotAsync(page, "designer-13-not-found-placeholder");
        await AssertStudioHealthyAsync(page, errors, "with a NotFoundActivity placeholder");
    }

    /// <summary>
    /// Workflow-as-activity in the Studio: a published definition with options.usableAsActivity is in the toolbox under
    /// "Workflows" (Elsa's WorkflowDefinitionActivityDescriptorFactory), dropping it gives a node with the definition's
    /// outcomes as ports and Elsa's construction properties (workflowDefinitionId, workflowDefinitionVersionId, version),
    /// the definition using it publishes, and running it starts the child with this instance as its parent.
    /// </summary>
    [Fact]
    public async Task AWorkflowUsableAsActivity_IsInTheToolbox_DropsWithItsOutcomes_AndTheConsumerPublishesAndRuns()
    {
        var admin = await App.ClientForAsync("admin");
        var child = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(AppContext.BaseDirectory, "Workflows", "TestDefinitions", "workflow-as-activity-child.json")))!;
        var response = await admin.PostAsync("/elsa/api/workflow-definitions", new StringContent(new JsonObject { ["model"] = child, ["publish"] = true }.ToJsonString(), Encoding.UTF8, "application/json"));
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        var consumer = """
            { "id": "studio-consumer-v1", "definitionId": "studio-consumer", "name": "studio-consumer", "version": 1,
              "root": { "id": "flow", "type": "Elsa.Flowchart", "version": 1,
                "activities": [ { "id": "start", "type": "Elsa.Start", "version": 1, "metadata": { "designer": { "position": { "x": 0, "y": 0 } } } } ],
                "connections": [] } }
            """;
        response = await admin.PostAsync("/elsa/api/workflow-definitions", new StringContent(new JsonObject { ["model"] = JsonNode.Parse(consumer), ["publish"] = false }.ToJsonString(), Encoding.UTF8, "application/json"));
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        var (page, errors) = await SignedInPageAsync();

        await page.GotoAsync("/designer/studio-consumer");
        await Assertions.Expect(page.Locator(".x6-node[data-cell-id='start']")).ToHaveCountAsync(1, new() { Timeout = StudioBoot });
        await page.GetByText("Workflows", new() { Exact = true }).First.ClickAsync();
        var canvas = page.Locator(".flowchart-diagram-designer-wrapper").First;
        var box = (await canvas.BoundingBoxAsync())!;
        await page.Locator("[draggable=true].cursor-grab", new() { HasText = "Inspection step" }).First
            .DragToAsync(canvas, new() { TargetPosition = new() { X = box.Width * 0.6f, Y = box.Height * 0.5f } });
        await Assertions.Expect(page.Locator(".x6-node")).ToHaveCountAsync(2, new() { Timeout = 30_000 });
        var stepId = (await NodeIdsAsync(page)).Single(id => id != "start");
        await Assertions.Expect(page.Locator($".x6-node[data-cell-id='{stepId}'] [port='Passed']")).ToHaveCountAsync(1);
        await Assertions.Expect(page.Locator($".x6-node[data-cell-id='{stepId}'] [port='Failed']")).ToHaveCountAsync(1);
        await DragAsync(page, ".x6-node[data-cell-id='start'] [port='Done']", $".x6-node[data-cell-id='{stepId}'] [port='In']");
        await Assertions.Expect(page.Locator(".x6-edge")).ToHaveCountAsync(1, new() { Timeout = 30_000 });
        await WaitForDraftAsync("studio-consumer", d => d["root"]!["connections"]!.AsArray().Count == 1);
        await page.Locator(ZoomToFit).ClickAsync();
        await BrowserFixture.ScreenshotAsync(page, "designer-14-workflow-as-activity");

        await page.Locator(Publish).ClickAsync();
        await Assertions.Expect(page.Locator(".mud-snackbar", new() { HasText = "Workflow published" })).ToBeVisibleAsync(new() { Timeout = 60_000 });
        await AssertStudioHealthyAsync(page, errors, "after publishing a definition that uses a workflow as an activity");

        var published = await DefinitionAsync("studio-consumer", "Published");
        var step = Activity(published, stepId);
        Assert.Equal("InspectionStep", step["type"]!.GetValue<string>());
        Assert.Equal("inspection-step", step["workflowDefinitionId"]!.GetValue<string>());
        Assert.Equal("inspection-step-v1", step["workflowDefinitionVersionId"]!.GetValue<string>());
        Assert.Equal(1, step["version"]!.GetValue<int>());

        var executed = await admin.PostAsync("/elsa/api/workflow-definitions/studio-consumer/execute", new StringContent("{}", Encoding.UTF8, "application/json"));
        Assert.True(executed.IsSuccessStatusCode, await executed.Content.ReadAsStringAsync());
        var parentId = executed.Headers.GetValues("x-elsa-workflow-instance-id").Single();
        var children = await (await admin.PostAsync("/elsa/api/workflow-instances", JsonContent.Create(new { definitionId = "inspection-step" }))).Content.ReadFromJsonAsync<JsonObject>();
        var childId = Assert.Single(children!["items"]!.AsArray())!["id"]!.GetValue<string>();
        Assert.Equal(parentId, (await admin.GetFromJsonAsync<JsonObject>($"/elsa/api/workflow-instances/{childId}"))!["parentWorkflowInstanceId"]!.GetValue<string>());
    }

    private static string ListDefinition(string definitionId) => $$"""
        {
          "id": "{{definitionId}}-v1", "definitionId": "{{definitionId}}", "name": "{{definitionId}}", "version": 1,
          "variables": [ { "id": "answer", "name": "Answer", "typeName": "Int32", "value": "21", "storageDriverTypeName": "WorkflowInstanceStorageDriver" } ],
          "root": { "id": "flow", "nodeId": "Workflow1:flow", "type": "Elsa.Flowchart", "version": 1,
            "activities": [
              { "id": "start", "nodeId": "Workflow1:flow:start", "name": "Start1", "type": "Elsa.Start", "version": 1, "metadata": { "designer": { "position": { "x": 0, "y": 0 } } } },
              { "id": "js", "nodeId": "Workflow1:flow:js", "name": "RunJavaScript1", "type": "Elsa.RunJavaScript", "version": 1, "metadata": { "designer": { "position": { "x": 240, "y": 0 } } },
                "script": { "typeName": "String", "expression": { "type": "Literal", "value": "return getAnswer() * 2;" } } },
              { "id": "wait", "nodeId": "Workflow1:flow:wait", "name": "Event1", "type": "Elsa.Event", "version": 1, "metadata": { "designer": { "position": { "x": 480, "y": 0 } } },
                "eventName": { "typeName": "String", "expression": { "type": "Literal", "value": "never-{{definitionId}}" } } }
            ],
            "connections": [
              { "source": { "activity": "start", "port": "Done" }, "target": { "activity": "js", "port": "In" } },
              { "source": { "activity": "js", "port": "Done" }, "target": { "activity": "wait", "port": "In" } }
            ] }
        }
        """;

    private static async Task OpenRowMenuAsync(IPage page, string text)
    {
        await page.Locator(".mud-table-body tr", new() { HasText = text }).Locator("button").Last.ClickAsync();
        await Assertions.Expect(page.Locator(".mud-popover-open .mud-menu-item").First).ToBeVisibleAsync();
    }

    private static ILocator MenuItem(IPage page, string text) =>
        page.Locator(".mud-popover-open .mud-menu-item", new() { HasTextRegex = new System.Text.RegularExpressions.Regex($"^\\s*{text}\\s*$") });

    private static async Task ConfirmAsync(IPage page, string yes) =>
        await page.Locator(".mud-dialog .mud-dialog-actions button", new() { HasTextRegex = new System.Text.RegularExpressions.Regex($"^\\s*{yes}\\s*$") }).ClickAsync();

    private static async Task SelectRowsAsync(IPage page, IEnumerable<string> texts)
    {
        foreach (var text in texts)
        {
            var box = page.Locator(".mud-table-body tr", new() { HasText = text }).Locator("input[type=checkbox]").First;
            await Assertions.Expect(box).ToBeVisibleAsync(new() { Timeout = 30_000 });
            if (!await box.IsCheckedAsync())
            {
                await box.ClickAsync();
            }
        }
    }

    private static async Task ReloadListAsync(IPage page, string rowText)
    {
        await page.ReloadAsync();
        await SearchListAsync(page, rowText);
    }

    /// <summary>
    /// Narrows the definition list to this test's rows with the Studio's search box: the list pages by ten, ordered by
    /// name, and the shipped chains (Chinese names) fill the first page.
    /// </summary>
    private static async Task SearchListAsync(IPage page, string rowText)
    {
        var search = page.GetByRole(AriaRole.Textbox, new() { Name = "Search on Id, Name, Description, Definition Id" });
        await search.WaitForAsync(new() { Timeout = StudioBoot });
        await search.FillAsync("studio-row");
        await search.PressAsync("Enter");
        await Assertions.Expect(page.Locator(".mud-table-body tr", new() { HasText = rowText })).ToBeVisibleAsync(new() { Timeout = StudioBoot });
    }

    private static async Task BulkAsync(IPage page, string action)
    {
        await page.GetByRole(AriaRole.Button, new() { Name = "Bulk actions", Exact = true }).ClickAsync();
        await MenuItem(page, action).ClickAsync();
    }

    private static async Task WaitForAsync(Func<Task<bool>> done, string what)
    {
        for (var attempt = 0; attempt < 100; attempt++)
        {
            if (await done())
            {
                return;
            }

            await Task.Delay(200);
        }

        Assert.Fail($"{what} did not take effect");
    }

    private async Task<(IPage Page, List<string> Errors)> SignedInPageAsync(int width = 1600, int height = 1000)
    {
        var page = await fixture.NewPageAsync(width, height);
        var errors = new List<string>();
        page.Console += (_, message) =>
        {
            if (message.Type == "error")
            {
                errors.Add($"console: {message.Text} ({message.Location})");
            }
        };
        page.PageError += (_, error) => errors.Add($"page error: {error}");
        page.Response += (_, response) =>
        {
            if (response.Status >= 400)
            {
                errors.Add($"{response.Status} {response.Request.Method} {response.Url}");
            }
        };
        page.SetDefaultTimeout(30_000);
        await BrowserFixture.SignInAsync(page, "admin");
        return (page, errors);
    }

    /// <summary>Every activity and every connection of <paramref name="definition"/> is drawn.</summary>
    private static async Task ExpectFlowchartAsync(IPage page, JsonObject definition)
    {
        var root = definition["root"]!;
        foreach (var activity in root["activities"]!.AsArray())
        {
            await Assertions.Expect(page.Locator($".x6-node[data-cell-id='{activity!["id"]!.GetValue<string>()}']")).ToHaveCountAsync(1, new() { Timeout = StudioBoot });
        }

        await Assertions.Expect(page.Locator(".x6-node")).ToHaveCountAsync(root["activities"]!.AsArray().Count);
        await Assertions.Expect(page.Locator(".x6-edge")).ToHaveCountAsync(root["connections"]!.AsArray().Count, new() { Timeout = 30_000 });
    }

    private static async Task AssertStudioHealthyAsync(IPage page, List<string> errors, string when)
    {
        Assert.False(await page.Locator("#blazor-error-ui").IsVisibleAsync(), $"Blazor's error bar is showing {when}: {string.Join(" | ", errors)}");
        Assert.True(errors.Count == 0, $"console errors {when}: {string.Join(" | ", errors)}");
    }

    private static async Task<List<string>> NodeIdsAsync(IPage page) =>
        [.. await page.Locator(".x6-node").EvaluateAllAsync<string[]>("nodes => nodes.map(n => n.getAttribute('data-cell-id'))")];

    /// <summary>x6 draws a connection on a mouse drag from a port to a port (HTML5 drag-and-drop is only for the toolbox).</summary>
    private static async Task DragAsync(IPage page, string from, string to)
    {
        var source = (await page.Locator(from).First.BoundingBoxAsync())!;
        var target = (await page.Locator(to).First.BoundingBoxAsync())!;
        await page.Mouse.MoveAsync(source.X + (source.Width / 2), source.Y + (source.Height / 2));
        await page.Mouse.DownAsync();
        await page.Mouse.MoveAsync(target.X + (target.Width / 2), target.Y + (target.Height / 2), new() { Steps = 15 });
        await page.Mouse.UpAsync();
    }

    /// <summary>Auto-save is on: waits until the latest version the API holds satisfies <paramref name="saved"/>.</summary>
    private async Task WaitForDraftAsync(string definitionId, Func<JsonObject, bool> saved)
    {
        for (var attempt = 0; attempt < 60; attempt++)
        {
            if (saved(await DefinitionAsync(definitionId, "Latest")))
            {
                return;
            }

            await Task.Delay(500);
        }

        Assert.Fail($"the Studio did not auto-save the change to {definitionId}: {(await DefinitionAsync(definitionId, "Latest")).ToJsonString()}");
    }

    private async Task<JsonObject> DefinitionAsync(string definitionId, string versionOptions)
    {
        var admin = await App.ClientForAsync("admin");
        return (await admin.GetFromJsonAsync<JsonObject>($"/elsa/api/workflow-definitions/by-definition-id/{definitionId}?versionOptions={versionOptions}"))!;
    }

    private static JsonNode Activity(JsonObject definition, string id) =>
        definition["root"]!["activities"]!.AsArray().Single(a => a!["id"]!.GetValue<string>() == id)!;
}
