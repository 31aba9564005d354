// A client that hangs up mid-stream: the server must stop generating for it. Reads a few chunks of a
// long greedy answer, aborts, then watches the server's counters.
import { client, report, server, sleep, stats } from './connect.mjs';

const maxTokens = Number(process.env.LATENT_TEST_MAX_TOKENS);

report(async () => {
    const before = await stats();
    const controller = new AbortController();
    const stream = await client().chat.completions.create(
        { model: server.model, temperature: 0, max_tokens: maxTokens, stream: true,
          messages: [{ role: 'user', content: 'Write the longest essay you can.' }] },
        { signal: controller.signal });
    // The client's stream ends quietly when its request is aborted (after the chunks it had read).
    let chunks = 0;
    for await (const chunk of stream) {
        chunks += 1;
        if (chunks === 5)
            controller.abort();
    }
    const aborted = controller.signal.aborted;
    // The server notices at its next write; give it up to ten seconds to count the cancellation.
    let counted = await stats();
    for (let i = 0; i < 100 && counted.requests_cancelled <= before.requests_cancelled; ++i) {
        await sleep(100);
        counted = await stats();
    }
    await sleep(500);
    const later = await stats();
    return { chunks, aborted, maxTokens, before, counted, later };
});
