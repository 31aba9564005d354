// max_tokens: the answer ends at the limit with finish_reason "length", its usage counting exactly
// that many tokens; max_completion_tokens (OpenAI's newer name) is the same limit.
import { client, report, server } from './connect.mjs';

const messages = [{ role: 'user', content: 'Tell me a long story.' }];

report(async () => {
    const limited = await client().chat.completions.create({ model: server.model, messages, temperature: 0,
                                                             max_tokens: 7 });
    const newer = await client().chat.completions.create({ model: server.model, messages, temperature: 0,
                                                           max_completion_tokens: 5 });
    return { maxTokens: { finishReason: limited.choices[0].finish_reason, usage: limited.usage },
             maxCompletionTokens: { finishReason: newer.choices[0].finish_reason, usage: newer.usage } };
});
