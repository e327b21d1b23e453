namespace CallWaiting.Server.Tests.Api;

/// <summary>One request body for the fuzz tests: what was done to it, its bytes and its Content-Type.</summary>
internal sealed record MutatedBody(string Name, byte[] Bytes, string ContentType);
