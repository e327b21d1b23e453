using System.Text.Json.Nodes;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace CallWaiting.Server.Hosting;

/// <summary>The OpenAPI document (/openapi/v1.json, browsed at /docs): title, API-key security schemes and request examples.</summary>
public static class OpenApiSetup
{
    /// <summary>The document's name (its URL is /openapi/{name}.json).</summary>
    public const string DocumentName = "v1";

    /// <summary>Configures document metadata, security and examples.</summary>
    public static void Configure(OpenApiOptions options)
    {
        // The wire type of /v1/tts keeps the schema name clients were generated from, whatever the C# type is called.
        options.CreateSchemaReferenceId = type => type.Type == typeof(Tts.TtsBody)
            ? "TtsRequest"
            : OpenApiOptions.CreateDefaultSchemaReferenceId(type);
        options.AddDocumentTransformer((document, _, _) =>
        {
            document.Info = new OpenApiInfo
            {
                Title = "CallWaiting TTS API",
                Version = "v1",
                Description = "Self-hostable text-to-speech. Every /v1 endpoint needs an API key, sent as `x-api-key: cw_live_…` or `Authorization: Bearer cw_live_…`. "
                    + "Errors are JSON: {\"detail\", \"code\", \"request_id\"}. Responses after authentication carry X-RateLimit-Limit, X-RateLimit-Remaining and X-RateLimit-Reset.",
            };
            document.Components ??= new OpenApiComponents();
            document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
            document.Components.SecuritySchemes["ApiKey"] = new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.ApiKey, In = ParameterLocation.Header, Name = "x-api-key", Description = "cw_live_… API key",
            };
            document.Components.SecuritySchemes["Bearer"] = new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.Http, Scheme = "bearer", Description = "The same API key as a bearer token",
            };
            return Task.CompletedTask;
        });

        options.AddOperationTransformer((operation, context, _) =>
        {
            var path = context.Description.RelativePath ?? "";
            if (!path.StartsWith("v1/", StringComparison.Ordinal)) return Task.CompletedTask;
            operation.Security =
            [
                new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference("ApiKey", context.Document)] = [] },
                new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference("Bearer", context.Document)] = [] },
            ];
            if (path == "v1/tts" && operation.RequestBody?.Content?.TryGetValue("application/json", out var body) == true)
            {
                body.Example = new JsonObject
                {
                    ["text"] = "Thank you for calling. Your call is important to us.",
                    ["voice_id"] = "emily-en-us",
                    ["format"] = "wav",
                    ["speed"] = 1.0,
                    ["seed"] = null,
                };
            }

            return Task.CompletedTask;
        });
    }
}
