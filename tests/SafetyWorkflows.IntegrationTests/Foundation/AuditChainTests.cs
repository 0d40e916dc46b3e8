using System.Net.Http.Json;
using System.Text.Json;
using SafetyWorkflows.IntegrationTests.Support;

namespace SafetyWorkflows.IntegrationTests.Foundation;

public sealed class AuditChainTests
{
    [Fact]
    public async Task Verify_IsOk_ThenNamesTheEntryEditedBehindTheAppsBack()
    {
        await using var app = new AppFactory();
        var clerk = await app.ClientForAsync("zhaomin");
        var admin = await app.ClientForAsync("auditadmin");
        for (var i = 0; i < 3; i++)
        {
            var upload = await clerk.PostAsync("/api/libraries/responsibility-letters/documents", TestFiles.Upload(TestFiles.Pdf($"a{i}"), $"a{i}.pdf", TestFiles.LetterMetadata()));
            upload.EnsureSuccessStatusCode();
        }

        var ok = await admin.GetFromJsonAsync<JsonElement>("/api/audit/verify");
        Assert.True(ok.GetProperty("ok").GetBoolean(), ok.GetRawText());
        var entries = ok.GetProperty("entries").GetInt64();
        Assert.True(entries >= 6);
        Assert.Equal(JsonValueKind.Null, ok.GetProperty("firstBrokenEntryId").ValueKind);

        var target = await app.ScalarAsync("SELECT Id FROM AuditEntries WHERE Action = 'document.upload' ORDER BY Id LIMIT 1 OFFSET 1");
        await app.ExecuteAsync($"UPDATE AuditEntries SET Summary = Summary || ' (edited)' WHERE Id = {target}");

        var broken = await admin.GetFromJsonAsync<JsonElement>("/api/audit/verify");
        Assert.False(broken.GetProperty("ok").GetBoolean());
        Assert.Equal(target, broken.GetProperty("firstBrokenEntryId").GetInt64());
    }

    [Fact]
    public async Task Verify_NamesTheGap_WhenAnEntryIsDeleted()
    {
        await using var app = new AppFactory();
        var clerk = await app.ClientForAsync("zhaomin");
        var admin = await app.ClientForAsync("auditadmin");
        (await clerk.PostAsync("/api/libraries/responsibility-letters/documents", TestFiles.Upload(TestFiles.Pdf("d"), "d.pdf", TestFiles.LetterMetadata()))).EnsureSuccessStatusCode();
        var last = await app.ScalarAsync("SELECT MAX(Id) FROM AuditEntries");
        var deleted = last - 1;

        await app.ExecuteAsync($"DELETE FROM AuditEntries WHERE Id = {deleted}");

        var broken = await admin.GetFromJsonAsync<JsonElement>("/api/audit/verify");
        Assert.False(broken.GetProperty("ok").GetBoolean());
        Assert.Equal(last, broken.GetProperty("firstBrokenEntryId").GetInt64());
    }
}
