namespace SafetyWorkflows.Core.Documents;

/// <summary>A file already in the content-addressed store: its SHA-256 (hex), the sanitised name to offer on download,
/// the sniffed content type and its length in bytes.</summary>
public sealed record StoredFile(string Sha256, string FileName, string ContentType, long Length);
