using Jint;

namespace SafetyWorkflows.Workflows.Expressions;

/// <summary>
/// Elsa's JavaScript "common types" (its engine exposes .NET's <c>DateTime</c>, <c>DateTimeOffset</c>, <c>TimeSpan</c>,
/// <c>Guid</c> and <c>Random</c> to scripts), written here in JavaScript, since our sandbox has no CLR interop: the .NET
/// member names (<c>DateTime.UtcNow.AddDays(1)</c>, <c>TimeSpan.FromHours(2).TotalMinutes</c>, <c>Guid.NewGuid()</c>,
/// <c>new Random(7).Next(10)</c>). DateTime and DateTimeOffset are JavaScript <c>Date</c>s underneath (UTC), so they
/// compare with <c>&lt;</c>/<c>&gt;</c>, subtract to a TimeSpan, and come out of a script as a date; a TimeSpan
/// compares by its milliseconds. Installed into an engine when the first script that names one of the types runs on
/// it (and kept there while the engine is pooled), so scripts that do not use them pay nothing.
/// </summary>
internal static class JavaScriptCommonTypes
{
    private static readonly string[] Names = ["DateTime", "TimeSpan", "Guid", "Random"];

    private static readonly Lazy<Prepared<Acornima.Ast.Script>> Prelude = new(() =>
        Engine.PrepareScript(Source, "common-types", strict: true));

    public static bool IsUsedBy(string script) => Names.Any(n => script.Contains(n, StringComparison.Ordinal));

    public static void Install(Engine engine) => engine.Execute(Prelude.Value);

