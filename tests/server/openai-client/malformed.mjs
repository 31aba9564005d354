// Bad requests: a body that is not JSON, and JSON of the wrong shape sent through the client; both
// are 400 invalid_request_error in OpenAI's error shape.
import { client, described, post, report, server } from './connect.mjs';

report(async () => {
    const notJson = await post('/v1/chat/completions', '{"model": "x", "messages": [');
    let wrongType;
    try {
        await client().chat.completions.create({ model: server.model, messages: 'hello' });
    } catch (error) {
        wrongType = described(error);
    }
    let twoChoices;
    try {
        await client().chat.completions.create({ model: server.model, n: 2,
                                                 messages: [{ role: 'user', content: 'hi' }] });
    } catch (error) {
        twoChoices = described(error);
    }
    return { notJson: { status: notJson.status, body: JSON.parse(notJson.text) }, wrongType, twoChoices };
});
