// What the scripts here share: the pinned openai client, which the test fixture installs into the
// build folder (LATENT_OPENAI_CLIENT_DIR; node_modules never lives in the source tree), the server
// test_server_openai started (argv[2], JSON: {baseUrl, apiKey, model}), and the one JSON line each
// script prints for the test to check.
import { createRequire } from 'node:module';
import path from 'node:path';

const installed = process.env.LATENT_OPENAI_CLIENT_DIR;
if (!installed)
    throw new Error('LATENT_OPENAI_CLIENT_DIR is not set: run the script through test_server_openai');
const require = createRequire(path.join(installed, 'package.json'));
export const OpenAI = require('openai');

export const server = JSON.parse(process.argv[2] ?? '{}');

// A client of the server under test. No retries: a 503 or a 401 must reach the script as it came.
export function client(settings = {}) {
    return new OpenAI({ baseURL: `${server.baseUrl}/v1`, apiKey: server.apiKey ?? 'no-key-needed',
                        maxRetries: 0, timeout: 60_000, ...settings });
}

// A raw request, for what the openai client cannot send (malformed JSON, llama.cpp's /infill).
export async function post(route, body, headers = {}) {
    const response = await fetch(`${server.baseUrl}${route}`, {
        method: 'POST', body: typeof body === 'string' ? body : JSON.stringify(body),
        headers: { 'Content-Type': 'application/json', ...headers } });
    return { status: response.status, headers: Object.fromEntries(response.headers), text: await response.text() };
}

export async function stats() {
    return (await fetch(`${server.baseUrl}/stats`)).json();
}

// An API error as the client reports it: its class, status and OpenAI's error fields.
export function described(error) {
    return { class: error.constructor.name, status: error.status ?? null, type: error.type ?? null,
             code: error.code ?? null, param: error.param ?? null, message: error.message,
             retryAfter: error.headers?.['retry-after'] ?? null };
}

export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

// Runs the script's body and prints its result as one JSON line; an unexpected failure prints
// {"failure": ...} and exits 1, so the test shows what went wrong.
export async function report(body) {
    try {
        console.log(JSON.stringify(await body()));
    } catch (error) {
        console.log(JSON.stringify({ failure: String(error?.stack ?? error) }));
        process.exitCode = 1;
    }
}

// A streamed chat completion read to its end: its text and what its chunks said.
export async function collected(stream) {
    const seen = { chunks: 0, content: '', roles: [], finishReasons: [], usage: null, objects: [], ids: [],
                   models: [], choicelessChunks: 0 };
    for await (const chunk of stream) {
        seen.chunks += 1;
        seen.objects.push(chunk.object);
        seen.ids.push(chunk.id);
        seen.models.push(chunk.model);
        if (chunk.usage)
            seen.usage = chunk.usage;
        if (chunk.choices.length === 0)
            seen.choicelessChunks += 1;
        for (const choice of chunk.choices) {
            if (choice.delta?.role)
                seen.roles.push({ chunk: seen.chunks - 1, role: choice.delta.role });
            seen.content += choice.delta?.content ?? '';
            if (choice.finish_reason)
                seen.finishReasons.push(choice.finish_reason);
        }
    }
    seen.objects = [...new Set(seen.objects)];
    seen.ids = [...new Set(seen.ids)];
    seen.models = [...new Set(seen.models)];
    return seen;
}
