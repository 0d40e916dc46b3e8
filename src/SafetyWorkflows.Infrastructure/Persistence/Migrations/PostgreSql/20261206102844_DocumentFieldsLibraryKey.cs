using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace SafetyWorkflows.Infrastructure.Persistence.Migrations.PostgreSql
{
    /// <inheritdoc />
    public partial class DocumentFieldsLibraryKey : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_DocumentFields_Key_Number_DocumentId",
                table: "DocumentFields");

            migrationBuilder.DropIndex(
                name: "IX_DocumentFields_Key_SortText_DocumentId",
                table: "DocumentFields");

            migrationBuilder.AddColumn<string>(
                name: "LibraryKey",
                table: "DocumentFields",
                type: "character varying(64)",
                maxLength: 64,
                nullable: false,
                defaultValue: "");

            // Every stored value takes its document's library (a document never changes library).
            migrationBuilder.Sql(@"UPDATE ""DocumentFields"" SET ""LibraryKey"" = (SELECT d.""LibraryKey"" FROM ""Documents"" d WHERE d.""Id"" = ""DocumentFields"".""DocumentId"");");

            migrationBuilder.CreateIndex(
                name: "IX_DocumentFields_LibraryKey_Key_Number_DocumentId",
                table: "DocumentFields",
                columns: new[] { "LibraryKey", "Key", "Number", "DocumentId" });

            migrationBuilder.CreateIndex(
                name: "IX_DocumentFields_LibraryKey_Key_SortText_DocumentId",
                table: "DocumentFields",
                columns: new[] { "LibraryKey", "Key", "SortText", "DocumentId" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_DocumentFields_LibraryKey_Key_Number_DocumentId",
                table: "DocumentFields");

            migrationBuilder.DropIndex(
                name: "IX_DocumentFields_LibraryKey_Key_SortText_DocumentId",
                table: "DocumentFields");

            migrationBuilder.DropColumn(
                name: "LibraryKey",
                table: "DocumentFields");

            migrationBuilder.CreateIndex(
                name: "IX_DocumentFields_Key_Number_DocumentId",
                table: "DocumentFields",
                columns: new[] { "Key", "Number", "DocumentId" });

            migrationBuilder.CreateIndex(
                name: "IX_DocumentFields_Key_SortText_DocumentId",
                table: "DocumentFields",
                columns: new[] { "Key", "SortText", "DocumentId" });
        }
    }
}
