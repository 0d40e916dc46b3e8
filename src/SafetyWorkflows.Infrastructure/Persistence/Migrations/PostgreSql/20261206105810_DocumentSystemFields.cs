using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace SafetyWorkflows.Infrastructure.Persistence.Migrations.PostgreSql
{
    /// <inheritdoc />
    public partial class DocumentSystemFields : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // Every document's unit and stage as fields ($unit, $stage), as DocumentField.For writes them from now on. The stage
            // of a document whose chain never set one follows DocumentStages.FromStatus: an approved order is issued (已下达),
            // an approved plan or letter is still pending; any other status is its own name in lower case.
            migrationBuilder.Sql(@"INSERT INTO ""DocumentFields"" (""DocumentId"", ""LibraryKey"", ""Key"", ""SortText"", ""Text"", ""Number"")
                SELECT ""Id"", ""LibraryKey"", '$unit', SUBSTR(""UnitId"", 1, 100), ""UnitId"", NULL FROM ""Documents"";");
            migrationBuilder.Sql(@"INSERT INTO ""DocumentFields"" (""DocumentId"", ""LibraryKey"", ""Key"", ""SortText"", ""Text"", ""Number"")
                SELECT ""Id"", ""LibraryKey"", '$stage', s, s, NULL FROM (
                    SELECT ""Id"", ""LibraryKey"", COALESCE(""Stage"", CASE
                        WHEN ""Status"" = 'Approved' AND ""LibraryKey"" = 'rectification-orders' THEN 'issued'
                        WHEN ""Status"" = 'Approved' AND ""LibraryKey"" IN ('emergency-plans', 'responsibility-letters') THEN 'pending'
                        ELSE LOWER(""Status"") END) AS s
                    FROM ""Documents"") AS stages;");


        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql(@"DELETE FROM ""DocumentFields"" WHERE ""Key"" IN ('$unit', '$stage');");


        }
    }
}
