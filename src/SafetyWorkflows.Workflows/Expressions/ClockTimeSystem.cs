using System.Globalization;
using Jint.Runtime;

namespace SafetyWorkflows.Workflows.Expressions;

/// <summary>
/// Lets <c>new Date()</c> and <c>Date.now()</c> read the injected <see cref="TimeProvider"/>, so workflow tests can run
/// scripts at a chosen time. Parsing and time-zone offsets stay Jint's own.
/// </summary>
internal sealed class ClockTimeSystem(TimeProvider clock) : ITimeSystem
{
    private readonly DefaultTimeSystem _inner = new(clock.LocalTimeZone, CultureInfo.InvariantCulture);

    public TimeZoneInfo DefaultTimeZone => _inner.DefaultTimeZone;

    public DateTimeOffset GetUtcNow() => clock.GetUtcNow();

    public bool TryParse(string date, out long epochMilliseconds) => _inner.TryParse(date, out epochMilliseconds);

    public TimeSpan GetUtcOffset(long epochMilliseconds) => _inner.GetUtcOffset(epochMilliseconds);
}
