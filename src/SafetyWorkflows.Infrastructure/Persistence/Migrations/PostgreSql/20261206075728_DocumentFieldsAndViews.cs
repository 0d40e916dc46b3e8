using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace SafetyWorkflows.Infrastructure.Persistence.Migrations.PostgreSql
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
                    DocumentId = table.Column<Guid>(type: "uuid", nullable: false),
                    Key = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    SortText = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: true),
                    Text = table.Column<string>(type: "text", nullable: true),
                    Number = table.Column<double>(type: "double precision", nullable: true)
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
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    LibraryKey = table.Column<string>(type: "character varying(48)", maxLength: 48, nullable: false),
                    Name = table.Column<string>(type: "character varying(30)", maxLength: 30, nullable: false),
                    Owner = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    Sort = table.Column<string>(type: "character varying(60)", maxLength: 60, nullable: true),
                    FiltersJson = table.Column<string>(type: "text", nullable: false),
                    CreatedBy = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    CreatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
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
       CASE jsonb_typeof(j.value) WHEN 'string' THEN left(j.value #>> '{}', 100) WHEN 'boolean' THEN j.value #>> '{}' END,
       j.value #>> '{}',
       CASE jsonb_typeof(j.value) WHEN 'number' THEN (j.value #>> '{}')::double precision
                                  WHEN 'boolean' THEN CASE WHEN (j.value #>> '{}')::boolean THEN 1 ELSE 0 END END
FROM ""Documents"" d, jsonb_each(d.""MetadataJson""::jsonb) j
WHERE jsonb_typeof(j.value) IN ('string', 'number', 'boolean');");
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
