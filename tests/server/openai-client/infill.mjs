// POST /infill in llama.cpp's shape, as llama.vim and llama.vscode send it: whole and streamed.
import { post, report } from './connect.mjs';

const request = { input_prefix: 'int add(int a, int b) {\n    ', input_suffix: '\n}\n', prompt: '',
                  input_extra: [{ filename: 'math.h', text: 'int add(int a, int b);\n' }],
                  n_predict: 6, temperature: 0 };

report(async () => {
    const whole = await post('/infill', request);
    const streamed = await post('/infill', { ...request, stream: true });
    const events = streamed.text.split('\n').filter((line) => line.startsWith('data: '))
        .map((line) => JSON.parse(line.slice('data: '.length)));
    return { whole: { status: whole.status, body: JSON.parse(whole.text) },
             streamed: { status: streamed.status, contentType: streamed.headers['content-type'],
                         content: events.map((event) => event.content ?? '').join(''),
                         stops: events.map((event) => event.stop) } };
});
