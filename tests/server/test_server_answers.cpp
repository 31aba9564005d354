// What the server writes: server-sent events, R1's thinking split from its answer as pieces
// stream (tags cut anywhere), and the JSON of each endpoint's answers and stream chunks.

#include "app/server/answer_format.h"
#include "app/server/sse.h"
#include "app/server/thinking_split.h"

#include <QTest>

using namespace latent;
using namespace latent::server;
using nlohmann::json;

// JSON compared as its text: QCOMPARE cannot print a json, which converts to anything.
static QString dumped(const json& value)
{
    return QString::fromStdString(value.dump());
}

namespace {

GenerationJob::Update finished(std::string text, StopReason reason, size_t tokens)
{
    GenerationJob::Update end;
    end.done = true;
    end.result.text = std::move(text);
    end.result.reason = reason;
    end.result.tokens.assign(tokens, 1);
    end.result.promptTokens = 3;
    end.cachedTokens = 2;
    return end;
}

CompletionRequest requestFor(Endpoint endpoint, bool includeUsage = false)
{
    CompletionRequest request;
    request.endpoint = endpoint;
    request.stream = true;
    request.includeUsage = includeUsage;
    return request;
}

} // namespace

class ServerAnswersTest : public QObject {
    Q_OBJECT

private slots:
    void serverSentEvents()
    {
        QCOMPARE(sseEvent({{"a", "line\nnext"}}), std::string("data: {\"a\":\"line\\nnext\"}\n\n"));
        QCOMPARE(sseDone(), std::string("data: [DONE]\n\n"));
        // Bytes that are not UTF-8 are replaced, never thrown on mid-stream.
        QVERIFY(sseEvent({{"a", std::string("\xff")}}).find("\xef\xbf\xbd") != std::string::npos);
    }

    // The same R1 answer cut into pieces at every pair of positions splits the same way.
    void thinkingSplitWhereverThePiecesAreCut()
    {
        const std::string answer = "\n<think>\nlet me see: a < b </ c\n</think>\n\nThe answer is <think> 42.";
        const std::string reasoning = "\nlet me see: a < b </ c\n";
        const std::string content = "\n\nThe answer is <think> 42.";
        for (size_t first = 0; first <= answer.size(); ++first) {
            for (size_t second = first; second <= answer.size(); second += 3) {
                ThinkingSplit split;
                SplitText total;
                for (const std::string_view piece : {std::string_view(answer).substr(0, first),
                                                     std::string_view(answer).substr(first, second - first),
                                                     std::string_view(answer).substr(second)}) {
                    const SplitText out = split.push(piece);
                    total.reasoning += out.reasoning;
                    total.content += out.content;
                }
                const SplitText rest = split.finish();
                total.reasoning += rest.reasoning;
                total.content += rest.content;
                QCOMPARE(total.reasoning, reasoning);
                QCOMPARE(total.content, content);
            }
        }
    }

    void thinkingSplitWithoutThinking()
    {
        ThinkingSplit split;
        QCOMPARE(split.push("<thi").content, std::string()); // could still open a thinking part
        QCOMPARE(split.push("s is plain").content, std::string("<this is plain"));
        ThinkingSplit unfinished;
        QCOMPARE(unfinished.push("<think>still thinking</thi").reasoning, std::string("still thinking"));
        QCOMPARE(unfinished.finish().reasoning, std::string("</thi")); // cut off: all of it is thinking
    }

    void chatStream()
    {
        const auto format = makeAnswerFormat(requestFor(Endpoint::ChatCompletions), {"tiny", 3, false});
        const std::vector<json> start = format->streamStart();
        QCOMPARE(start.size(), size_t(1));
        QCOMPARE(dumped(start[0]["object"]), dumped(json("chat.completion.chunk")));
        QCOMPARE(dumped(start[0]["model"]), dumped(json("tiny")));
        QCOMPARE(dumped(start[0]["choices"][0]["delta"]["role"]), dumped(json("assistant")));
        QVERIFY(start[0]["choices"][0]["finish_reason"].is_null());
        const std::vector<json> piece = format->streamText("Hel");
        QCOMPARE(dumped(piece[0]["choices"][0]["delta"]), dumped(json({{"content", "Hel"}})));
        QCOMPARE(dumped(piece[0]["id"]), dumped(start[0]["id"]));
        QVERIFY(format->streamText("").empty());
        // Without include_usage: usage rides on the chunk with finish_reason.
        const std::vector<json> end = format->streamEnd(finished("Hello", StopReason::MaxTokens, 2));
        QCOMPARE(end.size(), size_t(1));
        QCOMPARE(dumped(end[0]["choices"][0]["finish_reason"]), dumped(json("length")));
        QCOMPARE(dumped(end[0]["usage"]), dumped(json({{"prompt_tokens", 3}, {"completion_tokens", 2}, {"total_tokens", 5}})));
        QVERIFY(format->endsWithDone());
    }

