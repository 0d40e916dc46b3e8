using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace SafetyWorkflows.Infrastructure.Persistence.Migrations.PostgreSql
{
    /// <inheritdoc />
    public partial class RecordsLockAndAssignmentNote : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "Position",
                table: "Officials",
                type: "character varying(100)",
                maxLength: 100,
                nullable: true);

            migrationBuilder.AddColumn<Guid>(
                name: "RevisionOfId",
                table: "Documents",
                type: "uuid",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "AssignmentNote",
                table: "ApprovalTasks",
                type: "character varying(500)",
                maxLength: 500,
                nullable: true);

            migrationBuilder.CreateIndex(
                name: "IX_Documents_RevisionOfId",
                table: "Documents",
                column: "RevisionOfId");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Documents_RevisionOfId",
                table: "Documents");

            migrationBuilder.DropColumn(
                name: "Position",
                table: "Officials");

            migrationBuilder.DropColumn(
                name: "RevisionOfId",
                table: "Documents");

            migrationBuilder.DropColumn(
                name: "AssignmentNote",
                table: "ApprovalTasks");
        }
    }
}
