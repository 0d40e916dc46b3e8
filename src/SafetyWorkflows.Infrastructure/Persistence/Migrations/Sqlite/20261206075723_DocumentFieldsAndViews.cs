using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace SafetyWorkflows.Infrastructure.Persistence.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class DocumentFieldsAndViews : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "DocumentFields",
                columns: table => new
                {
                    DocumentId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Key = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    SortText = table.Column<string>(type: "TEXT", maxLength: 100, nullable: true),
                    Text = table.Column<string>(type: "TEXT", nullable: true),
                    Number = table.Column<double>(type: "REAL", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_DocumentFields", x => new { x.DocumentId, x.Key });
                    table.ForeignKey(
                        name: "FK_DocumentFields_Documents_DocumentId",
                        column: x => x.DocumentId,
                        principalTable: "Documents",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "LibraryViews",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    LibraryKey = table.Column<string>(type: "TEXT", maxLength: 48, nullable: false),
                    Name = table.Column<string>(type: "TEXT", maxLength: 30, nullable: false),
                    Owner = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    Sort = table.Column<string>(type: "TEXT", maxLength: 60, nullable: true),
                    FiltersJson = table.Column<string>(type: "TEXT", nullable: false),
                    CreatedBy = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    CreatedAt = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_LibraryViews", x => x.Id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_DocumentFields_Key_Number_DocumentId",
                table: "DocumentFields",
                columns: new[] { "Key", "Number", "DocumentId" });

            migrationBuilder.CreateIndex(
                name: "IX_DocumentFields_Key_SortText_DocumentId",
                table: "DocumentFields",
                columns: new[] { "Key", "SortText", "DocumentId" });

            migrationBuilder.CreateIndex(
                name: "IX_LibraryViews_LibraryKey_Owner",
                table: "LibraryViews",
                columns: new[] { "LibraryKey", "Owner" });

            // Existing documents get their field rows from their metadata (the app writes them from now on).
            migrationBuilder.Sql(@"INSERT INTO ""DocumentFields"" (""DocumentId"", ""Key"", ""SortText"", ""Text"", ""Number"")
SELECT d.""Id"", j.key,
       CASE WHEN j.type = 'text' THEN substr(j.value, 1, 100) WHEN j.type = 'true' THEN 'true' WHEN j.type = 'false' THEN 'false' END,
       CASE WHEN j.type = 'true' THEN 'true' WHEN j.type = 'false' THEN 'false' ELSE CAST(j.value AS TEXT) END,
       CASE WHEN j.type IN ('integer', 'real') THEN CAST(j.value AS REAL) WHEN j.type = 'true' THEN 1 WHEN j.type = 'false' THEN 0 END
FROM ""Documents"" d, json_each(d.""MetadataJson"") j
WHERE j.type IN ('text', 'integer', 'real', 'true', 'false');");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "DocumentFields");

            migrationBuilder.DropTable(
                name: "LibraryViews");
        }
    }
}
