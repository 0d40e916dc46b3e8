using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace SafetyWorkflows.Infrastructure.Persistence;

/// <summary>
/// Holds the SQLite writer gate of <see cref="SqliteSafetyDbContext"/> for the two kinds of writes that are not a
/// <c>SaveChanges</c>: a transaction the context begins (from <c>BEGIN</c> to its commit or rollback), and a command run
/// outside any transaction (<c>ExecuteUpdate</c>, <c>ExecuteDelete</c>, raw SQL), for as long as it runs.
/// </summary>
internal sealed class SqliteWriterGateInterceptor : IDbTransactionInterceptor, IDbCommandInterceptor
{
    public static readonly SqliteWriterGateInterceptor Instance = new();

    private SqliteWriterGateInterceptor()
    {
    }

    public InterceptionResult<DbTransaction> TransactionStarting(DbConnection connection, TransactionStartingEventData eventData, InterceptionResult<DbTransaction> result)
    {
        (eventData.Context as SqliteSafetyDbContext)?.EnterWriter(SqliteSafetyDbContext.WriterHold.Transaction);
        return result;
    }

    public async ValueTask<InterceptionResult<DbTransaction>> TransactionStartingAsync(
        DbConnection connection, TransactionStartingEventData eventData, InterceptionResult<DbTransaction> result, CancellationToken cancellationToken = default)
    {
        if (eventData.Context is SqliteSafetyDbContext db)
        {
            await db.EnterWriterAsync(SqliteSafetyDbContext.WriterHold.Transaction, cancellationToken);
        }

        return result;
    }

    public void TransactionCommitted(DbTransaction transaction, TransactionEndEventData eventData) => Exit(eventData.Context, SqliteSafetyDbContext.WriterHold.Transaction);

    public Task TransactionCommittedAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default) =>
        Exit(eventData.Context, SqliteSafetyDbContext.WriterHold.Transaction);

    public void TransactionRolledBack(DbTransaction transaction, TransactionEndEventData eventData) => Exit(eventData.Context, SqliteSafetyDbContext.WriterHold.Transaction);

    public Task TransactionRolledBackAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default) =>
        Exit(eventData.Context, SqliteSafetyDbContext.WriterHold.Transaction);

    public void TransactionFailed(DbTransaction transaction, TransactionErrorEventData eventData) => Exit(eventData.Context, SqliteSafetyDbContext.WriterHold.Transaction);

    public Task TransactionFailedAsync(DbTransaction transaction, TransactionErrorEventData eventData, CancellationToken cancellationToken = default) =>
        Exit(eventData.Context, SqliteSafetyDbContext.WriterHold.Transaction);

    public InterceptionResult<int> NonQueryExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<int> result)
    {
        if (command.Transaction is null)
        {
            (eventData.Context as SqliteSafetyDbContext)?.EnterWriter(SqliteSafetyDbContext.WriterHold.Command);
        }

        return result;
    }

    public async ValueTask<InterceptionResult<int>> NonQueryExecutingAsync(
        DbCommand command, CommandEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        if (command.Transaction is null && eventData.Context is SqliteSafetyDbContext db)
        {
            await db.EnterWriterAsync(SqliteSafetyDbContext.WriterHold.Command, cancellationToken);
        }

        return result;
    }

    public int NonQueryExecuted(DbCommand command, CommandExecutedEventData eventData, int result)
    {
        Exit(eventData.Context, SqliteSafetyDbContext.WriterHold.Command);
        return result;
    }

    public ValueTask<int> NonQueryExecutedAsync(DbCommand command, CommandExecutedEventData eventData, int result, CancellationToken cancellationToken = default)
    {
        Exit(eventData.Context, SqliteSafetyDbContext.WriterHold.Command);
        return ValueTask.FromResult(result);
    }

    public void CommandFailed(DbCommand command, CommandErrorEventData eventData) => Exit(eventData.Context, SqliteSafetyDbContext.WriterHold.Command);

    public Task CommandFailedAsync(DbCommand command, CommandErrorEventData eventData, CancellationToken cancellationToken = default) =>
        Exit(eventData.Context, SqliteSafetyDbContext.WriterHold.Command);

    public void CommandCanceled(DbCommand command, CommandEndEventData eventData) => Exit(eventData.Context, SqliteSafetyDbContext.WriterHold.Command);

    public Task CommandCanceledAsync(DbCommand command, CommandEndEventData eventData, CancellationToken cancellationToken = default) =>
        Exit(eventData.Context, SqliteSafetyDbContext.WriterHold.Command);

    private static Task Exit(Microsoft.EntityFrameworkCore.DbContext? context, SqliteSafetyDbContext.WriterHold hold)
    {
        (context as SqliteSafetyDbContext)?.ExitWriter(hold);
        return Task.CompletedTask;
    }
}