    private const string Source = """
        (function (g) {
          const MS = { day: 864e5, hour: 36e5, minute: 6e4, second: 1e3 };
          const pad = (n, w) => String(Math.trunc(Math.abs(n))).padStart(w || 2, '0');
          class TimeSpan {
            constructor(a, b, c, d) {
              if (b === undefined) { this.Ticks = Math.round((a || 0) * 1e4); }
              else if (d === undefined) { this.Ticks = Math.round((a * MS.hour + b * MS.minute + c * MS.second) * 1e4); }
              else { this.Ticks = Math.round((a * MS.day + b * MS.hour + c * MS.minute + d * MS.second) * 1e4); }
            }
            static fromMs(ms) { return new TimeSpan(ms); }
            static FromDays(v) { return new TimeSpan(v * MS.day); }
            static FromHours(v) { return new TimeSpan(v * MS.hour); }
            static FromMinutes(v) { return new TimeSpan(v * MS.minute); }
            static FromSeconds(v) { return new TimeSpan(v * MS.second); }
            static FromMilliseconds(v) { return new TimeSpan(v); }
            static fromDays(v) { return TimeSpan.FromDays(v); }
            static fromHours(v) { return TimeSpan.FromHours(v); }
            static fromMinutes(v) { return TimeSpan.FromMinutes(v); }
            static fromSeconds(v) { return TimeSpan.FromSeconds(v); }
            static fromMilliseconds(v) { return TimeSpan.FromMilliseconds(v); }
            static get Zero() { return new TimeSpan(0); }
            static Parse(text) {
              const m = /^(-)?(?:(\d+)\.)?(\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d+))?)?$/.exec(String(text).trim());
              if (!m) { throw new TypeError('TimeSpan.Parse: not a time span: ' + text); }
              const ms = (+(m[2] || 0)) * MS.day + (+m[3]) * MS.hour + (+m[4]) * MS.minute + (+(m[5] || 0)) * MS.second + (m[6] ? +('0.' + m[6]) * 1e3 : 0);
              return new TimeSpan(m[1] ? -ms : ms);
            }
            get TotalMilliseconds() { return this.Ticks / 1e4; }
            get TotalSeconds() { return this.TotalMilliseconds / MS.second; }
            get TotalMinutes() { return this.TotalMilliseconds / MS.minute; }
            get TotalHours() { return this.TotalMilliseconds / MS.hour; }
            get TotalDays() { return this.TotalMilliseconds / MS.day; }
            get Days() { return Math.trunc(this.TotalDays); }
            get Hours() { return Math.trunc(this.TotalHours) % 24; }
            get Minutes() { return Math.trunc(this.TotalMinutes) % 60; }
            get Seconds() { return Math.trunc(this.TotalSeconds) % 60; }
            get Milliseconds() { return Math.trunc(this.TotalMilliseconds) % 1000; }
            Add(o) { return new TimeSpan(this.TotalMilliseconds + o.TotalMilliseconds); }
            Subtract(o) { return new TimeSpan(this.TotalMilliseconds - o.TotalMilliseconds); }
            Negate() { return new TimeSpan(-this.TotalMilliseconds); }
            Duration() { return new TimeSpan(Math.abs(this.TotalMilliseconds)); }
            CompareTo(o) { return Math.sign(this.Ticks - o.Ticks); }
            Equals(o) { return o instanceof TimeSpan && o.Ticks === this.Ticks; }
            valueOf() { return this.TotalMilliseconds; }
            ToString() {
              const t = this.TotalMilliseconds, a = Math.abs(t);
              const days = Math.trunc(a / MS.day), rest = a - days * MS.day;
              const frac = Math.round(rest % 1e3);
              return (t < 0 ? '-' : '') + (days ? days + '.' : '') + pad(rest / MS.hour) + ':' + pad((rest / MS.minute) % 60) + ':' + pad((rest / MS.second) % 60)
                + (frac ? '.' + String(frac).padStart(3, '0') + '0000' : '');
            }
            toString() { return this.ToString(); }
            toJSON() { return this.ToString(); }
          }
          const addMonths = (date, months) => {
            const d = new Date(date.getTime());
            const day = d.getUTCDate();
            d.setUTCDate(1);
            d.setUTCMonth(d.getUTCMonth() + months);
            const last = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 0)).getUTCDate();
            d.setUTCDate(Math.min(day, last));
            return d.getTime();
          };
          const dateMembers = (C) => ({
            Year: { get() { return this.getUTCFullYear(); } },
            Month: { get() { return this.getUTCMonth() + 1; } },
            Day: { get() { return this.getUTCDate(); } },
            Hour: { get() { return this.getUTCHours(); } },
            Minute: { get() { return this.getUTCMinutes(); } },
            Second: { get() { return this.getUTCSeconds(); } },
            Millisecond: { get() { return this.getUTCMilliseconds(); } },
            DayOfWeek: { get() { return this.getUTCDay(); } },
            DayOfYear: { get() { return Math.floor((this.getTime() - Date.UTC(this.getUTCFullYear(), 0, 1)) / MS.day) + 1; } },
            Date: { get() { return new C(Date.UTC(this.getUTCFullYear(), this.getUTCMonth(), this.getUTCDate())); } },
            TimeOfDay: { get() { return new TimeSpan(this.getTime() - Date.UTC(this.getUTCFullYear(), this.getUTCMonth(), this.getUTCDate())); } },
            Ticks: { get() { return this.getTime() * 1e4 + 621355968000000000; } },
            AddMilliseconds: { value(v) { return new C(this.getTime() + v); } },
            AddSeconds: { value(v) { return new C(this.getTime() + v * MS.second); } },
            AddMinutes: { value(v) { return new C(this.getTime() + v * MS.minute); } },
            AddHours: { value(v) { return new C(this.getTime() + v * MS.hour); } },
            AddDays: { value(v) { return new C(this.getTime() + v * MS.day); } },
            AddMonths: { value(v) { return new C(addMonths(this, v)); } },
            AddYears: { value(v) { return new C(addMonths(this, v * 12)); } },
            Add: { value(span) { return new C(this.getTime() + span.TotalMilliseconds); } },
            Subtract: { value(o) { return o instanceof TimeSpan ? new C(this.getTime() - o.TotalMilliseconds) : new TimeSpan(this.getTime() - o.getTime()); } },
            CompareTo: { value(o) { return Math.sign(this.getTime() - o.getTime()); } },
            Equals: { value(o) { return o instanceof Date && o.getTime() === this.getTime(); } },
            ToUniversalTime: { value() { return new C(this.getTime()); } },
            ToLocalTime: { value() { return new C(this.getTime()); } },
            ToString: { value(format) { return format ? formatDate(this, format) : this.toISOString(); } },
          });
          const formatDate = (d, f) => f
            .replace(/yyyy/g, d.getUTCFullYear()).replace(/MM/g, pad(d.getUTCMonth() + 1)).replace(/dd/g, pad(d.getUTCDate()))
            .replace(/HH/g, pad(d.getUTCHours())).replace(/mm/g, pad(d.getUTCMinutes())).replace(/ss/g, pad(d.getUTCSeconds()));
          const parseDate = (C, text) => {
            const ms = Date.parse(String(text));
            if (Number.isNaN(ms)) { throw new TypeError(C.name + '.Parse: not a date: ' + text); }
            return new C(ms);
          };
          class DateTime extends Date {
            constructor(a, month, day, hour, minute, second, ms) {
              if (month === undefined) { super(a === undefined ? 0 : a); }
              else { super(Date.UTC(a, month - 1, day, hour || 0, minute || 0, second || 0, ms || 0)); }
            }
            static get UtcNow() { return new DateTime(Date.now()); }
            static get Now() { return new DateTime(Date.now()); }
            static get Today() { return DateTime.UtcNow.Date; }
            static get MinValue() { return new DateTime(-62135596800000); }
            static get MaxValue() { return new DateTime(253402300799999); }
            static Parse(text) { return parseDate(DateTime, text); }
          }
          Object.defineProperties(DateTime.prototype, dateMembers(DateTime));
          class DateTimeOffset extends Date {
            constructor(a) { super(a === undefined ? 0 : (a instanceof Date ? a.getTime() : a)); }
            static get UtcNow() { return new DateTimeOffset(Date.now()); }
            static get Now() { return new DateTimeOffset(Date.now()); }
            static get MinValue() { return new DateTimeOffset(-62135596800000); }
            static get MaxValue() { return new DateTimeOffset(253402300799999); }
            static Parse(text) { return parseDate(DateTimeOffset, text); }
            static FromUnixTimeMilliseconds(ms) { return new DateTimeOffset(ms); }
            static FromUnixTimeSeconds(s) { return new DateTimeOffset(s * 1e3); }
            get Offset() { return TimeSpan.Zero; }
            get UtcDateTime() { return new DateTime(this.getTime()); }
            get DateTime() { return new DateTime(this.getTime()); }
            ToUnixTimeMilliseconds() { return this.getTime(); }
            ToUnixTimeSeconds() { return Math.floor(this.getTime() / 1e3); }
          }
          Object.defineProperties(DateTimeOffset.prototype, dateMembers(DateTimeOffset));
          const GUID = /^[0-9a-fA-F]{8}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{12}$/;
          class Guid {
            constructor(text) { this.value = (text || '00000000-0000-0000-0000-000000000000').toLowerCase(); }
            static NewGuid() { return new Guid(newGuid()); }
            static get Empty() { return new Guid(); }
            static Parse(text) {
              const t = String(text).trim().replace(/^\{|\}$/g, '');
              if (!GUID.test(t)) { throw new TypeError('Guid.Parse: not a GUID: ' + text); }
              const h = t.replace(/-/g, '').toLowerCase();
              return new Guid(h.slice(0, 8) + '-' + h.slice(8, 12) + '-' + h.slice(12, 16) + '-' + h.slice(16, 20) + '-' + h.slice(20));
            }
            ToString(format) { return format === 'N' ? this.value.replace(/-/g, '') : format === 'B' ? '{' + this.value + '}' : this.value; }
            Equals(o) { return o instanceof Guid && o.value === this.value; }
            toString() { return this.value; }
            toJSON() { return this.value; }
            valueOf() { return this.value; }
          }
          class Random {
            constructor(seed) { this.state = seed === undefined ? null : (seed >>> 0) || 1; }
            static get Shared() { return new Random(); }
            NextDouble() {
              if (this.state === null) { return Math.random(); }
              let t = (this.state = (this.state + 0x6D2B79F5) >>> 0);
              t = Math.imul(t ^ (t >>> 15), t | 1);
              t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
              return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
            }
            Next(a, b) {
              if (a === undefined) { return Math.floor(this.NextDouble() * 2147483647); }
              if (b === undefined) { return Math.floor(this.NextDouble() * a); }
              return a + Math.floor(this.NextDouble() * (b - a));
            }
          }
          g.TimeSpan = TimeSpan; g.DateTime = DateTime; g.DateTimeOffset = DateTimeOffset; g.Guid = Guid; g.Random = Random;
        })(globalThis);
        """;
}
