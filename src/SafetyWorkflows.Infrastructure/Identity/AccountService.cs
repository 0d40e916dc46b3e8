using Microsoft.EntityFrameworkCore;
using SafetyWorkflows.Core.Audit;
using SafetyWorkflows.Core.Organisation;
using SafetyWorkflows.Infrastructure.Persistence;

namespace SafetyWorkflows.Infrastructure.Identity;

/// <summary>Local accounts: checks a user name and password against the stored hash and records the sign-in.</summary>
public sealed class AccountService(SafetyDbContext db, TimeProvider clock)
{
    public async Task<Official?> SignInAsync(string userName, string password, CancellationToken cancellationToken)
    {
        var official = await db.Officials.AsNoTracking().FirstOrDefaultAsync(o => o.UserName == userName, cancellationToken);
        if (official is null || !official.IsActive || !PasswordHasher.Verify(password, official.PasswordHash))
        {
            return null;
        }

        db.AppendAudit(new AuditEntry(clock.GetUtcNow(), official.UserName, AuditActions.SignIn, null, null, $"{official.DisplayName} 登录"));
        await db.SaveChangesAsync(cancellationToken);
        return official;
    }
}
