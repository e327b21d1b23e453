using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Xml.Linq;
using CallWaiting.Server.Tests.Infrastructure;
using CallWaiting.Server.Tests.Realtime;
using Twilio.Security;
using static CallWaiting.Server.Tests.Api.ApiTestHttp;

namespace CallWaiting.Server.Tests.Twilio;

/// <summary>POST /v1/twilio/voice (TwiML) and its signed, expiring audio URL, against a server with a Twilio auth token.</summary>
[Collection(RealtimeServerCollection.Name)]
public sealed class TwilioVoiceWebhookTests(RealtimeServerFixture fixture)
{
    private static readonly Dictionary<string, string> TwilioForm = new()
    {
        ["AccountSid"] = "AC0123456789abcdef0123456789abcdef",
        ["CallSid"] = "CA0123456789abcdef0123456789abcdef",
        ["From"] = "+15551230000",
        ["To"] = "+15559870000",
        ["CallStatus"] = "ringing",
        ["Direction"] = "inbound",
        ["ApiVersion"] = "2010-04-01",
    };

    [Fact]
    public async Task A_signed_webhook_gets_twiml_whose_keyless_audio_url_plays_metered_and_cannot_be_altered()
    {
        var (requestsBefore, charactersBefore) = await RealtimeStreamingTests.UsageAsync(fixture);
        using var response = await PostWebhookAsync("voice=james-en-us&text=Hello%20from%20the%20clinic.%20Goodbye.", TwilioForm, fixture.Server.BootstrapKey);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, body);
        Assert.Equal("application/xml", response.Content.Headers.ContentType?.MediaType);

        var url = PlayUrl(body);
        Assert.StartsWith($"{fixture.Server.BaseAddress}v1/audio/", url, StringComparison.Ordinal);
        Assert.DoesNotContain(fixture.Server.BootstrapKey, url, StringComparison.Ordinal);
        Assert.DoesNotContain("cw_live", url, StringComparison.Ordinal);

        // The URL alone is the credential: no key is sent.
        using var audioResponse = await fixture.Server.Client.GetAsync(url);
        Assert.Equal(HttpStatusCode.OK, audioResponse.StatusCode);
        Assert.Equal("audio/wav", audioResponse.Content.Headers.ContentType?.MediaType);
        var wav = await audioResponse.Content.ReadAsByteArrayAsync();
        var audio = await ServerAudio.AnalyzeAsync(wav, "wav");
        Assert.Equal(8000, audio.SampleRate);
        Assert.InRange(audio.Seconds, 1, 10);
        Assert.True(audio.RmsAmplitude > 0.01, $"RMS {audio.RmsAmplitude}");
        Assert.Equal(wav.Length - 44, BitConverter.ToInt32(wav, 40)); // a complete header: the true data length
        Assert.Equal("MISS", audioResponse.Headers.GetValues("X-Cache").Single());
        await RealtimeStreamingTests.UsageReachesAsync(fixture, requestsBefore + 1, charactersBefore + "Hello from the clinic. Goodbye.".Length);

        // Twilio fetches the same prompt for every call: the second fetch is the cached rendering, header and all.
        using (var again = await fixture.Server.Client.GetAsync(url))
        {
            Assert.Equal(HttpStatusCode.OK, again.StatusCode);
            Assert.Equal("HIT", again.Headers.GetValues("X-Cache").Single());
            Assert.Equal(wav, await again.Content.ReadAsByteArrayAsync());
        }
        await RealtimeStreamingTests.UsageReachesAsync(fixture, requestsBefore + 2, charactersBefore + 2 * "Hello from the clinic. Goodbye.".Length);

        var token = url[(url.LastIndexOf('/') + 1)..];
        foreach (var position in new[] { token.Length / 2, token.Length - 1 })
        {
            var tampered = token[..position] + (token[position] == 'A' ? 'B' : 'A') + token[(position + 1)..];
            using var refused = await fixture.Server.Client.GetAsync($"v1/audio/{tampered}");
            Assert.Equal("invalid_audio_url", (await ReadJsonAsync(refused)).GetProperty("code").GetString());
            Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        }

