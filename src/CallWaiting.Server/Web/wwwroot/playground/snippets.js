// "Copy as": the current choices as a request someone can run. The key is never in them: each reads the
// CALLWAITING_API_KEY environment variable, so a copied snippet holds no secret of this session.

const KEY_VARIABLE = "CALLWAITING_API_KEY";

// The formats POST /v1/audio/speech knows, by our names (its "pcm" is 24 kHz PCM16).
const OPENAI_FORMATS = { mp3: "mp3", opus: "opus", flac: "flac", wav: "wav", pcm16: "pcm" };

/** The /v1/tts body for the choices: what the page sends, what curl and C# send. */
export function ttsBody(choices) {
  const body = { text: choices.text, voice_id: choices.voice, format: choices.format, speed: choices.speed };
  if (choices.sampleRate) body.sample_rate = choices.sampleRate;
  if (choices.ssml) body.ssml = true;
  return body;
}

/** The file name a download or a snippet writes. */
export function fileName(extension) {
  return `speech.${extension}`;
}

/** curl against /v1/tts, writing the file. */
export function curl(origin, choices, extension) {
  return [
    `curl -sS --fail-with-body ${origin}/v1/tts \\`,
    `  -H "Authorization: Bearer $${KEY_VARIABLE}" \\`,
    `  -H "Content-Type: application/json" \\`,
    `  -d ${shellQuote(JSON.stringify(ttsBody(choices)))} \\`,
    `  -o ${fileName(extension)}`,
  ].join("\n");
}

/** C# with HttpClient against /v1/tts. */
export function csharp(origin, choices, extension) {
  const json = JSON.stringify(ttsBody(choices));
  return [
    "using System.Net.Http.Headers;",
    "using System.Text;",
    "",
    `using var http = new HttpClient { BaseAddress = new Uri(${csString(origin + "/")}) };`,
    "http.DefaultRequestHeaders.Authorization =",
    `    new AuthenticationHeaderValue("Bearer", Environment.GetEnvironmentVariable(${csString(KEY_VARIABLE)}));`,
    `var body = new StringContent(${csString(json)}, Encoding.UTF8, "application/json");`,
    'using var response = await http.PostAsync("v1/tts", body);',
    "response.EnsureSuccessStatusCode();",
    `await File.WriteAllBytesAsync(${csString(fileName(extension))}, await response.Content.ReadAsByteArrayAsync());`,
  ].join("\n");
}

/** The OpenAI Node SDK against the OpenAI-compatible endpoint. */
export function openAiNode(origin, choices) {
  const { format, notes } = openAiChoices(choices);
  return [
    ...notes.map((n) => `// ${n}`),
    'import fs from "node:fs";',
    'import OpenAI from "openai";',
    "",
    `const client = new OpenAI({ baseURL: ${jsString(origin + "/v1")}, apiKey: process.env.${KEY_VARIABLE} });`,
    "const response = await client.audio.speech.create({",
    '  model: "callwaiting-tts",',
    `  voice: ${jsString(choices.voice)},`,
    `  input: ${jsString(openAiInput(choices))},`,
    `  response_format: ${jsString(format)},`,
    `  speed: ${choices.speed},`,
    "});",
    `fs.writeFileSync(${jsString(`speech.${format}`)}, Buffer.from(await response.arrayBuffer()));`,
  ].join("\n");
}

/** The OpenAI Python SDK against the OpenAI-compatible endpoint. */
export function openAiPython(origin, choices) {
  const { format, notes } = openAiChoices(choices);
  return [
    ...notes.map((n) => `# ${n}`),
    "import os",
    "from openai import OpenAI",
    "",
    `client = OpenAI(base_url=${pyString(origin + "/v1")}, api_key=os.environ[${pyString(KEY_VARIABLE)}])`,
    "response = client.audio.speech.create(",
    '    model="callwaiting-tts",',
    `    voice=${pyString(choices.voice)},`,
    `    input=${pyString(openAiInput(choices))},`,
    `    response_format=${pyString(format)},`,
    `    speed=${choices.speed},`,
    ")",
    `response.write_to_file(${pyString(`speech.${format}`)})`,
  ].join("\n");
}

// OpenAI's API has no sample rate, no G.711 and no SSML flag: say what the snippet does instead of dropping it silently.
function openAiChoices(choices) {
  const notes = [];
  let format = OPENAI_FORMATS[choices.format];
  if (!format) {
    format = "wav";
    notes.push(`The OpenAI endpoint has no ${choices.format}; this asks for wav. Use /v1/tts (curl, C#) for ${choices.format}.`);
  }
  if (choices.sampleRate) notes.push(`The OpenAI endpoint has no sample rate; /v1/tts takes "sample_rate": ${choices.sampleRate}.`);
  return { format, notes };
}

// SSML reaches the OpenAI endpoint as text starting with <speak>.
function openAiInput(choices) {
  const text = choices.text;
  return choices.ssml && !text.trimStart().startsWith("<speak") ? `<speak>${text}</speak>` : text;
}

function shellQuote(text) {
  return `'${text.replaceAll("'", "'\\''")}'`;
}

// A JSON string is a valid string literal in JavaScript, Python and C#: JSON.stringify writes only escapes
// (\" \\ \n \t \b \f \r \uXXXX) that all three read the same way.
const jsString = (text) => JSON.stringify(text);
const pyString = jsString;
const csString = jsString;
