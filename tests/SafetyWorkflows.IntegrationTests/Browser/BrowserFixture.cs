using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using SafetyWorkflows.IntegrationTests.Support;

namespace SafetyWorkflows.IntegrationTests.Browser;

/// <summary>
/// The app on a real Kestrel port and Debian's Chromium driven by Playwright (never a downloaded browser).
/// Screenshots go to <c>screenshots/</c> beside the test assembly so that a person can look at them.
/// </summary>
public class BrowserFixture : IAsyncLifetime
{
    public const string ChromiumPath = "/usr/bin/chromium";

    private IPlaywright? _playwright;

    public BrowserFixture()
        : this(new AppFactory())
    {
    }

    /// <summary>For fixtures whose app needs settings of its own (xunit wants one public constructor).</summary>
    protected BrowserFixture(AppFactory app) => App = app;

    public AppFactory App { get; }

    public IBrowser Browser { get; private set; } = null!;

    public string BaseUrl { get; private set; } = "";

    public static string ScreenshotDirectory => Path.Combine(AppContext.BaseDirectory, "screenshots");

    public virtual async Task InitializeAsync()
    {
        App.UseKestrel(0);
        App.StartServer();
        var addresses = App.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses;
        BaseUrl = addresses.First().Replace("[::]", "127.0.0.1", StringComparison.Ordinal).Replace("localhost", "127.0.0.1", StringComparison.Ordinal);

        Assert.True(File.Exists(ChromiumPath), $"{ChromiumPath} is missing: install Debian's chromium package (see .ci/run).");
        _playwright = await Playwright.CreateAsync();
        // A page's answer to a form post (upload, decision) can take seconds while the whole suite shares two cores:
        // expectations wait up to 30 s instead of Playwright's 5 s (a failing one still fails, only later).
        Assertions.SetDefaultExpectTimeout(30_000);
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            Args = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        });
        Directory.CreateDirectory(ScreenshotDirectory);
    }

    public async Task<IPage> NewPageAsync(int width = 1280, int height = 900, string locale = "zh-CN")
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = BaseUrl,
            ViewportSize = new ViewportSize { Width = width, Height = height },
            Locale = locale,
        });
        // A navigation waits up to 60 s, for a page answering late while the whole suite shares two cores. (The late or
        // lost answers once blamed on SQLite were the task page's PDF preview taking the focus and scrolling the page
        // under Playwright's fill and click; the preview now loads only when opened.)
        context.SetDefaultNavigationTimeout(60_000);
        return await context.NewPageAsync();
    }

    /// <summary>Signs in through the login form; a refused or stuck sign-in fails with what the page showed.</summary>
    public static async Task SignInAsync(IPage page, string userName)
    {
        await page.GotoAsync("/login");
        await page.GetByLabel("用户名").FillAsync(userName);
        await page.GetByLabel("密码").FillAsync(AppFactory.PasswordOf(userName));
        await page.GetByRole(AriaRole.Button, new() { Name = "登录" }).ClickAsync();
        if (!await WaitPastLoginAsync(page))
        {
            // Say what the page showed instead of a bare timeout: a refused sign-in and a slow one look alike otherwise.
            throw new InvalidOperationException($"{userName} did not get past /login; the page shows: {await page.InnerTextAsync("body")}");
        }
    }

    /// <summary>Waits up to a minute for the page to leave /login (see <see cref="WaitForUrlAsync"/>).</summary>
    public static Task<bool> WaitPastLoginAsync(IPage page) => WaitForUrlAsync(page, url => !url.Contains("/login", StringComparison.Ordinal));

    /// <summary>
    /// Waits up to a minute for the page's URL to satisfy <paramref name="arrived"/>, watching the URL alone; the page it
    /// lands on loads on its own time (the caller's next expectation waits for what it needs). <c>WaitForURLAsync</c> is
    /// not used: when the URL already matches it waits for the load event whatever <c>WaitUntil</c> says, and twice waited
    /// the whole minute for a load event that had come and gone (a sign-in, and a decision landing on 已办).
    /// </summary>
    public static async Task<bool> WaitForUrlAsync(IPage page, Func<string, bool> arrived)
    {
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (!arrived(page.Url))
        {
            if (waited.Elapsed > TimeSpan.FromSeconds(60))
            {
                return false;
            }

            await Task.Delay(50);
        }

        return true;
    }

    /// <summary>As <see cref="WaitForUrlAsync"/>, failing with what the page showed when it did not arrive.</summary>
    public static async Task ExpectUrlAsync(IPage page, Func<string, bool> arrived, string where)
    {
        if (!await WaitForUrlAsync(page, arrived))
        {
            throw new InvalidOperationException($"the page did not reach {where}; {page.Url} shows: {await page.InnerTextAsync("body")}");
        }
    }

    public static Task ScreenshotAsync(IPage page, string name) =>
        page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(ScreenshotDirectory, name + ".png"), FullPage = true });

    public async Task DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.DisposeAsync();
        }

        _playwright?.Dispose();
        await App.DisposeAsync();
    }
}
