using System.Net;
using System.Net.Http.Headers;
using System.Text;
using CallWaiting.Server.Tests.Realtime;
using static CallWaiting.Server.Tests.Api.ApiTestHttp;

namespace CallWaiting.Server.Tests.Api;

/// <summary>Bodies that cannot be read get a JSON 4xx that says why.</summary>
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
}
