namespace CallWaiting.Server.Realtime;

/// <summary>
/// The reader, on the request's own task: applies the client's messages after the config. Text and flushes go through
/// the <see cref="InputSegmenter"/> into the <see cref="UtteranceQueue"/>, waiting while it is full (so the client meets
/// back-pressure); clear is the barge-in; close ends the input. After close, or once the session is closing, messages are
/// read and ignored until the client's close frame.
/// </summary>
internal sealed class SessionReader(
    MessageReceiver receiver, InputSegmenter input, UtteranceQueue queue, SessionSender sender, SessionConfig config, Func<bool> sessionClosing)
{
    /// <summary>Reads until the client's close frame (or its answer to ours); a bad message is a <see cref="RealtimeProtocolException"/>.</summary>
    public async Task RunAsync(CancellationToken stop)
    {
        var closed = false;
        while (await receiver.ReceiveAsync() is { } received)
        {
            if (closed || sessionClosing()) continue; // wait for the close handshake only
            var message = ClientMessageParser.Parse(received.Span, configured: true);
            switch (message.Kind)
            {
                case ClientMessageKind.Text:
                    await QueueAsync(input.Text(message.Text!, queue.Generation), stop);
                    if (message.Flush) await QueueAsync(input.Flush(queue.Generation), stop);
                    break;
                case ClientMessageKind.Flush:
                    await QueueAsync(input.Flush(queue.Generation), stop);
                    break;
                case ClientMessageKind.Clear:
                    Clear();
                    break;
                case ClientMessageKind.Close:
                    await QueueAsync(input.Close(queue.Generation), stop);
                    queue.Complete();
                    closed = true;
                    break;
            }
        }
    }

    private async Task QueueAsync(List<SynthesisWork> work, CancellationToken stop)
    {
        foreach (var entry in work) await queue.EnqueueAsync(entry, stop);
    }

    // Barge-in: queued utterances and unsent frames carry the old generation and are skipped; the running utterance is cancelled.
    private void Clear()
    {
        input.Clear();
        queue.Clear();
        if (config.Mode == SessionMode.Default) sender.EnqueueText(OutboundMessage.Always, ServerMessages.Cleared());
    }
}
