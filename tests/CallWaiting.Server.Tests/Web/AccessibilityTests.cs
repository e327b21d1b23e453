using System.Text.Json;
using CallWaiting.Server.Tests.Infrastructure;

namespace CallWaiting.Server.Tests.Web;

/// <summary>
/// axe-core's WCAG 2.1 A and AA rules on every page in a real browser (tests/node/browser/a11y.mjs): the playground and
/// the admin dashboard's login forms, then the playground and each admin section as an operator sees them.
/// </summary>
public sealed class AccessibilityTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    [Fact]
    public async Task Every_page_and_admin_section_passes_axe_wcag_2_1_a_and_aa_rules()
    {
        var output = await NodeScript.RunAsync("browser", "playwright-core", "a11y.mjs", new Dictionary<string, string>
        {
            ["BASE_URL"] = fixture.Server.BaseAddress.ToString(),
            ["API_KEY"] = fixture.Server.BootstrapKey,
        }, TimeSpan.FromMinutes(3));
        using var document = JsonDocument.Parse(output);
        var pages = document.RootElement.GetProperty("pages").EnumerateArray().ToList();

        // Every page was audited, logged out and logged in; each violation is reported with its rule and elements.
        Assert.Equal(
            ["/", "/admin", "/", "/admin#tenants", "/admin#keys", "/admin#voices", "/admin#usage", "/admin#requests", "/admin#system"],
            pages.Select(p => p.GetProperty("page").GetString()));
        var violations = pages.SelectMany(p => p.GetProperty("violations").EnumerateArray()
            .Select(v => $"{p.GetProperty("page").GetString()}: {v.GetProperty("id").GetString()} ({v.GetProperty("impact").GetString()}) {v.GetProperty("help").GetString()} at {v.GetProperty("nodes")}"))
            .ToList();
        Assert.True(violations.Count == 0, string.Join('\n', violations));

        // The audit really ran: each page passed rules, and an image without alt text added on purpose was caught.
        Assert.All(pages, p => Assert.True(p.GetProperty("rulesPassed").GetInt32() >= 10, p.GetProperty("page").GetString()));
        Assert.Contains("image-alt", document.RootElement.GetProperty("control").EnumerateArray().Select(e => e.GetString()));
    }
}
