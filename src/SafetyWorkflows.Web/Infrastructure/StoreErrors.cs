using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace SafetyWorkflows.Web.Infrastructure;

/// <summary>Database refusals that are the caller's doing, on SQLite and PostgreSQL alike.</summary>
internal static class StoreErrors
{
    /// <summary>Two saves of one thing at once (a primary key or unique index taken by the other): a 409, not a 500.</summary>
    public static bool IsUniqueViolation(DbUpdateException e) => e.InnerException switch
    {
        SqliteException sqlite => sqlite.SqliteErrorCode == 19 && sqlite.SqliteExtendedErrorCode is 2067 or 1555,
        PostgresException postgres => postgres.SqlState == PostgresErrorCodes.UniqueViolation,
        _ => false,
    };

    /// <summary>
    /// Two transactions that changed the same rows in opposite orders, or under serializable isolation: PostgreSQL ends one
    /// of them (deadlock detected, serialization failure) and nothing of it is stored. A 409, as a unique violation is.
    /// </summary>
    public static bool IsWriteConflict(Exception exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (e is PostgresException { SqlState: PostgresErrorCodes.DeadlockDetected or PostgresErrorCodes.SerializationFailure })
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// Text PostgreSQL will not store (a NUL character, bytes that are not UTF-8, a value longer than its column): the
    /// reason for a 400; null for anything else. SQLite stores such text, so only PostgreSQL gets here.
    /// </summary>
    public static string? RefusedText(Exception exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (e is PostgresException postgres)
            {
                return postgres.SqlState switch
                {
                    PostgresErrorCodes.StringDataRightTruncation => $"有一项文字过长 (a value is longer than its field allows: {postgres.MessageText})",
                    PostgresErrorCodes.CharacterNotInRepertoire or PostgresErrorCodes.UntranslatableCharacter =>
                        $"文字中含有不能保存的字符（如 NUL） (the text holds a character that cannot be stored, such as NUL: {postgres.MessageText})",
                    _ => null,
                };
            }
        }

        return null;
    }
}
