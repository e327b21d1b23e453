using System.Text.Json;
using System.Text.Json.Serialization;
using CallWaiting.BareKestrel;

// Usage: CallWaiting.BareKestrel --urls http://127.0.0.1:PORT
// Answers GET /v1/auth/verify with a fixed body shaped like the real one: no auth, limits, metering or logging.
var builder = WebApplication.CreateBuilder(args);
builder.Logging.ClearProviders();
builder.WebHost.ConfigureKestrel(kestrel =>
{
    // As the real server: no Server header; body limit Api:MaxRequestBodyBytes (64 KiB) plus its 1 MiB drain allowance.
    kestrel.AddServerHeader = false;
    kestrel.Limits.MaxRequestBodySize = 64 * 1024 + 1024 * 1024;
});
builder.Services.ConfigureHttpJsonOptions(json =>
{
    json.SerializerOptions.PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower;
    json.SerializerOptions.TypeInfoResolverChain.Insert(0, BareJson.Default);
});

var app = builder.Build();
var keyId = Guid.NewGuid();
var tenantId = Guid.NewGuid();
string[] scopes = ["tts:write", "voices:read", "usage:read"];
app.MapGet("/v1/auth/verify", () => TypedResults.Ok(new VerifyBody(true, keyId, "bench", tenantId, scopes)));
app.MapGet("/ready", () => TypedResults.Ok());
app.Run();
