using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.Options;
using SafetyWorkflows.Core.Board;
using SafetyWorkflows.Core.Organisation;

namespace SafetyWorkflows.Web.Board;

/// <summary>
/// Keeps each scope's board (and its JSON) until an order or a listing step changes, the day turns, or five minutes pass
/// (names of units and officials). The version is read from the database on every request, so every node of a scale-out
/// answers fresh data; only the recomputation and the serialisation of an unchanged board are saved.
/// </summary>
public sealed class HazardBoardCache(TimeProvider clock, IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions> json)
{
    private const int MaxEntries = 200;
    private static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(5);
    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);

    public async Task<(HazardBoardDto Board, byte[] Json)> GetAsync(HazardBoard board, Actor actor, CancellationToken cancellationToken)
    {
        var (scope, version) = await board.KeysAsync(actor, cancellationToken);
        var key = $"{CultureInfo.CurrentUICulture.Name}|{scope}";
        var now = clock.GetUtcNow();
        if (_entries.TryGetValue(key, out var entry) && entry.Version == version && now - entry.At < Lifetime)
        {
            return (entry.Board, entry.Json);
        }

        var dto = BoardEndpoints.ToDto(await board.BuildAsync(actor, cancellationToken));
        var bytes = JsonSerializer.SerializeToUtf8Bytes(dto, json.Value.SerializerOptions);
        if (_entries.Count >= MaxEntries)
        {
            _entries.Clear();
        }

        _entries[key] = new Entry(version, now, dto, bytes);
        return (dto, bytes);
    }

    private sealed record Entry(string Version, DateTimeOffset At, HazardBoardDto Board, byte[] Json);
}
