using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace SafetyWorkflows.IntegrationTests.Support;

/// <summary>Drives documents through their chains the way officials do: through the REST API, each with their own token.</summary>
public sealed class ApprovalDriver(AppFactory app)
{
    public async Task<Guid> UploadAndSubmitAsync(string userName, string library, object metadata, string title)
    {
        var client = await app.ClientForAsync(userName);
        var upload = await client.PostAsync($"/api/libraries/{library}/documents", TestFiles.Upload(TestFiles.Pdf(title), "doc.pdf", metadata, title));
        Assert.True(upload.IsSuccessStatusCode, await upload.Content.ReadAsStringAsync());
        var id = (await upload.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        var submitted = await client.PostAsync($"/api/documents/{id}/submit", null);
        Assert.True(submitted.IsSuccessStatusCode, await submitted.Content.ReadAsStringAsync());
        return id;
    }

    public async Task<List<Guid>> OpenTasksAsync(string userName, Guid documentId)
    {
        var list = await (await app.ClientForAsync(userName)).GetFromJsonAsync<JsonElement>("/api/tasks?state=open&pageSize=200");
        return list.GetProperty("items").EnumerateArray()
            .Where(t => t.GetProperty("documentId").ValueKind == JsonValueKind.String && t.GetProperty("documentId").GetGuid() == documentId)
            .Select(t => t.GetProperty("id").GetGuid()).ToList();
    }

    /// <summary>The official's only open task on the document, after checking that it offers the action.</summary>
    public async Task DecideAsync(string userName, Guid documentId, string action, string? opinion)
    {
        var client = await app.ClientForAsync(userName);
        var task = Assert.Single(await OpenTasksAsync(userName, documentId));
        var detail = await client.GetFromJsonAsync<JsonElement>($"/api/tasks/{task}");
        Assert.Contains(action, detail.GetProperty("task").GetProperty("allowedActions").EnumerateArray().Select(a => a.GetString()));
        var response = await client.PostAsJsonAsync($"/api/tasks/{task}/decisions", new { commandId = Guid.NewGuid().ToString(), action, opinion });
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
    }

    public async Task HandOverAsync(string userName, Guid documentId, string action, string to, string? position = null)
    {
        var client = await app.ClientForAsync(userName);
        var task = Assert.Single(await OpenTasksAsync(userName, documentId));
        var response = await client.PostAsJsonAsync($"/api/tasks/{task}/decisions", new { commandId = Guid.NewGuid().ToString(), action, toUserName = to, position, opinion = "请协助办理" });
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
    }

    public async Task AttachAsync(string userName, Guid task, string fileName)
    {
        var bytes = fileName.EndsWith(".png", StringComparison.Ordinal) ? TestFiles.Png()
            : fileName.EndsWith(".docx", StringComparison.Ordinal) ? TestFiles.Docx()
            : TestFiles.Pdf(fileName);
        var form = new MultipartFormDataContent { { new ByteArrayContent(bytes), "file", fileName } };
        var response = await (await app.ClientForAsync(userName)).PostAsync($"/api/tasks/{task}/files", form);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
    }

    public async Task<JsonElement> DocumentAsync(Guid id) => await (await app.ClientForAsync("admin")).GetFromJsonAsync<JsonElement>($"/api/documents/{id}");

    /// <summary>The generic status of the document's state machine (Draft, Pending, Approved …): <c>genericStatus</c>.</summary>
    public async Task<string?> StatusAsync(Guid id) => (await DocumentAsync(id)).GetProperty("genericStatus").GetString();

    /// <summary>The library's stage key (<c>status</c>), its zh-CN label (<c>statusLabel</c>) and the 逾期 flag.</summary>
    public async Task<(string? Key, string? Label, bool Overdue)> StageAsync(Guid id)
    {
        var document = await DocumentAsync(id);
        return (document.GetProperty("status").GetString(), document.GetProperty("statusLabel").GetString(), document.GetProperty("overdue").GetBoolean());
    }

    public async Task<JsonElement> TrailAsync(Guid id) => await (await app.ClientForAsync("admin")).GetFromJsonAsync<JsonElement>($"/api/documents/{id}/trail");
}
