using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace SafetyWorkflows.Infrastructure.Persistence.Migrations.PostgreSql
{
    /// <inheritdoc />
    public partial class OutboxPump : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "DueAt",
                table: "WorkflowBookmarks",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "HandedOffAt",
                table: "WorkflowBookmarks",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "HandedOffAt",
                table: "NotificationDeliveries",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.CreateIndex(
                name: "IX_WorkflowBookmarks_HandedOffAt_DueAt",
                table: "WorkflowBookmarks",
                columns: new[] { "HandedOffAt", "DueAt" });

            migrationBuilder.CreateIndex(
                name: "IX_NotificationDeliveries_HandedOffAt_Status_NextAttemptAt",
                table: "NotificationDeliveries",
                columns: new[] { "HandedOffAt", "Status", "NextAttemptAt" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_WorkflowBookmarks_HandedOffAt_DueAt",
                table: "WorkflowBookmarks");

            migrationBuilder.DropIndex(
                name: "IX_NotificationDeliveries_HandedOffAt_Status_NextAttemptAt",
                table: "NotificationDeliveries");

            migrationBuilder.DropColumn(
                name: "DueAt",
                table: "WorkflowBookmarks");

            migrationBuilder.DropColumn(
                name: "HandedOffAt",
                table: "WorkflowBookmarks");

            migrationBuilder.DropColumn(
                name: "HandedOffAt",
                table: "NotificationDeliveries");
        }
    }
}
