using System.Collections.Concurrent;
using System.Data;
using System.Data.Common;
using System.Diagnostics.CodeAnalysis;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace SafetyWorkflows.Infrastructure.Persistence;

/// <summary>
/// Open SQLite connections kept across units of work, each with the statements it has prepared (ADR-016).
/// Microsoft.Data.Sqlite prepares every statement again for each new command, and closing a connection, even a pooled
/// one, finalises every statement prepared on it; on the decision path that preparation was about an eighth of the
/// request's CPU. Here a unit of work borrows a connection that stays open, and the commands EF creates on it reuse the
/// statement prepared for the same SQL text by an earlier unit of work.
/// <para>
/// A connection goes back only when it is open and outside a transaction; anything else is closed and dropped. At most
/// <see cref="MaxIdle"/> wait; more are closed. Each connection has its own EF options (the connection is part of them),
/// built once for it from the same configuration as every other context.
/// </para>
/// </summary>
public sealed class SqliteConnectionPool : IDisposable
{
    /// <summary>Open connections kept while idle; a burst beyond it gets fresh ones, closed when it is over.</summary>
    public const int MaxIdle = 16;

    private readonly string _connectionString;
    private readonly Func<DbConnection, DbContextOptions<SqliteSafetyDbContext>> _options;
    private readonly ConcurrentStack<Lease> _idle = new();
    private int _idleCount;
    private int _created;
    private long _reused;
    private volatile bool _disposed;

    public SqliteConnectionPool(string connectionString, Func<DbConnection, DbContextOptions<SqliteSafetyDbContext>> options)
    {
        _connectionString = connectionString;
        _options = options;
    }

    /// <summary>Connections opened since start (a test reads it: reuse keeps it near the concurrency).</summary>
    public int Created => Volatile.Read(ref _created);

    /// <summary>Commands since start that found their statement prepared by an earlier command (a test reads it).</summary>
    public long StatementsReused => Interlocked.Read(ref _reused);

    internal void CountReuse() => Interlocked.Increment(ref _reused);

    /// <summary>A context on a borrowed open connection; disposing the context gives the connection back.</summary>
    public SqliteSafetyDbContext CreateContext()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        Lease lease;
        if (_idle.TryPop(out var idle))
        {
            Interlocked.Decrement(ref _idleCount);
            lease = idle;
        }
        else
        {
            lease = Open();
        }

