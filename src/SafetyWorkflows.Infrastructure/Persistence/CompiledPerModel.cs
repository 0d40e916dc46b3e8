using System.Runtime.CompilerServices;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;

namespace SafetyWorkflows.Infrastructure.Persistence;

/// <summary>
/// An EF compiled query, compiled once per model. A compiled query keeps the translation of the first model it ran on,
/// and the SQLite and PostgreSQL contexts have models (and SQL) of their own; a process that hosts both, as the tests
/// do, would otherwise send one provider's SQL to the other.
/// </summary>
internal sealed class CompiledPerModel<TQuery>(Func<TQuery> compile)
    where TQuery : class
{
    private readonly ConditionalWeakTable<IModel, TQuery> _byModel = new();

    /// <summary>The query compiled for this context's model.</summary>
    public TQuery For(DbContext db) => _byModel.GetValue(db.Model, _ => compile());
}
