using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace SafetyWorkflows.Infrastructure.Persistence.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class TaskLibraryAndInboxIndexes : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "LibraryKey",
                table: "ApprovalTasks",
                type: "TEXT",
                maxLength: 64,
                nullable: true);

            // Tasks created before this migration learn their library from their document.
            migrationBuilder.Sql("UPDATE ApprovalTasks SET LibraryKey = (SELECT d.LibraryKey FROM Documents d WHERE d.Id = ApprovalTasks.DocumentId) WHERE LibraryKey IS NULL;");

            migrationBuilder.CreateIndex(
                name: "IX_ApprovalTasks_Assignee_Status_ClosedAt",
                table: "ApprovalTasks",
                columns: new[] { "Assignee", "Status", "ClosedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_ApprovalTasks_Assignee_Status_LibraryKey_CreatedAt",
                table: "ApprovalTasks",
                columns: new[] { "Assignee", "Status", "LibraryKey", "CreatedAt" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_ApprovalTasks_Assignee_Status_ClosedAt",
                table: "ApprovalTasks");

            migrationBuilder.DropIndex(
                name: "IX_ApprovalTasks_Assignee_Status_LibraryKey_CreatedAt",
                table: "ApprovalTasks");

            migrationBuilder.DropColumn(
                name: "LibraryKey",
                table: "ApprovalTasks");
        }
    }
}
