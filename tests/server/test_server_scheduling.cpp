// How the server shares one model among requests: the bounded first-come line, the session a
// prompt goes to (the longest cached prefix), and the scheduler that interleaves the requests
// token by token on one engine thread (the same greedy text alone or eight at once; a cancelled
// request stops; the owner's engine lock taken around every forward pass).

#include "app/server/engine_turns.h"
#include "app/server/generation_scheduler.h"
#include "app/server/request_queue.h"
#include "app/server/session_choice.h"
#include "engine/model/loaded_model.h"
#include "engine/model/test_model.h"
#include "engine/session/generator.h"

#include <QTemporaryDir>
#include <QTest>

#include <atomic>
#include <memory>
#include <thread>
#include <optional>

using namespace latent;
using namespace latent::server;

class ServerSchedulingTest : public QObject {
    Q_OBJECT

    QTemporaryDir dir_;
    std::optional<LoadedModel> model_;

    ServedModel served(EngineTurns* lock = nullptr) const
    {
        return {"tiny", model_->model.get(), model_->tokenizer.get(), chat::ChatFormat::DeepSeekCoder, 256, 32, lock};
    }

    std::vector<int32_t> prompt(std::string_view text) const
    {
        return model_->tokenizer->encode(text, {.addBos = true});
    }

    static GenerationOptions greedy(int maxTokens)
    {
        GenerationOptions options;
        options.maxTokens = maxTokens;
        options.sampling.temperature = 0;
        return options;
    }

private slots:
    void initTestCase()
    {
        const std::string path = dir_.filePath("tiny.gguf").toStdString();
        writeTestModel({"llama", "tiny", gguf::TensorType::Q8_0, 3}, path);
        model_.emplace(LoadedModel::open(path, {"cpu", 1}));
    }

    void theLineIsBoundedAndFirstComeFirstServed()
    {
        RequestQueue queue(2, 1);
        std::vector<std::shared_ptr<GenerationJob>> jobs;
        for (int i = 0; i < 4; ++i)
            jobs.push_back(std::make_shared<GenerationJob>(std::vector<int32_t>{i}, GenerationOptions{}));
        QVERIFY(queue.admit(jobs[0]));
        QVERIFY(queue.admit(jobs[1]));
        QVERIFY(queue.admit(jobs[2])); // two running places and one waiting, even before any started
        QVERIFY(!queue.admit(jobs[3]));
        QVERIFY(queue.startNext() == jobs[0]);
        QVERIFY(queue.startNext() == jobs[1]);
        QVERIFY(!queue.startNext()); // both running places taken
        QCOMPARE(queue.waiting(), 1);
        QVERIFY(!queue.admit(jobs[3]));
        queue.finished();
        QVERIFY(queue.startNext() == jobs[2]);
        QVERIFY(queue.admit(jobs[3]));
        QCOMPARE(queue.running(), 2);
        QCOMPARE(queue.drain().size(), size_t(1));
    }

    void aPromptGoesToTheSessionHoldingItsLongestPrefix()
    {
        Session first(*model_->model, {128, 32}), second(*model_->model, {128, 32}), empty(*model_->model, {128, 32});
        std::vector<float> logits;
        first.evaluate(prompt("def main():\n    return 1"), Model::Logits::None, logits);
        second.evaluate(prompt("import os\n"), Model::Logits::None, logits);
        const std::vector<int32_t> followUp = prompt("import os\nimport sys\n");
        const std::vector<const Session*> sessions = {&first, &second, &empty};
        QCOMPARE(chooseSession(sessions, followUp), size_t(1));
        QCOMPARE(chooseSession(sessions, prompt("def main():\n    pass")), size_t(0));
        // Nothing shared: an existing session (no new cache to allocate) before one not made yet.
        const std::vector<const Session*> withUnmade = {nullptr, &empty};
        QCOMPARE(chooseSession(withUnmade, std::vector<int32_t>{9, 9}), size_t(1));
        const std::vector<const Session*> unmadeOnly = {nullptr, nullptr};
        QCOMPARE(chooseSession(unmadeOnly, followUp), size_t(0));
    }

    void eightAtOnceGiveTheTextsOfOneAtATime()
    {
        const std::vector<std::string> texts = {"def main():", "import os", "class A:", "def main():"};
        std::vector<std::string> alone;
        for (const std::string& text : texts) {
            Session session(*model_->model, {256, 32});
            alone.push_back(generate(session, *model_->tokenizer, prompt(text), greedy(24), {}).text);
        }

        ServerStats stats;
        EngineTurns engineLock;
        GenerationScheduler scheduler(served(&engineLock), 4, 8, stats);
        std::vector<std::shared_ptr<GenerationJob>> jobs;
        for (int round = 0; round < 2; ++round) {
            for (const std::string& text : texts) {
                jobs.push_back(std::make_shared<GenerationJob>(prompt(text), greedy(24)));
                QVERIFY(scheduler.submit(jobs.back()));
            }
        }
        for (size_t i = 0; i < jobs.size(); ++i) {
            const GenerationJob::Update end = jobs[i]->takeAll();
            QVERIFY(!end.error);
            QCOMPARE(end.result.text, alone[i % texts.size()]);
            QCOMPARE(end.result.tokens.size(), size_t(24));
        }
        QCOMPARE(stats.tokensGenerated.load(), int64_t(8 * 24));
        QCOMPARE(stats.requestsActive.load(), int64_t(0));
        QCOMPARE(stats.requestsQueued.load(), int64_t(0));
        // The second round found the first's prompts in the sessions.
        QVERIFY(stats.promptTokensCached.load() > 0);

        // A request whose prompt a session already holds evaluates only its last token again.
        const int64_t evaluated = stats.promptTokensEvaluated.load();
        auto again = std::make_shared<GenerationJob>(prompt("class A:"), greedy(24));
        QVERIFY(scheduler.submit(again));
        const GenerationJob::Update end = again->takeAll();
        QCOMPARE(end.result.text, alone[2]);
        QCOMPARE(end.cachedTokens, int64_t(prompt("class A:").size()) - 1);
        QCOMPARE(stats.promptTokensEvaluated.load(), evaluated + 1);
    }

