using System.IO.Compression;
using System.Text;
using SafetyWorkflows.Core.Common;
using SafetyWorkflows.Core.Documents;

namespace SafetyWorkflows.UnitTests.Core.Documents;

public sealed class FileRulesTests
{
    [Theory]
    [InlineData("../secret.pdf")]
    [InlineData("..\\secret.pdf")]
    [InlineData("/etc/passwd.txt")]
    [InlineData("C:\\x.pdf")]
    [InlineData("a/b.pdf")]
    [InlineData("bad\u0001name.pdf")]
    [InlineData("   ")]
    public void SanitizeFileName_RefusesPathsAndControlCharacters(string name)
    {
        var ex = Assert.Throws<InputValidationException>(() => FileRules.SanitizeFileName(name));

        Assert.Equal("file", ex.Field);
    }

    [Fact]
    public void SanitizeFileName_KeepsChineseNames_AndShortensLongOnes()
    {
        Assert.Equal("隐患整改通知书.pdf", FileRules.SanitizeFileName("  隐患整改通知书.pdf "));
        var shortened = FileRules.SanitizeFileName(new string('长', 300) + ".docx");
        Assert.Equal(200, shortened.Length);
        Assert.EndsWith(".docx", shortened, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("a.exe")]
    [InlineData("a.html")]
    [InlineData("a")]
    [InlineData("a.pdf.js")]
    public void ContentTypeFor_RefusesOtherExtensions(string name) =>
        Assert.Throws<InputValidationException>(() => FileRules.ContentTypeFor(name));

    [Theory]
    [InlineData("a.PDF", "application/pdf")]
    [InlineData("a.jpeg", "image/jpeg")]
    [InlineData("a.xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")]
    public void ContentTypeFor_KnowsAllowedExtensions(string name, string type) => Assert.Equal(type, FileRules.ContentTypeFor(name));

    [Fact]
    public void EnsureContentMatches_AcceptsRealFiles()
    {
        FileRules.EnsureContentMatches("a.pdf", new MemoryStream("%PDF-1.7\n..."u8.ToArray()));
        FileRules.EnsureContentMatches("a.png", new MemoryStream([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0]));
        FileRules.EnsureContentMatches("a.jpg", new MemoryStream([0xFF, 0xD8, 0xFF, 0xE0, 0]));
        FileRules.EnsureContentMatches("a.doc", new MemoryStream([0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1, 0]));
        FileRules.EnsureContentMatches("a.docx", new MemoryStream(OfficeZip("word/document.xml")));
        FileRules.EnsureContentMatches("a.xlsx", new MemoryStream(OfficeZip("xl/workbook.xml")));
        FileRules.EnsureContentMatches("a.txt", new MemoryStream(Encoding.UTF8.GetBytes("整改完成情况说明")));
    }

    [Theory]
    [InlineData("a.pdf")]
    [InlineData("a.png")]
    [InlineData("a.docx")]
    [InlineData("a.xlsx")]
    [InlineData("a.doc")]
    public void EnsureContentMatches_RefusesOtherBytes(string name) =>
        Assert.Throws<InputValidationException>(() => FileRules.EnsureContentMatches(name, new MemoryStream("MZ\u0090 not what it says"u8.ToArray())));

    [Fact]
    public void EnsureContentMatches_RefusesAWordZipNamedXlsx() =>
        Assert.Throws<InputValidationException>(() => FileRules.EnsureContentMatches("a.xlsx", new MemoryStream(OfficeZip("word/document.xml"))));

    [Fact]
    public void EnsureContentMatches_RefusesBinaryNamedTxt()
    {
        Assert.Throws<InputValidationException>(() => FileRules.EnsureContentMatches("a.txt", new MemoryStream([0x41, 0x00, 0x42])));
        Assert.Throws<InputValidationException>(() => FileRules.EnsureContentMatches("a.txt", new MemoryStream([0xC3, 0x28])));
    }

    private static byte[] OfficeZip(string part)
    {
        using var memory = new MemoryStream();
        using (var zip = new ZipArchive(memory, ZipArchiveMode.Create, leaveOpen: true))
        {
            zip.CreateEntry("[Content_Types].xml");
            zip.CreateEntry(part);
        }

        return memory.ToArray();
    }
}
