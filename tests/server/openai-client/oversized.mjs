// A request body over the server's --max-body: 413 through the client, the server still serving after.
import { client, described, report, server } from './connect.mjs';

report(async () => {
    const bytes = Number(process.env.LATENT_TEST_BODY_BYTES);
    let refused;
    try {
        await client().chat.completions.create({ model: server.model, max_tokens: 1,
                                                 messages: [{ role: 'user', content: 'x'.repeat(bytes) }] });
    } catch (error) {
        refused = described(error);
    }
    const after = await client().models.list();
    return { refused, servingAfter: after.data.length };
});
