using System.Net;
using System.Text.Json;

namespace SafetyWorkflows.IntegrationTests.Support;

public static class ProblemAssert
{
    /// <summary>Asserts a problem+json answer with the status, and (for 400) an errors entry for the field; returns the body.</summary>
    public static async Task<JsonElement> IsProblemAsync(HttpResponseMessage response, HttpStatusCode status, string? field = null)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(status == response.StatusCode, $"expected {(int)status}, got {(int)response.StatusCode}: {body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var json = JsonDocument.Parse(body).RootElement;
        Assert.Equal((int)status, json.GetProperty("status").GetInt32());
        if (field is not null)
        {
            Assert.True(json.GetProperty("errors").TryGetProperty(field, out var messages), $"no error for '{field}' in {body}");
            Assert.False(string.IsNullOrWhiteSpace(messages[0].GetString()));
        }

        return json;
    }
}
