using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using SafetyWorkflows.IntegrationTests.Support;

namespace SafetyWorkflows.IntegrationTests.Documents;

/// <summary>Library lists: sort by any column, filters per column, built-in and saved views (personal and shared).</summary>
public sealed class ListViewTests(AppFixture fixture) : IClassFixture<AppFixture>
{
    private AppFactory App => fixture.App;

    [Fact]
    public async Task SharedView_WithTwoFiltersAndASort_ShowsExactlyItsRows_InOrder_ForEveryone()
    {
        var tag = Tag();
        var rows = new (string Title, string Grade, string Deadline, string Unit)[]
        {
            ($"{tag} 甲", "重大", "2026-03-01", "xiangnan-chemical"),
            ($"{tag} 乙", "重大", "2026-05-20", "dongyue-construction"),
            ($"{tag} 丙", "一般", "2026-04-01", "xiangnan-chemical"),
            ($"{tag} 丁", "重大", "2026-09-01", "xiangnan-chemical"),   // outside the range
            ($"{tag} 戊", "重大", "2026-01-15", "dongyue-construction"),
        };
        var ids = new Dictionary<string, Guid>();
        foreach (var row in rows)
        {
            ids[row.Title] = await UploadOrderAsync(row.Title, row.Grade, row.Deadline, row.Unit);
        }

        var head = await App.ClientForAsync("wangqiang");
        var saved = await head.PostAsJsonAsync("/api/libraries/rectification-orders/views", new
        {
            name = "上半年重大隐患",
            shared = true,
            sort = "-deadline",
            filters = new Dictionary<string, string> { ["grade"] = "重大", ["deadline"] = "2026-01-01..2026-06-30" },
        });
        Assert.Equal(HttpStatusCode.Created, saved.StatusCode);
        var viewId = (await saved.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString();

        // Another township-wide official sees the shared view and gets the same rows: 乙 (05-20), 甲 (03-01), 戊 (01-15).
        var leader = await App.ClientForAsync("liuhua");
        var views = await leader.GetFromJsonAsync<JsonElement>("/api/libraries/rectification-orders/views");
        Assert.Contains(views.EnumerateArray(), v => v.GetProperty("id").GetString() == viewId && v.GetProperty("shared").GetBoolean());
        var list = await leader.GetFromJsonAsync<JsonElement>($"/api/libraries/rectification-orders/documents?view={viewId}&q={Uri.EscapeDataString(tag)}");
        Assert.Equal([$"{tag} 乙", $"{tag} 甲", $"{tag} 戊"], Titles(list));
        Assert.Equal(3, list.GetProperty("totalCount").GetInt32());

        // Parameters apply over the view: the same view sorted the other way, and narrowed to one unit.
        var narrowed = await leader.GetFromJsonAsync<JsonElement>(
            $"/api/libraries/rectification-orders/documents?view={viewId}&sort=deadline&{Filter("inspectedUnit", "dongyue-construction")}&q={Uri.EscapeDataString(tag)}");
        Assert.Equal([$"{tag} 戊", $"{tag} 乙"], Titles(narrowed));
    }

    [Fact]
    public async Task SortAndFilter_ByAnyColumn_AndBadParameters_Answer400NamingThem()
    {
        var tag = Tag();
        await UploadOrderAsync($"{tag} B", "一般", "2026-02-01", "xiangnan-chemical", "配电箱未接地");
        await UploadOrderAsync($"{tag} A", "重大", "2026-03-01", "xiangnan-chemical", "液氨储罐泄漏报警失效");
        await UploadOrderAsync($"{tag} C", "一般", "2026-01-01", "xiangnan-chemical", "消防通道堵塞");
        var head = await App.ClientForAsync("wangqiang");
        var q = "q=" + Uri.EscapeDataString(tag);

        Assert.Equal([$"{tag} A", $"{tag} B", $"{tag} C"], Titles(await head.GetFromJsonAsync<JsonElement>($"/api/libraries/rectification-orders/documents?sort=title&{q}")));
        Assert.Equal([$"{tag} C", $"{tag} B", $"{tag} A"], Titles(await head.GetFromJsonAsync<JsonElement>($"/api/libraries/rectification-orders/documents?sort=deadline&{q}")));
        Assert.Equal([$"{tag} B", $"{tag} C"], Titles(await head.GetFromJsonAsync<JsonElement>(
            $"/api/libraries/rectification-orders/documents?sort=-deadline&{Filter("grade", "一般")}&{q}")));
        Assert.Equal([$"{tag} A"], Titles(await head.GetFromJsonAsync<JsonElement>(
            $"/api/libraries/rectification-orders/documents?{Filter("hazardDescription", "储罐")}&{q}")));
        Assert.Equal([$"{tag} B", $"{tag} A"], Titles(await head.GetFromJsonAsync<JsonElement>(
            $"/api/libraries/rectification-orders/documents?sort=deadline&{Filter("deadline", "2026-01-15..")}&{q}")));

        await ProblemAssert.IsProblemAsync(await head.GetAsync($"/api/libraries/rectification-orders/documents?{Filter("grade", "特大")}"),
            HttpStatusCode.BadRequest, "filter[grade]");
        await ProblemAssert.IsProblemAsync(await head.GetAsync($"/api/libraries/rectification-orders/documents?{Filter("deadline", "明天")}"),
            HttpStatusCode.BadRequest, "filter[deadline]");
        await ProblemAssert.IsProblemAsync(await head.GetAsync($"/api/libraries/rectification-orders/documents?{Filter("colour", "red")}"),
            HttpStatusCode.BadRequest, "filter[colour]");
        await ProblemAssert.IsProblemAsync(await head.GetAsync("/api/libraries/rectification-orders/documents?sort=-colour"), HttpStatusCode.BadRequest, "sort");
        await ProblemAssert.IsProblemAsync(await head.GetAsync("/api/libraries/rectification-orders/documents?view=no-such-view"), HttpStatusCode.BadRequest, "view");
    }

    [Fact]
    public async Task PersonalView_IsItsOwners_BuiltInViews_MineAndMajor()
    {
        var tag = Tag();
        var major = await UploadOrderAsync($"{tag} 重大", "重大", "2026-03-01", "xiangnan-chemical");
        await UploadOrderAsync($"{tag} 一般", "一般", "2026-03-01", "xiangnan-chemical");
        var inspector = await App.ClientForAsync("wujie");
        var q = "q=" + Uri.EscapeDataString(tag);

        var builtIn = await inspector.GetFromJsonAsync<JsonElement>("/api/libraries/rectification-orders/views");
        Assert.Equal(["all", "mine", "overdue", "major", "my-unit"], builtIn.EnumerateArray().Where(v => v.GetProperty("builtIn").GetBoolean())
            .Select(v => v.GetProperty("id").GetString()!).ToArray());
        Assert.Equal([$"{tag} 重大"], Titles(await inspector.GetFromJsonAsync<JsonElement>($"/api/libraries/rectification-orders/documents?view=major&{q}")));
        Assert.Equal(2, (await inspector.GetFromJsonAsync<JsonElement>($"/api/libraries/rectification-orders/documents?view=mine&{q}")).GetProperty("totalCount").GetInt32());
        Assert.Equal(0, (await (await App.ClientForAsync("wangqiang")).GetFromJsonAsync<JsonElement>(
            $"/api/libraries/rectification-orders/documents?view=mine&{q}")).GetProperty("totalCount").GetInt32());

        var saved = await inspector.PostAsJsonAsync("/api/libraries/rectification-orders/views",
            new { name = "我的重大", shared = false, filters = new Dictionary<string, string> { ["grade"] = "重大" } });
        Assert.Equal(HttpStatusCode.Created, saved.StatusCode);
        var viewId = (await saved.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString();
        Assert.Equal([major], Ids(await inspector.GetFromJsonAsync<JsonElement>($"/api/libraries/rectification-orders/documents?view={viewId}&{q}")));

        var other = await App.ClientForAsync("wangqiang");
        await ProblemAssert.IsProblemAsync(await other.GetAsync($"/api/libraries/rectification-orders/documents?view={viewId}"), HttpStatusCode.BadRequest, "view");
        Assert.Equal(HttpStatusCode.NotFound, (await other.DeleteAsync($"/api/libraries/rectification-orders/views/{viewId}")).StatusCode);
        // Shared views are the township's: a village head saves views for himself only.
        Assert.Equal(HttpStatusCode.Forbidden, (await (await App.ClientForAsync("yangshan")).PostAsJsonAsync("/api/libraries/rectification-orders/views",
            new { name = "共享", shared = true, filters = new Dictionary<string, string>() })).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await inspector.DeleteAsync($"/api/libraries/rectification-orders/views/{viewId}")).StatusCode);
    }

    private static string Tag() => "列表" + Guid.NewGuid().ToString("N")[..6];

    private static string Filter(string key, string value) => Uri.EscapeDataString($"filter[{key}]") + "=" + Uri.EscapeDataString(value);

    private static string[] Titles(JsonElement list) => list.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("title").GetString()!).ToArray();

    private static Guid[] Ids(JsonElement list) => list.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("id").GetGuid()).ToArray();

    private async Task<Guid> UploadOrderAsync(string title, string grade, string deadline, string unit, string description = "储罐区静电接地失效")
    {
        var inspector = await App.ClientForAsync("wujie");
        var response = await inspector.PostAsync("/api/libraries/rectification-orders/documents", TestFiles.Upload(TestFiles.Pdf(title), "order.pdf",
            new { inspectedUnit = unit, hazardDescription = description, location = "厂区", grade, deadline }, title));
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
    }
}
