using SafetyWorkflows.Core.Documents;

namespace SafetyWorkflows.UnitTests.Core.Documents;

public sealed class VersionNumberTests
{
    [Theory]
    [InlineData("0.1", 0, 1)]
    [InlineData("1.0", 1, 0)]
    [InlineData("12.34", 12, 34)]
    public void TryParse_ReadsMajorDotMinor(string text, int major, int minor)
    {
        Assert.True(VersionNumber.TryParse(text, out var version));

        Assert.Equal(new VersionNumber(major, minor), version);
        Assert.Equal(text, version.ToString());
    }

    [Theory]
    [InlineData("")]
    [InlineData("1")]
    [InlineData("1.2.3")]
    [InlineData("-1.0")]
    [InlineData("a.b")]
    [InlineData(null)]
    public void TryParse_RefusesAnythingElse(string? text) => Assert.False(VersionNumber.TryParse(text, out _));

    [Fact]
    public void NextMinorAndMajor_FollowSharePoint()
    {
        var v = new VersionNumber(1, 2);

        Assert.Equal(new VersionNumber(1, 3), v.NextMinor());
        Assert.Equal(new VersionNumber(2, 0), v.NextMajor());
        Assert.True(new VersionNumber(0, 10) > new VersionNumber(0, 9));
        Assert.True(new VersionNumber(1, 0) > new VersionNumber(0, 99));
    }
}
