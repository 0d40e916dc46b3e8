using System.Text;
using System.Text.Json.Nodes;

namespace SafetyWorkflows.IntegrationTests.Support;

/// <summary>
/// A library's chain replaced by one whose second step can break: 安办负责人审核 (the safety head) → 登记备案 (a script)
/// → Approved. The script is what faults, and what a test fixes by publishing the chain again with another script.
/// </summary>
public static class FaultingChain
{
    public const string Throws = "throw new Error('registry offline');";

    public const string Works = "return 'registered';";

    public static async Task PublishAsync(HttpClient admin, string definitionId, string script)
    {
        var response = await admin.PostAsync("/elsa/api/workflow-definitions",
            new StringContent(new JsonObject { ["model"] = Definition(definitionId, script), ["publish"] = true }.ToJsonString(), Encoding.UTF8, "application/json"));
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
    }

    public static JsonObject Definition(string definitionId, string script)
    {
        static JsonObject Literal(string typeName, string value) =>
            new() { ["typeName"] = typeName, ["expression"] = new JsonObject { ["type"] = "Literal", ["value"] = value } };
        static JsonObject Connection(string source, string port, string target) => new()
        {
            ["source"] = new JsonObject { ["activity"] = source, ["port"] = port },
            ["target"] = new JsonObject { ["activity"] = target, ["port"] = "In" },
        };

        return new JsonObject
        {
            ["id"] = $"{definitionId}-test", ["definitionId"] = definitionId, ["name"] = "审批链（测试）", ["version"] = 1,
            ["root"] = new JsonObject
            {
                ["id"] = "flow", ["type"] = "Elsa.Flowchart", ["version"] = 1,
                ["activities"] = new JsonArray(
                    new JsonObject { ["id"] = "start", ["type"] = "Elsa.Start", ["version"] = 1 },
                    new JsonObject
                    {
                        ["id"] = "review", ["name"] = "安办负责人审核", ["type"] = "SafetyWorkflows.RequestApproval", ["version"] = 1,
                        ["assignees"] = new JsonObject { ["typeName"] = "List<String>", ["expression"] = new JsonObject { ["type"] = "Object", ["value"] = "[\"safety-head\"]" } },
                    },
                    new JsonObject { ["id"] = "register", ["name"] = "登记备案", ["type"] = "Elsa.RunJavaScript", ["version"] = 1, ["script"] = Literal("String", script) },
                    new JsonObject { ["id"] = "approved", ["type"] = "SafetyWorkflows.SetDocumentStatus", ["version"] = 1, ["status"] = Literal("String", "Approved") }),
                ["connections"] = new JsonArray(
                    Connection("start", "Done", "review"), Connection("review", "Approved", "register"), Connection("register", "Done", "approved")),
            },
        };
    }
}
