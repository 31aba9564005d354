// Stop strings: a greedy answer is asked for again with a piece of its own text as a stop string
// (and one that never comes); the answer must end just before that piece, streamed or not.
import { client, collected, report, server } from './connect.mjs';

const request = { model: server.model, max_tokens: 40, temperature: 0,
                  messages: [{ role: 'user', content: 'Count to ten.' }] };

report(async () => {
    const free = (await client().chat.completions.create(request)).choices[0].message.content;
    const stop = free.slice(12, 16);
    const expected = free.slice(0, free.indexOf(stop));
    const stopped = { ...request, stop: [stop, '\u0000never'] };
    const whole = await client().chat.completions.create(stopped);
    const streamed = await collected(await client().chat.completions.create({ ...stopped, stream: true }));
    return { free, stop, expected,
             whole: { content: whole.choices[0].message.content, finishReason: whole.choices[0].finish_reason },
             streamed: { content: streamed.content, finishReasons: streamed.finishReasons } };
});