    // The server locks again right after each token; the app, asking meanwhile, still gets the
    // next turn (a std::mutex would let the server take it again and again).
    void engineTurnsGoInTheOrderAsked()
    {
        EngineTurns turns;
        std::mutex logMutex;
        std::string log;
        const auto note = [&](char who) {
            std::lock_guard lock(logMutex);
            log += who;
        };
        std::atomic<bool> stop{false};
        turns.lock(); // the test holds the first turn while both line up
        std::thread server([&] {
            while (!stop) {
                std::lock_guard turn(turns);
                note('S');
            }
        });
        QTRY_COMPARE(turns.waiting(), 1);
        std::thread app([&] {
            std::lock_guard turn(turns);
            note('A');
        });
        QTRY_COMPARE(turns.waiting(), 2);
        turns.unlock();
        app.join();
        stop = true;
        server.join();
        QVERIFY2(log.rfind("SA", 0) == 0, log.c_str()); // one server turn, then the app's
    }

    // The test holds the engine's turns, so that the request is cancelled mid-answer whatever the
    // machine's speed (cancelled after its first text, a busy machine let the tiny model reach the
    // context's end first). Turns go first come first served: the request's prompt, then a turn
    // the test asked for behind it (from a thread of its own, asked before the prompt's turn
    // began, so no token can slip in between), and the request's next token waits behind that.
    void aCancelledRequestStopsAndIsCounted()
    {
        ServerStats stats;
        EngineTurns turns;
        turns.lock();
        GenerationScheduler scheduler(served(&turns), 1, 4, stats);
        auto running = std::make_shared<GenerationJob>(prompt("def main():"), greedy(-1));
        auto waiting = std::make_shared<GenerationJob>(prompt("import os"), greedy(-1));
        QVERIFY(scheduler.submit(running));
        QVERIFY(scheduler.submit(waiting));
        waiting->cancel(); // its client left while it waited: never started
        QTRY_COMPARE(turns.waiting(), 1); // the running request, for its prompt
        std::atomic<bool> holding{false};
        std::jthread nextTurn([&](const std::stop_token& done) {
            std::lock_guard turn(turns);
            holding = true;
            while (!done.stop_requested())
                std::this_thread::sleep_for(std::chrono::milliseconds(1));
        });
        QTRY_COMPARE(turns.waiting(), 2);
        turns.unlock();
        QTRY_VERIFY(holding.load());
        QTRY_COMPARE(turns.waiting(), 1); // the running request, its prompt evaluated, for a token
        running->cancel();
        nextTurn.request_stop();
        nextTurn.join();
        const GenerationJob::Update end = running->takeAll();
        QCOMPARE(end.result.reason, StopReason::Cancelled);
        QVERIFY(!end.result.tokens.empty()); // it was answering
        QVERIFY(end.result.tokens.size() < 8); // and stopped at once, long before the context's end
        QCOMPARE(waiting->takeAll().result.reason, StopReason::Cancelled);
        QCOMPARE(stats.requestsCancelled.load(), int64_t(2));
        QCOMPARE(stats.tokensGenerated.load(), int64_t(end.result.tokens.size()));
    }

    void aFullLineRefusesAndAGoneModelFailsItsRequests()
    {
        ServerStats stats;
        EngineTurns engineLock;
        std::vector<std::shared_ptr<GenerationJob>> jobs;
        {
            engineLock.lock(); // the owner is generating: the scheduler can start nothing
            GenerationScheduler scheduler(served(&engineLock), 1, 1, stats);
            for (int i = 0; i < 3; ++i)
                jobs.push_back(std::make_shared<GenerationJob>(prompt("def main():"), greedy(8)));
            QVERIFY(scheduler.submit(jobs[0]));
            QVERIFY(scheduler.submit(jobs[1]));
            QVERIFY(!scheduler.submit(jobs[2]));
            // The owner lets go; the scheduler is destroyed (the model goes away) at once.
            engineLock.unlock();
        }
        for (int i = 0; i < 2; ++i) {
            const GenerationJob::Update end = jobs[i]->takeAll();
            QVERIFY(end.done);
            if (end.error) {
                QCOMPARE(end.error->status, 503);
                QVERIFY(QString::fromUtf8(end.error->what()).contains("unloaded"));
            }
        }
        QCOMPARE(stats.requestsQueued.load(), int64_t(0));
        QCOMPARE(stats.requestsActive.load(), int64_t(0));
    }
};

QTEST_GUILESS_MAIN(ServerSchedulingTest)
#include "test_server_scheduling.moc"