    void chatStreamWithIncludeUsage()
    {
        const auto format = makeAnswerFormat(requestFor(Endpoint::ChatCompletions, true), {"tiny", 3, false});
        const std::vector<json> end = format->streamEnd(finished("Hi", StopReason::EndOfGeneration, 1));
        QCOMPARE(end.size(), size_t(2));
        QCOMPARE(dumped(end[0]["choices"][0]["finish_reason"]), dumped(json("stop")));
        QVERIFY(!end[0].contains("usage"));
        QCOMPARE(dumped(end[1]["choices"]), dumped(json::array())); // OpenAI's usage chunk has no choices
        QCOMPARE(dumped(end[1]["usage"]["total_tokens"]), dumped(json(4)));
    }

    void r1StreamSendsReasoningContent()
    {
        const auto format = makeAnswerFormat(requestFor(Endpoint::ChatCompletions), {"r1", 3, true});
        std::vector<json> events = format->streamText("<think>hmm</th");
        QCOMPARE(events.size(), size_t(1));
        QCOMPARE(dumped(events[0]["choices"][0]["delta"]), dumped(json({{"reasoning_content", "hmm"}})));
        events = format->streamText("ink>Yes");
        QCOMPARE(events.size(), size_t(1));
        QCOMPARE(dumped(events[0]["choices"][0]["delta"]), dumped(json({{"content", "Yes"}})));

        const auto whole = makeAnswerFormat(requestFor(Endpoint::ChatCompletions), {"r1", 3, true});
        const json answer = whole->answer(finished("<think>hmm</think>Yes", StopReason::EndOfGeneration, 5));
        QCOMPARE(dumped(answer["object"]), dumped(json("chat.completion")));
        QCOMPARE(dumped(answer["choices"][0]["message"]), dumped(json({{"role", "assistant"}, {"content", "Yes"}, {"reasoning_content", "hmm"}})));
        QCOMPARE(dumped(answer["choices"][0]["finish_reason"]), dumped(json("stop")));
        QCOMPARE(dumped(answer["usage"]["completion_tokens"]), dumped(json(5)));
    }

    void completionAnswers()
    {
        const auto format = makeAnswerFormat(requestFor(Endpoint::Completions), {"tiny", 3, false});
        QVERIFY(format->streamStart().empty());
        const std::vector<json> piece = format->streamText("x = ");
        QCOMPARE(dumped(piece[0]["object"]), dumped(json("text_completion")));
        QCOMPARE(dumped(piece[0]["choices"][0]["text"]), dumped(json("x = ")));
        const std::vector<json> end = format->streamEnd(finished("x = 1", StopReason::StopString, 3));
        QCOMPARE(dumped(end[0]["choices"][0]["finish_reason"]), dumped(json("stop")));
        QCOMPARE(dumped(end[0]["usage"]["prompt_tokens"]), dumped(json(3)));
        const json answer = format->answer(finished("x = 1", StopReason::ContextFull, 3));
        QCOMPARE(dumped(answer["choices"][0]["text"]), dumped(json("x = 1")));
        QCOMPARE(dumped(answer["choices"][0]["finish_reason"]), dumped(json("length")));
    }

    void infillAnswersAsLlamaCpp()
    {
        const auto format = makeAnswerFormat(requestFor(Endpoint::Infill), {"coder", 3, false});
        QVERIFY(!format->endsWithDone());
        QCOMPARE(dumped(format->streamText("y")), dumped(std::vector<json>{json({{"content", "y"}, {"stop", false}})}));
        const json end = format->answer(finished("y + 1", StopReason::MaxTokens, 4));
        QCOMPARE(dumped(end["content"]), dumped(json("y + 1")));
        QCOMPARE(dumped(end["stop"]), dumped(json(true)));
        QCOMPARE(dumped(end["tokens_predicted"]), dumped(json(4)));
        QCOMPARE(dumped(end["tokens_evaluated"]), dumped(json(3)));
        QCOMPARE(dumped(end["tokens_cached"]), dumped(json(2)));
        QCOMPARE(dumped(end["stopped_limit"]), dumped(json(true)));
        QCOMPARE(dumped(end["timings"]["predicted_n"]), dumped(json(4)));
        QCOMPARE(dumped(end["timings"]["prompt_n"]), dumped(json(3)));
        const std::vector<json> last = format->streamEnd(finished("y + 1", StopReason::EndOfGeneration, 4));
        QCOMPARE(dumped(last[0]["content"]), dumped(json("")));
        QCOMPARE(dumped(last[0]["stop"]), dumped(json(true)));
        QCOMPARE(dumped(last[0]["stopped_eos"]), dumped(json(true)));
    }
};

QTEST_GUILESS_MAIN(ServerAnswersTest)
#include "test_server_answers.moc"
