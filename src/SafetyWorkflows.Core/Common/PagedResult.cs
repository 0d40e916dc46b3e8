namespace SafetyWorkflows.Core.Common;

public sealed record PagedResult<T>(IReadOnlyList<T> Items, int TotalCount, int Page, int PageSize);

public readonly record struct Paging(int Page, int PageSize)
{
    public const int MaxPageSize = 200;

    public static Paging Create(int? page, int? pageSize)
    {
        var p = page ?? 1;
        var size = pageSize ?? 20;
        if (p < 1)
        {
            throw new InputValidationException("page", "page must be 1 or more.");
        }

        if (size < 1 || size > MaxPageSize)
        {
            throw new InputValidationException("pageSize", $"pageSize must be between 1 and {MaxPageSize}.");
        }

        return new Paging(p, size);
    }

    public int Skip => (Page - 1) * PageSize;
}