        using var garbage = await fixture.Server.Client.GetAsync("v1/audio/garbage");
        await AssertErrorAsync(garbage, HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task An_audio_url_is_refused_once_it_has_expired()
    {
        // SSML in the form this time, next to Twilio's own fields.
        var form = new Dictionary<string, string>(TwilioForm) { ["ssml"] = "<speak>One moment please.</speak>" };
        using var response = await PostWebhookAsync("voice=emily-en-us", form, fixture.Server.BootstrapKey);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var url = PlayUrl(await response.Content.ReadAsStringAsync());

        await Task.Delay(RealtimeServerFixture.AudioUrlTtl + TimeSpan.FromSeconds(1.5));
        using var expired = await fixture.Server.Client.GetAsync(url);
        await AssertErrorAsync(expired, HttpStatusCode.Forbidden);
        Assert.Equal("audio_url_expired", (await ReadJsonAsync(expired)).GetProperty("code").GetString());
    }

    [Fact]
    public async Task Only_correctly_signed_webhooks_are_accepted()
    {
        const string query = "voice=james-en-us&text=Welcome.";
        var url = $"{fixture.Server.BaseAddress}v1/twilio/voice?{query}";

        // Our signature follows Twilio's documented algorithm; Twilio's own validator agrees with it.
        var signature = Sign(RealtimeServerFixture.TwilioAuthToken, url, TwilioForm);
        Assert.True(new RequestValidator(RealtimeServerFixture.TwilioAuthToken).Validate(url, TwilioForm, signature));
        using (var ok = await PostWebhookAsync(query, TwilioForm, fixture.Server.BootstrapKey, signature))
            Assert.Equal(HttpStatusCode.OK, ok.StatusCode);

        using (var missing = await PostWebhookAsync(query, TwilioForm, fixture.Server.BootstrapKey, signature: ""))
            Assert.Equal("missing_twilio_signature", await ErrorCodeAsync(missing, HttpStatusCode.Forbidden));

        using (var wrongToken = await PostWebhookAsync(query, TwilioForm, fixture.Server.BootstrapKey, Sign("another-account-token", url, TwilioForm)))
            Assert.Equal("invalid_twilio_signature", await ErrorCodeAsync(wrongToken, HttpStatusCode.Forbidden));

        // The signature covers the form: a changed field invalidates it.
        var altered = new Dictionary<string, string>(TwilioForm) { ["From"] = "+15550000000" };
        using (var tampered = await PostWebhookAsync(query, altered, fixture.Server.BootstrapKey, signature))
            Assert.Equal("invalid_twilio_signature", await ErrorCodeAsync(tampered, HttpStatusCode.Forbidden));

        // And the URL: other text under the same signature is refused.
        using (var otherText = await PostWebhookAsync("voice=james-en-us&text=Goodbye.", TwilioForm, fixture.Server.BootstrapKey, signature))
            Assert.Equal("invalid_twilio_signature", await ErrorCodeAsync(otherText, HttpStatusCode.Forbidden));
    }

    [Fact]
    public async Task A_signed_webhook_without_credentials_gets_a_basic_challenge()
    {
        using var response = await PostWebhookAsync("voice=james-en-us&text=Welcome.", TwilioForm, key: null);
        await AssertErrorAsync(response, HttpStatusCode.Unauthorized);
        Assert.Equal("Basic", response.Headers.WwwAuthenticate.Single().Scheme);

        using var wrongKey = await PostWebhookAsync("voice=james-en-us&text=Welcome.", TwilioForm, "cw_live_notarealkeyatall0000000000000000000");
        await AssertErrorAsync(wrongKey, HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Bad_webhook_parameters_get_400_or_404()
    {
        using (var noText = await PostWebhookAsync("voice=james-en-us", TwilioForm, fixture.Server.BootstrapKey))
            await AssertErrorAsync(noText, HttpStatusCode.BadRequest);
        using (var noVoice = await PostWebhookAsync("text=Hello.", TwilioForm, fixture.Server.BootstrapKey))
            await AssertErrorAsync(noVoice, HttpStatusCode.BadRequest);
        using (var badSpeed = await PostWebhookAsync("voice=james-en-us&text=Hello.&speed=7", TwilioForm, fixture.Server.BootstrapKey))
            await AssertErrorAsync(badSpeed, HttpStatusCode.BadRequest);
        using (var unknown = await PostWebhookAsync("voice=nobody-here&text=Hello.", TwilioForm, fixture.Server.BootstrapKey))
            await AssertErrorAsync(unknown, HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Webhook_text_is_counted_in_code_points_for_the_limit_and_the_meter()
    {
        var (requests, characters) = await RealtimeStreamingTests.UsageAsync(fixture);
        var form = new Dictionary<string, string>(TwilioForm) { ["text"] = Api.TextLengthTests.LongEmojiText };
        using var response = await PostWebhookAsync("voice=james-en-us", form, fixture.Server.BootstrapKey);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, body);
        using var audio = await fixture.Server.Client.GetAsync(PlayUrl(body));
        Assert.Equal(HttpStatusCode.OK, audio.StatusCode);
        await RealtimeStreamingTests.UsageReachesAsync(fixture, requests + 1, characters + 706);
    }

    /// <summary>Posts Twilio's webhook form with the key as HTTP Basic password, signed unless a signature is given ("" sends none).</summary>
    private async Task<HttpResponseMessage> PostWebhookAsync(string query, Dictionary<string, string> form, string? key, string? signature = null)
    {
        var url = $"{fixture.Server.BaseAddress}v1/twilio/voice?{query}";
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new FormUrlEncodedContent(form) };
        if (key is not null)
            request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"twilio:{key}")));
        signature ??= Sign(RealtimeServerFixture.TwilioAuthToken, url, form);
        if (signature.Length > 0) request.Headers.Add("X-Twilio-Signature", signature);
        return await fixture.Server.Client.SendAsync(request);
    }

    // Twilio's documented scheme: HMAC-SHA1 with the auth token over the full URL followed by each POST field's
    // name and value, fields sorted by name; base64.
    private static string Sign(string authToken, string url, IReadOnlyDictionary<string, string> form)
    {
        var data = new StringBuilder(url);
        foreach (var (name, value) in form.OrderBy(p => p.Key, StringComparer.Ordinal)) data.Append(name).Append(value);
        return Convert.ToBase64String(HMACSHA1.HashData(Encoding.UTF8.GetBytes(authToken), Encoding.UTF8.GetBytes(data.ToString())));
    }

    private static string PlayUrl(string twiml)
    {
        var root = XDocument.Parse(twiml).Root!;
        Assert.Equal("Response", root.Name.LocalName);
        return root.Elements().Single(e => e.Name.LocalName == "Play").Value.Trim();
    }

    private static async Task<string?> ErrorCodeAsync(HttpResponseMessage response, HttpStatusCode status)
    {
        await AssertErrorAsync(response, status);
        return (await ReadJsonAsync(response)).GetProperty("code").GetString();
    }
}