        return new SqliteSafetyDbContext(lease.Options) { Lease = lease };
    }

    private Lease Open()
    {
        var connection = new StatementCachingConnection(_connectionString, this);
        try
        {
            connection.Open();

            // The give-back check walks the connection's statements (Lease.Reusable).
            connection.Handle!.enable_sqlite3_next_stmt(true);
            Interlocked.Increment(ref _created);
            return new Lease(this, connection, _options(connection));
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    private void Return(Lease lease)
    {
        if (_disposed || !lease.Reusable())
        {
            lease.Connection.Dispose();
            return;
        }

        if (Interlocked.Increment(ref _idleCount) > MaxIdle)
        {
            Interlocked.Decrement(ref _idleCount);
            lease.Connection.Dispose();
            return;
        }

        _idle.Push(lease);
        if (_disposed)
        {
            Drain();
        }
    }

    public void Dispose()
    {
        _disposed = true;
        Drain();
    }

    private void Drain()
    {
        while (_idle.TryPop(out var lease))
        {
            Interlocked.Decrement(ref _idleCount);
            lease.Connection.Dispose();
        }
    }

    /// <summary>One open connection lent to one context at a time, with the EF options that name it.</summary>
    public sealed class Lease
    {
        private readonly SqliteConnectionPool _pool;

        internal Lease(SqliteConnectionPool pool, StatementCachingConnection connection, DbContextOptions<SqliteSafetyDbContext> options)
        {
            _pool = pool;
            Connection = connection;
            Options = options;
        }

        internal StatementCachingConnection Connection { get; }

        internal DbContextOptions<SqliteSafetyDbContext> Options { get; }

        /// <summary>Called once by the context when it is disposed.</summary>
        internal void Return() => _pool.Return(this);

        /// <summary>Open, no transaction left behind (SQLite is in autocommit mode) and no statement left mid-step.</summary>
        internal bool Reusable()
        {
            if (Connection.State != ConnectionState.Open || SQLitePCL.raw.sqlite3_get_autocommit(Connection.Handle) == 0)
            {
                return false;
            }

            for (var statement = SQLitePCL.raw.sqlite3_next_stmt(Connection.Handle, null); statement is not null;
                 statement = SQLitePCL.raw.sqlite3_next_stmt(Connection.Handle, statement))
            {
                // A statement stepped and never reset keeps a read snapshot open: the next unit of work would read the
                // past, and a write on it would fail as busy.
                if (SQLitePCL.raw.sqlite3_stmt_busy(statement) != 0)
                {
                    return false;
                }
            }

            return true;
        }
    }
}

/// <summary>
/// A SQLite connection whose commands, as EF creates them (<see cref="DbConnection.CreateCommand"/>), keep the
/// statements prepared for their SQL text: a disposed command's statements wait, reset, for the next command with the
/// same text on this connection. Commands created through the typed <see cref="SqliteConnection.CreateCommand"/> are
/// plain ones. Used by one unit of work at a time, like any connection.
/// </summary>
internal sealed class StatementCachingConnection(string connectionString, SqliteConnectionPool pool) : SqliteConnection(connectionString)
{
    /// <summary>Distinct SQL texts kept per connection; EF's batched saves make many, so the cache is bounded.</summary>
    public const int MaxStatements = 256;

    private readonly Dictionary<string, SqliteCommand> _prepared = new(StringComparer.Ordinal);

    protected override DbCommand CreateDbCommand() => new ReusingCommand(this);

    internal SqliteCommand Take(string commandText)
    {
        if (_prepared.Remove(commandText, out var command))
        {
            if (commandText.Length > 0)
            {
                pool.CountReuse();
            }

            return command;
        }

        var fresh = base.CreateCommand();
        fresh.CommandText = commandText;
        return fresh;
    }

    internal void Keep(SqliteCommand command, DbDataReader? reader)
    {
        command.Parameters.Clear();
        command.Transaction = null;
        command.CommandTimeout = DefaultTimeout;
        if (reader is { IsClosed: false } || State != ConnectionState.Open || _prepared.Count >= MaxStatements
            || !_prepared.TryAdd(command.CommandText, command))
        {
            command.Dispose();
        }
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            foreach (var command in _prepared.Values)
            {
                command.Dispose();
            }

            _prepared.Clear();
        }

        base.Dispose(disposing);
    }

    /// <summary>
    /// The command EF sees: it forwards to a <see cref="SqliteCommand"/> taken from the connection for its SQL text and
    /// gives that command back when it is disposed.
    /// </summary>
    [SuppressMessage("Security", "CA2100:Review SQL queries for security vulnerabilities", Justification = "The text is EF's, forwarded as is.")]
    private sealed class ReusingCommand : DbCommand
    {
        private readonly StatementCachingConnection _connection;
        private SqliteCommand? _inner;
        private DbDataReader? _reader;

        public ReusingCommand(StatementCachingConnection connection)
        {
            _connection = connection;
            _inner = connection.Take(string.Empty);
        }

        private SqliteCommand Inner => _inner ?? throw new ObjectDisposedException(nameof(ReusingCommand));

        [AllowNull]
        public override string CommandText
        {
            get => Inner.CommandText;
            set
            {
                value ??= string.Empty;
                var previous = Inner;
                if (previous.CommandText == value)
                {
                    return;
                }

                var next = _connection.Take(value);
                next.Transaction = previous.Transaction;
                next.CommandTimeout = previous.CommandTimeout;
                next.CommandType = previous.CommandType;
                if (previous.Parameters.Count > 0)
                {
                    var moved = previous.Parameters.Cast<SqliteParameter>().ToArray();
                    previous.Parameters.Clear();
                    next.Parameters.AddRange(moved);
                }

                _inner = next;
                _connection.Keep(previous, null);
            }
        }

        public override int CommandTimeout
        {
            get => Inner.CommandTimeout;
            set => Inner.CommandTimeout = value;
        }

        public override CommandType CommandType
        {
            get => Inner.CommandType;
            set => Inner.CommandType = value;
        }

        public override UpdateRowSource UpdatedRowSource
        {
            get => Inner.UpdatedRowSource;
            set => Inner.UpdatedRowSource = value;
        }

        public override bool DesignTimeVisible
        {
            get => Inner.DesignTimeVisible;
            set => Inner.DesignTimeVisible = value;
        }

        protected override DbConnection? DbConnection
        {
            get => _connection;
            set
            {
                if (value is not null && !ReferenceEquals(value, _connection))
                {
                    throw new InvalidOperationException("A statement-reusing command stays on the connection that created it.");
                }
            }
        }

        protected override DbParameterCollection DbParameterCollection => Inner.Parameters;

        protected override DbTransaction? DbTransaction
        {
            get => Inner.Transaction;
            set => Inner.Transaction = (SqliteTransaction?)value;
        }

        public override void Cancel() => Inner.Cancel();

        public override int ExecuteNonQuery() => Inner.ExecuteNonQuery();

        public override object? ExecuteScalar() => Inner.ExecuteScalar();

        public override void Prepare() => Inner.Prepare();

        protected override DbParameter CreateDbParameter() => Inner.CreateParameter();

        protected override DbDataReader ExecuteDbDataReader(CommandBehavior behavior) => _reader = Inner.ExecuteReader(behavior);

        protected override void Dispose(bool disposing)
        {
            if (disposing && _inner is not null)
            {
                _connection.Keep(_inner, _reader);
                _inner = null;
                _reader = null;
            }

            base.Dispose(disposing);
        }
    }
}
