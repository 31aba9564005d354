// The driver of server-bench.sh: STREAMS greedy streamed chat completions at once against a running
// `latent-cli serve`, read as server-sent events with Node's own fetch (no client library, so the
// client's parsing costs as little as it can). Prints one JSON line: the generated tokens (from
// each stream's usage) over the time from the first streamed token to the last one of all streams,
// the median of REPS runs.
//   node server_bench.mjs URL MAX_TOKENS STREAMS REPS
const [url, maxTokens, streams, reps] = [process.argv[2], ...process.argv.slice(3, 6).map(Number)];

async function stream(index) {
    const response = await fetch(`${url}/v1/chat/completions`, {
        method: 'POST', headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ temperature: 0, max_tokens: maxTokens, stream: true,
                               stream_options: { include_usage: true },
                               messages: [{ role: 'user', content: `Write a long story, number ${index}.` }] }) });
    if (!response.ok)
        throw new Error(`HTTP ${response.status}: ${await response.text()}`);
    const decoder = new TextDecoder();
    let pending = '';
    let first = null;
    let last = null;
    let usage = null;
    for await (const bytes of response.body) {
        pending += decoder.decode(bytes, { stream: true }).replaceAll('\r\n', '\n');
        const events = pending.split('\n\n');
        pending = events.pop();
        for (const event of events) {
            const data = event.replace(/^data: /, '');
            if (data === '[DONE]')
                continue;
            const chunk = JSON.parse(data);
            usage = chunk.usage ?? usage;
            if (chunk.choices?.[0]?.delta?.content) {
                last = performance.now();
                first ??= last;
            }
        }
    }
    return { first, last, tokens: usage.completion_tokens };
}

async function run() {
    const results = await Promise.all(Array.from({ length: streams }, (_, i) => stream(i)));
    const first = Math.min(...results.map((r) => r.first));
    const last = Math.max(...results.map((r) => r.last));
    const tokens = results.reduce((sum, r) => sum + r.tokens, 0);
    // The very first token comes with its prompt, before the clock starts: the rate counts the others.
    return { streams, tokens, seconds: (last - first) / 1000, tok_s: (tokens - 1) / ((last - first) / 1000) };
}

const runs = [];
for (let i = 0; i < reps; ++i)
    runs.push(await run());
runs.sort((a, b) => a.tok_s - b.tok_s);
console.log(JSON.stringify(runs[Math.floor(runs.length / 2)]));
