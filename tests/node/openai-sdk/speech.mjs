// Drives CallWaiting's OpenAI-compatible API with the official `openai` SDK, unchanged, as a customer would.
// Env: OPENAI_BASE_URL (http://host:port/v1), OPENAI_API_KEY, OUT_DIR (where speech.mp3, sse.mp3 and result.json go).
// The .NET test (tests/CallWaiting.Server.Tests/OpenAi) runs this script and checks the files with sox.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import OpenAI from 'openai';
import { Stream } from 'openai/core/streaming';

const baseURL = required('OPENAI_BASE_URL');
const apiKey = required('OPENAI_API_KEY');
const outDir = required('OUT_DIR');
const input = 'Thank you for calling. Your call is important to us, so please stay on the line.';

// No retries: a failure must show up as it happened, not after back-off.
const client = new OpenAI({ baseURL, apiKey, maxRetries: 0 });
const result = {};

const models = [];
for await (const model of client.models.list()) models.push({ id: model.id, object: model.object, owned_by: model.owned_by });
result.models = models;

const speech = await client.audio.speech.create({ model: 'tts-1', voice: 'alloy', input, response_format: 'mp3' });
const mp3 = Buffer.from(await speech.arrayBuffer());
await writeFile(join(outDir, 'speech.mp3'), mp3);
result.speech = { bytes: mp3.length, contentType: speech.headers.get('content-type') };

// stream_format "sse": the SDK hands back the raw response, and its own SSE parser reads the events.
const response = await client.audio.speech.create({ model: 'gpt-4o-mini-tts', voice: 'alloy', input, response_format: 'mp3', stream_format: 'sse' });
const pieces = [];
const types = [];
let usage = null;
for await (const event of Stream.fromSSEResponse(response, new AbortController(), client)) {
  types.push(event.type);
  if (event.type === 'speech.audio.delta') pieces.push(Buffer.from(event.audio, 'base64'));
  else if (event.type === 'speech.audio.done') usage = event.usage;
}
const streamed = Buffer.concat(pieces);
await writeFile(join(outDir, 'sse.mp3'), streamed);
result.sse = { contentType: response.headers.get('content-type'), types, deltas: pieces.length, bytes: streamed.length, usage };

result.badKey = await failure(new OpenAI({ baseURL, apiKey: 'cw_live_not_a_real_key', maxRetries: 0 }), { model: 'tts-1', voice: 'alloy', input });
result.unknownVoice = await failure(client, { model: 'tts-1', voice: 'no-such-voice', input });
result.unknownModel = await failure(client, { model: 'tts-9', voice: 'alloy', input });

await writeFile(join(outDir, 'result.json'), JSON.stringify(result, null, 2));

// Calls the speech API expecting the SDK to raise one of its typed errors; returns what the error carried.
async function failure(sdk, body) {
  try {
    await sdk.audio.speech.create(body);
  } catch (error) {
    if (!(error instanceof OpenAI.APIError)) throw error;
    return {
      class: error.constructor.name,
      authentication: error instanceof OpenAI.AuthenticationError,
      notFound: error instanceof OpenAI.NotFoundError,
      status: error.status,
      type: error.type ?? null,
      code: error.code ?? null,
      param: error.param ?? null,
      message: error.message,
    };
  }
  throw new Error(`Expected ${JSON.stringify(body)} to fail`);
}

function required(name) {
  const value = process.env[name];
  if (!value) throw new Error(`Set ${name}.`);
  return value;
}
