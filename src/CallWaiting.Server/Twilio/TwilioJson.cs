using System.Text.Json.Serialization;

namespace CallWaiting.Server.Twilio;

/// <summary>Source-generated JSON of the audio token payload.</summary>
[JsonSerializable(typeof(AudioTokenPayload))]
internal sealed partial class TwilioJson : JsonSerializerContext;
