using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace SafetyWorkflows.Infrastructure.Persistence.Migrations.PostgreSql
{
    /// <inheritdoc />
    public partial class DocumentTitleIndex : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateIndex(
                name: "IX_Documents_LibraryKey_Title",
                table: "Documents",
                columns: new[] { "LibraryKey", "Title" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Documents_LibraryKey_Title",
                table: "Documents");
        }
    }
}
