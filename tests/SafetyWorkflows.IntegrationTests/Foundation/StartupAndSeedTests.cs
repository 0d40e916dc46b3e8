using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using SafetyWorkflows.IntegrationTests.Support;

namespace SafetyWorkflows.IntegrationTests.Foundation;

public sealed class StartupAndSeedTests
{
    [Fact]
    public async Task FirstStart_MigratesAndSeeds_SecondStartOnSameFiles_SeedsNothingNew()
    {
        var dataDirectory = Path.Combine(Path.GetTempPath(), "sw-tests", Guid.NewGuid().ToString("N"));
        long units, officials, roles, auditAfterFirst, hashesBefore;
        await using (var first = new AppFactory(dataDirectory))
        {
            var client = first.CreateClient();
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/healthz")).StatusCode);
            units = await first.ScalarAsync("SELECT COUNT(*) FROM Units");
            officials = await first.ScalarAsync("SELECT COUNT(*) FROM Officials");
            roles = await first.ScalarAsync("SELECT COUNT(*) FROM RoleDefinitions");
            auditAfterFirst = await first.ScalarAsync("SELECT COUNT(*) FROM AuditEntries");
            hashesBefore = await first.ScalarAsync("SELECT COUNT(DISTINCT PasswordHash) FROM Officials");
        }

        await using var second = new AppFactory(dataDirectory);
        Assert.Equal(HttpStatusCode.OK, (await second.CreateClient().GetAsync("/healthz")).StatusCode);

        Assert.True(units >= 20, $"expected the plan's organisation, got {units} units");
        Assert.Equal(12, roles);
        Assert.True(officials >= 11, $"expected an official per role, got {officials}");
        Assert.Equal(units, await second.ScalarAsync("SELECT COUNT(*) FROM Units"));
        Assert.Equal(officials, await second.ScalarAsync("SELECT COUNT(*) FROM Officials"));
        Assert.Equal(roles, await second.ScalarAsync("SELECT COUNT(*) FROM RoleDefinitions"));
        Assert.Equal(auditAfterFirst, await second.ScalarAsync("SELECT COUNT(*) FROM AuditEntries"));
        Assert.Equal(officials, hashesBefore);
        Assert.Equal(0, await second.ScalarAsync("SELECT COUNT(*) FROM Officials WHERE PasswordHash LIKE '%Demo@2024%' OR PasswordHash NOT LIKE 'pbkdf2-sha256$%'"));
        Assert.Equal("wal", await WalModeAsync(second));
    }

    [Fact]
    public async Task ADatabaseSeededFromOlderSeeds_GetsTheNewUnitsAndOfficials_AtTheNextStart_KeepingChangedPasswords()
    {
        var dataDirectory = Path.Combine(Path.GetTempPath(), "sw-tests", Guid.NewGuid().ToString("N"));
        await using (var first = new AppFactory(dataDirectory))
        {
            Assert.Equal(HttpStatusCode.OK, (await first.CreateClient().GetAsync("/healthz")).StatusCode);
        }

        // What a database seeded before the organisation was completed looks like.
        await using var older = new AppFactory(dataDirectory);
        await older.ExecuteAsync("DELETE FROM Officials WHERE UserName IN ('liangjun', 'caiying')");
        await older.ExecuteAsync("DELETE FROM Units WHERE Id = 'expert-pool'");
        await older.ExecuteAsync("UPDATE Officials SET UnitId = 'safety-committee', Position = NULL WHERE Roles = 'expert'");
        await older.ExecuteAsync("UPDATE Units SET ParentId = 'education-centre' WHERE Id = 'hengnan-no8'");
        await older.ExecuteAsync("UPDATE Officials SET PasswordHash = 'pbkdf2-sha256$changed' WHERE UserName = 'heping'");

        await using var next = new AppFactory(dataDirectory);
        Assert.Equal(HttpStatusCode.OK, (await next.CreateClient().GetAsync("/healthz")).StatusCode);

        Assert.Equal(2, await next.ScalarAsync("SELECT COUNT(*) FROM Officials WHERE UserName IN ('liangjun', 'caiying')"));
        Assert.Equal(3, await next.ScalarAsync("SELECT COUNT(*) FROM Officials WHERE Roles = 'expert' AND UnitId = 'expert-pool' AND Position IS NOT NULL"));
        Assert.Equal(1, await next.ScalarAsync("SELECT COUNT(*) FROM Units WHERE Id = 'hengnan-no8' AND ParentId = 'dongyue-community'"));
        Assert.Equal(1, await next.ScalarAsync("SELECT COUNT(*) FROM Officials WHERE UserName = 'heping' AND PasswordHash = 'pbkdf2-sha256$changed'"));
        Assert.Equal(HttpStatusCode.OK, (await next.CreateClient().PostAsJsonAsync("/api/auth/token", new { userName = "caiying", password = AppFactory.DemoPassword })).StatusCode);
    }

