using System.Net;
using System.Net.Http.Headers;
using System.Text;
using CallWaiting.Server.Tests.Realtime;
using static CallWaiting.Server.Tests.Api.ApiTestHttp;

namespace CallWaiting.Server.Tests.Api;

/// <summary>Bodies that cannot be read get a JSON 4xx that says why: broken forms, invalid UTF-8, an empty prewarm list.</summary>
[Collection(RealtimeServerCollection.Name)]
public sealed class RequestBodyErrorTests(RealtimeServerFixture fixture)
{
    [Theory]
    [InlineData("multipart/form-data", "text=Hi.", HttpStatusCode.BadRequest, "boundary")]
    [InlineData("multipart/form-data; boundary=b", "--b\r\nnot a header line\r\n\r\nvalue\r\n--b--\r\n", HttpStatusCode.BadRequest, "header")]
    [InlineData("multipart/form-data; boundary=b", "--b\r\nContent-Disposition: form-data; name=\"text\"\r\n\r\nHi.\r\n", HttpStatusCode.BadRequest, "form")]
    [InlineData("application/x-www-form-urlencoded", "many", HttpStatusCode.RequestEntityTooLarge, "1024")]
    [InlineData("application/x-www-form-urlencoded", "long", HttpStatusCode.RequestEntityTooLarge, "bytes")]
    public async Task A_twilio_webhook_form_that_cannot_be_read_gets_a_json_4xx(string contentType, string body, HttpStatusCode status, string mentioned)
    {
        body = body switch
        {
            "many" => string.Join("&", Enumerable.Range(0, 1100).Select(i => $"f{i}=1")),
            "long" => "text=" + new string('x', 70 * 1024),
            _ => body,
        };
        using var request = new HttpRequestMessage(HttpMethod.Post, "v1/twilio/voice?voice=james-en-us") { Content = new ByteArrayContent(Encoding.UTF8.GetBytes(body)) };
        request.Content.Headers.TryAddWithoutValidation("Content-Type", contentType);
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"twilio:{fixture.Server.BootstrapKey}")));
        request.Headers.Add("X-Twilio-Signature", "AAAA");
        using var response = await fixture.Server.Client.SendAsync(request);
        Assert.Contains(mentioned, await AssertErrorAsync(response, status), StringComparison.OrdinalIgnoreCase);
    }

    [Theory]
    [InlineData("v1/tts", """{"text":"Hi @","voice_id":"james-en-us"}""")]
    [InlineData("v1/tts/with-timestamps", """{"text":"Hi @","voice_id":"james-en-us"}""")]
    [InlineData("v1/cache/prewarm", """{"prompts":[{"text":"Hi @","voice_id":"james-en-us"}]}""")]
    [InlineData("v1/audio/speech", """{"model":"tts-1","input":"Hi @","voice":"alloy"}""")]
    public async Task Invalid_utf8_in_a_json_body_is_named_as_such(string path, string json)
    {
        var at = json.IndexOf('@', StringComparison.Ordinal);
        byte[] body = [.. Encoding.UTF8.GetBytes(json[..at]), 0xC3, 0x28, .. Encoding.UTF8.GetBytes(json[(at + 1)..])];
        var content = new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        using var response = await SendAsync(fixture.Server.Client, HttpMethod.Post, path, fixture.Server.BootstrapKey, content);
        var text = await response.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("UTF-8", text, StringComparison.Ordinal);
        Assert.DoesNotContain("escape", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_lone_surrogate_escape_is_still_called_an_invalid_escape()
    {
        using var response = await TtsAsync(fixture.Server.Client, fixture.Server.BootstrapKey, """{"text":"Hi \ud800","voice_id":"james-en-us"}""");
        Assert.Contains("escape", await AssertErrorAsync(response, HttpStatusCode.BadRequest), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("{}")]
    public async Task An_empty_prewarm_body_names_the_prewarm_fields(string body)
    {
        using var response = await SendAsync(fixture.Server.Client, HttpMethod.Post, "v1/cache/prewarm", fixture.Server.BootstrapKey, Json(body));
        var detail = await AssertErrorAsync(response, HttpStatusCode.BadRequest);
        Assert.Contains("prompts", detail, StringComparison.Ordinal);
        Assert.DoesNotContain("voice_id", detail, StringComparison.Ordinal);
    }
}
