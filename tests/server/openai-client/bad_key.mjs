// A server started with --api-key: a wrong key and no key are refused (401, the client's
// AuthenticationError), the right key is let in.
import { client, described, post, report } from './connect.mjs';

async function modelsWith(apiKey) {
    try {
        const page = await client({ apiKey }).models.list();
        return { models: page.data.map((model) => model.id) };
    } catch (error) {
        return described(error);
    }
}

report(async () => {
    const keyless = await post('/v1/chat/completions', { messages: [{ role: 'user', content: 'hi' }] });
    return { wrongKey: await modelsWith('wrong-key'), rightKey: await modelsWith(process.env.LATENT_TEST_API_KEY),
             noKey: { status: keyless.status, body: JSON.parse(keyless.text) } };
});