    [Fact]
    public async Task EveryCounterparty_HasSomeoneWhoSigns_AndEveryEnterpriseAndSchoolBelongsToAVillage()
    {
        await using var app = new AppFactory();
        var admin = await app.ClientForAsync("admin");

        var units = await admin.GetFromJsonAsync<JsonElement>("/api/units");
        var people = await admin.GetFromJsonAsync<JsonElement>("/api/people");

        var signers = people.EnumerateArray()
            .Where(p => p.GetProperty("roles").EnumerateArray().Any(r => r.GetString() is "unit-principal" or "village-head"))
            .Select(p => p.GetProperty("unitId").GetString()).ToHashSet();
        var byId = units.EnumerateArray().ToDictionary(u => u.GetProperty("id").GetString()!);
        string[] signing = ["Village", "Community", "School", "Kindergarten", "Enterprise"];
        foreach (var unit in byId.Values.Where(u => signing.Contains(u.GetProperty("kind").GetString())))
        {
            Assert.True(signers.Contains(unit.GetProperty("id").GetString()), $"nobody signs for {unit.GetProperty("id").GetString()}");
        }

        foreach (var unit in byId.Values.Where(u => u.GetProperty("kind").GetString() is "School" or "Kindergarten" or "Enterprise"))
        {
            var parent = byId[unit.GetProperty("parentId").GetString()!];
            Assert.True(parent.GetProperty("kind").GetString() is "Village" or "Community", $"{unit.GetProperty("id").GetString()} is not under a village");
        }

        Assert.All(people.EnumerateArray().Where(p => p.GetProperty("roles").EnumerateArray().Any(r => r.GetString() == "expert")),
            p => Assert.Equal("expert-pool", p.GetProperty("unitId").GetString()));
        Assert.Equal("External", byId["expert-pool"].GetProperty("kind").GetString());
    }

    [Fact]
    public async Task EveryRoleKey_HasAnOfficial_WithChineseNameAndMail()
    {
        await using var app = new AppFactory();
        var admin = await app.ClientForAsync("admin");

        var people = await admin.GetFromJsonAsync<JsonElement>("/api/people");

        string[] keys = ["admin", "safety-clerk", "safety-head", "leader-in-charge", "party-secretary", "mayor", "inspector", "unit-principal", "expert", "village-head", "security-admin", "audit-admin"];
        foreach (var key in keys)
        {
            Assert.Contains(people.EnumerateArray(), p => p.GetProperty("roles").EnumerateArray().Any(r => r.GetString() == key));
        }

        Assert.All(people.EnumerateArray(), p => Assert.Contains("@", p.GetProperty("email").GetString(), StringComparison.Ordinal));
        Assert.Contains(people.EnumerateArray(), p => p.GetProperty("displayName").GetString() == "赵敏");
    }

    [Fact]
    public async Task Units_IncludeThePlansOrganisation()
    {
        await using var app = new AppFactory();
        var clerk = await app.ClientForAsync("zhaomin");

        var units = await clerk.GetFromJsonAsync<JsonElement>("/api/units");

        var names = units.EnumerateArray().Select(u => u.GetProperty("name").GetString()!).ToList();
        foreach (var expected in new[] { "镇人民政府", "派出所", "东岳社区", "衡南八中", "花桥完小", "幼儿园" })
        {
            Assert.Contains(names, n => n.Contains(expected, StringComparison.Ordinal));
        }

        var sectors = units.EnumerateArray().Where(u => u.GetProperty("sector").ValueKind == JsonValueKind.String).Select(u => u.GetProperty("sector").GetString()).ToHashSet();
        Assert.Superset(new HashSet<string?> { "危化品", "烟花爆竹", "非煤矿山", "建筑施工", "旅游景区", "油库" }, sectors);
    }

    private static async Task<string> WalModeAsync(AppFactory app)
    {
        await using var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={app.DatabasePath};Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA journal_mode;";
        return (string)(await command.ExecuteScalarAsync())!;
    }
}
