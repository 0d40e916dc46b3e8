using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using SafetyWorkflows.Infrastructure.Persistence;
using SafetyWorkflows.IntegrationTests.Support;

namespace SafetyWorkflows.IntegrationTests.Foundation;

/// <summary>
/// The pool of open SQLite connections that keep their prepared statements (ADR-016), on the real app and file: units of
/// work share connections and statements, each gets its own answers, and a connection left inside a transaction is
/// never lent again.
/// </summary>
public sealed class SqliteConnectionPoolTests(AppFixture fixture) : IClassFixture<AppFixture>
{
    private readonly AppFactory _app = fixture.App;

    private SqliteConnectionPool Pool => _app.Services.GetRequiredService<SqliteConnectionPool>();

    private async Task<T> InUnitOfWork<T>(Func<SafetyDbContext, Task<T>> work)
    {
        await using var scope = _app.Services.CreateAsyncScope();
        return await work(scope.ServiceProvider.GetRequiredService<SafetyDbContext>());
    }

    [Fact]
    public async Task UnitsOfWork_ReuseOneConnectionAndItsStatements_AndEachGetsItsOwnAnswer()
    {
        // Let start-up's background work settle on the pool first, then count from here.
        await Task.Delay(200);
        var created = Pool.Created;
        var reused = Pool.StatementsReused;

        var names = new List<string?>();
        foreach (var user in new[] { "wangqiang", "liuhua", "wujie", "nobody-by-this-name" })
        {
            names.Add(await InUnitOfWork(db => db.Officials.AsNoTracking().Where(o => o.UserName == user).Select(o => o.DisplayName).SingleOrDefaultAsync()));
        }

        Assert.Equal(3, names.Count(n => n is not null));
        Assert.Null(names[3]);
        Assert.Equal(3, names.Take(3).Distinct().Count());
        Assert.True(Pool.StatementsReused - reused >= 3, $"the same query in four units of work reused {Pool.StatementsReused - reused} statements");
        Assert.True(Pool.Created - created <= 2, $"four sequential units of work opened {Pool.Created - created} connections");
    }

    [Fact]
    public async Task ConcurrentUnitsOfWork_EachGetTheirOwnConnection_AndAllAnswer()
    {
        var counts = await Task.WhenAll(Enumerable.Range(0, 24).Select(_ => Task.Run(() =>
            InUnitOfWork(async db =>
            {
                var count = await db.Officials.CountAsync();
                await Task.Delay(20);
                return count + await db.Officials.CountAsync();
            }))));

        var expected = await InUnitOfWork(db => db.Officials.CountAsync()) * 2;
        Assert.All(counts, c => Assert.Equal(expected, c));
    }

    [Fact]
    public async Task ConnectionLeftInsideATransaction_IsNotLentAgain_AndItsWriteIsNotSeen()
    {
        var before = await InUnitOfWork(db => db.Officials.CountAsync(o => o.DisplayName == "池测试"));
        await InUnitOfWork(async db =>
        {
            // A transaction EF does not know about: its dispose cannot roll it back, only the pool's check can catch it.
            await db.Database.ExecuteSqlRawAsync("BEGIN; UPDATE Officials SET DisplayName = '池测试' WHERE UserName = 'wujie';");
            return 0;
        });

        var created = Pool.Created;
        var after = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(() =>
            InUnitOfWork(db => db.Officials.CountAsync(o => o.DisplayName == "池测试")))));

        Assert.Equal(0, before);
        Assert.All(after, c => Assert.Equal(0, c));
        Assert.Equal("吴杰", await InUnitOfWork(db => db.Officials.Where(o => o.UserName == "wujie").Select(o => o.DisplayName).SingleAsync()));
        Assert.True(Pool.Created >= created);
    }

    [Fact]
    public async Task IdleConnections_HoldNoReadSnapshot_SoACheckpointEmptiesTheLog()
    {
        // Reads and writes through several units of work, a few at once, so that more than one connection is idle after.
        await Task.WhenAll(Enumerable.Range(0, 6).Select(i => Task.Run(() => InUnitOfWork(async db =>
        {
            await db.Officials.AsNoTracking().ToListAsync();
            await db.Database.ExecuteSqlRawAsync($"UPDATE Officials SET Email = Email WHERE UserName = 'wujie'");
            return await db.Officials.CountAsync();
        }))));

        // A statement left stepped but not reset on an idle connection would pin the log: TRUNCATE could not finish.
        await using var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={_app.DatabasePath};Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA wal_checkpoint(TRUNCATE);";
        await using var reader = await command.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync());
        Assert.Equal(0L, reader.GetInt64(0));
    }

    [Fact]
    public async Task AConnectionWithAStatementLeftMidStep_IsNotLentAgain_SoTheNextReadSeesTheLatestCommit()
    {
        await InUnitOfWork(async db =>
        {
            // A reader stepped once and never disposed: its statement keeps a read snapshot open on the connection.
            var command = db.Database.GetDbConnection().CreateCommand();
            command.CommandText = "SELECT UserName FROM Officials";
            var reader = await command.ExecuteReaderAsync();
            Assert.True(await reader.ReadAsync());
            return 0;
        });

        // A write committed elsewhere after that snapshot.
        await using (var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={_app.DatabasePath};Pooling=False"))
        {
            await connection.OpenAsync();
            await using var update = connection.CreateCommand();
            update.CommandText = "UPDATE Officials SET Email = 'pool-check@town.example.com' WHERE UserName = 'liuhua';";
            Assert.Equal(1, await update.ExecuteNonQueryAsync());
        }

        var email = await InUnitOfWork(db => db.Officials.AsNoTracking().Where(o => o.UserName == "liuhua").Select(o => o.Email).SingleAsync());
        Assert.Equal("pool-check@town.example.com", email);
    }
}
