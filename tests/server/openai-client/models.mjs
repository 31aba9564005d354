// GET /v1/models through the client: the one model the server serves.
import { client, report } from './connect.mjs';

report(async () => {
    const models = [];
    for await (const model of client().models.list())
        models.push({ id: model.id, object: model.object, owned_by: model.owned_by });
    return { models };
});
