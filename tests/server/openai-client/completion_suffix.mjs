// POST /v1/completions with a suffix: fill-in-the-middle with the model's FIM tokens, through the client.
import { client, report, server } from './connect.mjs';

report(async () => {
    const filled = await client().completions.create({ model: server.model, temperature: 0, max_tokens: 6,
                                                      prompt: 'def add(a, b):\n    ', suffix: '\n    return c\n' });
    const plain = await client().completions.create({ model: server.model, temperature: 0, max_tokens: 6,
                                                     prompt: 'def add(a, b):\n    ' });
    const describe = (answer) => ({ object: answer.object, text: answer.choices[0].text,
                                    finishReason: answer.choices[0].finish_reason, usage: answer.usage });
    return { filled: describe(filled), plain: describe(plain) };
});
