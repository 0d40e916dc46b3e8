using System.Collections.Concurrent;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace SafetyWorkflows.IntegrationTests.Support;

/// <summary>A request a fake server received, as it came over the wire.</summary>
public sealed record RecordedRequest(string Method, string Path, string Query, string? Authorization, string Body, DateTimeOffset At);

/// <summary>
/// A small HTTPS server on 127.0.0.1 (a random port) with the throw-away CA's certificate, recording every request and
/// answering through a handler the test supplies.
/// </summary>
public sealed class FakeHttpsServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private FakeHttpsServer(WebApplication app) => _app = app;

    public ConcurrentQueue<RecordedRequest> Requests { get; } = new();

    public ConcurrentQueue<string> Faults { get; } = new();

    public Uri BaseUri { get; private set; } = null!;

    public static async Task<FakeHttpsServer> StartAsync(Func<RecordedRequest, HttpContext, Task<IResult>> handler)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory, EnvironmentName = "Testing" });
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(options => options.Listen(IPAddress.Loopback, 0, listen => listen.UseHttps(TestCertificates.Server)));
        var app = builder.Build();
        var server = new FakeHttpsServer(app);
        app.Run(async context =>
        {
            var body = context.Request.Headers.ContentEncoding.ToString() == "gzip"
                ? new System.IO.Compression.GZipStream(context.Request.Body, System.IO.Compression.CompressionMode.Decompress)
                : context.Request.Body;
            using var reader = new StreamReader(body);
            var request = new RecordedRequest(
                context.Request.Method, context.Request.Path.Value ?? "", context.Request.QueryString.Value ?? "",
                context.Request.Headers.Authorization.FirstOrDefault(), await reader.ReadToEndAsync(), DateTimeOffset.UtcNow);
            server.Requests.Enqueue(request);
            try
            {
                await (await handler(request, context)).ExecuteAsync(context);
            }
            catch (Exception ex)
            {
                // A fault in the fake itself must show in the test's failure, not pass as a Graph 500.
                server.Faults.Enqueue($"{request.Method} {request.Path}: {ex}");
                throw;
            }
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        server.BaseUri = new Uri(address.Replace("[::]", "127.0.0.1", StringComparison.Ordinal).Replace("localhost", "127.0.0.1", StringComparison.Ordinal));
        return server;
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}
