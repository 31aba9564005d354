// A server with --parallel 1 --queue 1 sent three long requests at once: one generates, one waits,
// the third is refused with 503 and Retry-After. The two let in hang up once the refusal has come.
import { client, described, report, server, stats } from './connect.mjs';

const maxTokens = Number(process.env.LATENT_TEST_MAX_TOKENS);
const refusals = [];

report(async () => {
    const outcomes = await Promise.all([0, 1, 2].map(async () => {
        try {
            const stream = await client().chat.completions.create(
                { model: server.model, temperature: 0, max_tokens: maxTokens, stream: true,
                  messages: [{ role: 'user', content: 'Write the longest essay you can.' }] });
            // Let in: read until the refusal has come, then hang up, so that the waiting one starts.
            for await (const chunk of stream)
                if (refusals.length > 0)
                    break;
            return { admitted: true };
        } catch (error) {
            if (error.status === 503)
                refusals.push(error);
            return described(error);
        }
    }));
    return { outcomes, stats: await stats() };
});
