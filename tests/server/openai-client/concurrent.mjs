// Eight greedy streams at once must say what each says alone: sessions do not leak into each other.
import { client, collected, report, server } from './connect.mjs';

const topics = ['sorting', 'graphs', 'strings', 'parsing', 'hashing', 'caches', 'threads', 'files'];
const request = (topic) => ({ model: server.model, temperature: 0, max_tokens: 48, stream: true,
                              messages: [{ role: 'user', content: `Explain ${topic} in one paragraph.` }] });

report(async () => {
    const alone = [];
    for (const topic of topics)
        alone.push((await collected(await client().chat.completions.create(request(topic)))).content);
    const together = await Promise.all(topics.map(async (topic) =>
        (await collected(await client().chat.completions.create(request(topic)))).content));
    return { alone, together };
});
