// One greedy chat completion twice: answered whole, and streamed (with stream_options.include_usage,
// as OpenAI's clients ask for usage), plus the raw stream's last line, which the client hides.
import { client, collected, post, report, server } from './connect.mjs';

const request = { model: server.model, max_tokens: 24, temperature: 0,
                  messages: [{ role: 'system', content: 'You are a helpful assistant.' },
                             { role: 'user', content: [{ type: 'text', text: 'Write a function that adds.' }] }] };

report(async () => {
    const whole = await client().chat.completions.create(request);
    const streamed = await client().chat.completions.create({ ...request, stream: true,
                                                              stream_options: { include_usage: true } });
    const raw = await post('/v1/chat/completions', { ...request, stream: true });
    return {
        whole: { object: whole.object, id: whole.id, model: whole.model, choices: whole.choices.length,
                 role: whole.choices[0].message.role, content: whole.choices[0].message.content,
                 finishReason: whole.choices[0].finish_reason, usage: whole.usage },
        streamed: await collected(streamed),
        raw: { status: raw.status, contentType: raw.headers['content-type'],
               lastLines: raw.text.trimEnd().split('\n').slice(-1) },
    };
});
