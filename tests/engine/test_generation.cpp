// Sessions and generation on a generated tiny model: determinism, seeded sampling, cancellation,
// stop strings, a full context; and the load errors a wrong file gets.

#include "engine/backend/create_backend.h"
#include "engine/core/error.h"
#include "engine/gguf/gguf_writer.h"
#include "engine/model/loaded_model.h"
#include "engine/model/test_model.h"
#include "engine/session/generator.h"

#include <QTemporaryDir>

#include <algorithm>
#include <cmath>
#include "tests/support/error_of.h"

#include <QTest>

using namespace latent;
using latent::test::errorOf;

class GenerationTest : public QObject {
    Q_OBJECT

    QTemporaryDir dir_;
    std::string modelPath_;
    std::optional<LoadedModel> model_;

    GenerationResult run(const GenerationOptions& options, std::string_view prompt = "def main():",
                         const std::atomic<bool>* cancel = nullptr, const PieceCallback& onPiece = {})
    {
        Session session(*model_->model, {512, 64});
        const auto tokens = model_->tokenizer->encode(prompt, {.addBos = true});
        return generate(session, *model_->tokenizer, tokens, options, onPiece, cancel);
    }

    // A copy of the test model with one tensor changed by edit (or left out when it returns false).
    std::string rewrittenModel(const std::string& name,
                               const std::function<bool(gguf::TensorInfo&)>& edit)
    {
        const gguf::GgufFile original = gguf::GgufFile::open(modelPath_);
        gguf::GgufWriter writer;
        for (const auto& [key, value] : original.metadata().entries())
            writer.metadata().set(key, value);
        for (gguf::TensorInfo tensor : original.tensors()) {
            if (edit(tensor))
                writer.addTensor(tensor.name, tensor.type, tensor.shape, original.tensorData(tensor));
        }
        const std::string path = dir_.filePath(QString::fromStdString(name)).toStdString();
        writer.write(path);
        return path;
    }

private slots:
    void initTestCase()
    {
        modelPath_ = dir_.filePath("tiny-q8_0.gguf").toStdString();
        writeTestModel({"llama", "tiny", gguf::TensorType::Q8_0, 3}, modelPath_);
        model_.emplace(LoadedModel::open(modelPath_, {"cpu", 2}));
    }

    void greedyIsDeterministic()
    {
        GenerationOptions options;
        options.maxTokens = 24;
        options.sampling.temperature = 0;
        const GenerationResult first = run(options);
        const GenerationResult second = run(options);
        QCOMPARE(first.tokens.size(), size_t(24));
        QCOMPARE(first.tokens, second.tokens);
        QCOMPARE(first.text, second.text);
        QCOMPARE(first.reason, StopReason::MaxTokens);
    }

    void seededSamplingIsReproducible()
    {
        GenerationOptions options;
        options.maxTokens = 24;
        options.sampling = {.temperature = 1.0f, .topK = 0, .topP = 1.0f, .minP = 0, .seed = 11};
        const GenerationResult first = run(options);
        const GenerationResult second = run(options);
        QCOMPARE(first.tokens, second.tokens);
        options.sampling.seed = 12;
        QVERIFY(run(options).tokens != first.tokens);
    }

    void cancellationStopsWithinOneToken()
    {
        GenerationOptions options;
        options.maxTokens = 200;
        options.sampling.temperature = 0;
        std::atomic<bool> cancel{true};
        GenerationResult result = run(options, "def main():", &cancel);
        QCOMPARE(result.reason, StopReason::Cancelled);
        QCOMPARE(result.tokens.size(), size_t(0));

        // Cancelled at the first streamed piece: that piece took at most one UTF-8 character's
        // tokens (4), and no token follows the request.
        cancel = false;
        result = run(options, "def main():", &cancel, [&](std::string_view) { cancel = true; });
        QCOMPARE(result.reason, StopReason::Cancelled);
        QVERIFY(result.tokens.size() >= 1 && result.tokens.size() <= 4);
    }

    void aCancelledPromptStopsBetweenBatchesKeepingThem()
    {
        Session session(*model_->model, {256, 8});
        const auto prompt = std::vector<int32_t>(40, 300);
        std::atomic<bool> cancel{true};
        std::vector<float> logits;
        QVERIFY(!session.evaluate(prompt, Model::Logits::Last, logits, &cancel));
        QCOMPARE(session.position(), int64_t(0));

        // Cancelled after the first batch: that batch stays in the cache.
        cancel = false;
        std::vector<int32_t> firstBatch(prompt.begin(), prompt.begin() + 8);
        QVERIFY(session.evaluate(firstBatch, Model::Logits::None, logits, &cancel));
        cancel = true;
        QVERIFY(!session.evaluate(std::span(prompt).subspan(8), Model::Logits::Last, logits, &cancel));
        QCOMPARE(session.position(), int64_t(8));

        GenerationOptions options;
        options.maxTokens = 10;
        const GenerationResult result = generate(session, *model_->tokenizer, prompt, options, {}, &cancel);
        QCOMPARE(result.reason, StopReason::Cancelled);
        QVERIFY(result.tokens.empty());
    }

    void stopStringsEndTheText()
    {
        GenerationOptions options;
        options.maxTokens = 40;
        options.sampling.temperature = 0;
        const GenerationResult full = run(options);
        QVERIFY(full.text.size() > 12);
        const std::string stop = full.text.substr(6, 4);
        options.stopStrings = {stop};
        std::string streamed;
        const GenerationResult stopped = run(options, "def main():", nullptr, [&](std::string_view p) { streamed += p; });
        QCOMPARE(stopped.reason, StopReason::StopString);
        QCOMPARE(stopped.text, full.text.substr(0, full.text.find(stop)));
        QCOMPARE(streamed, stopped.text); // nothing of the stop string was streamed
    }

    // generate() is a Generation run to its end; a server interleaves several, a token each in
    // turn. Both give what generate() gives alone, for every way an answer ends.
    void stepwiseGenerationsInterleavedEqualGenerate()
    {
        GenerationOptions greedy;
        greedy.maxTokens = 30;
        greedy.sampling.temperature = 0;
        GenerationOptions stopped = greedy;
        stopped.stopStrings = {run(greedy).text.substr(8, 3)};
        GenerationOptions sampled = greedy;
        sampled.sampling = {.temperature = 1.0f, .topK = 0, .topP = 1.0f, .minP = 0, .seed = 5};
        GenerationOptions untilFull = greedy;
        untilFull.maxTokens = -1;
        const std::vector<GenerationOptions> cases = {greedy, stopped, sampled, untilFull};
        const std::vector<int64_t> contexts = {512, 512, 512, 40};

        std::vector<GenerationResult> alone;
        const auto prompt = model_->tokenizer->encode("def main():", {.addBos = true});
        for (size_t i = 0; i < cases.size(); ++i) {
            Session session(*model_->model, {contexts[i], 64});
            alone.push_back(generate(session, *model_->tokenizer, prompt, cases[i], {}, nullptr));
        }
        QCOMPARE(alone[1].reason, StopReason::StopString);
        QCOMPARE(alone[3].reason, StopReason::ContextFull);

        std::vector<std::unique_ptr<Session>> sessions;
        std::vector<std::unique_ptr<Generation>> generations;
        std::vector<std::string> pieces(cases.size());
        for (size_t i = 0; i < cases.size(); ++i) {
            sessions.push_back(std::make_unique<Session>(*model_->model, SessionOptions{contexts[i], 64}));
            generations.push_back(std::make_unique<Generation>(*sessions[i], *model_->tokenizer, cases[i]));
            QVERIFY(generations[i]->start(prompt));
        }
        for (bool running = true; running;) {
            running = false;
            for (size_t i = 0; i < cases.size(); ++i) {
                pieces[i] += generations[i]->step();
                running = running || !generations[i]->finished();
            }
        }
        for (size_t i = 0; i < cases.size(); ++i) {
            const GenerationResult& result = generations[i]->result();
            QCOMPARE(result.tokens, alone[i].tokens);
            QCOMPARE(result.text, alone[i].text);
            QCOMPARE(result.reason, alone[i].reason);
            QCOMPARE(pieces[i], result.text); // every piece released once, in order
        }

        // Cancelled midway: what was held back for a stop string comes out, and it ends there.
        Session session(*model_->model, {512, 64});
        Generation generation(session, *model_->tokenizer, greedy);
        QVERIFY(generation.start(prompt));
        std::string text = generation.step() + generation.step();
        text += generation.cancel();
        QVERIFY(generation.finished());
        QCOMPARE(generation.result().reason, StopReason::Cancelled);
        QCOMPARE(text, generation.result().text);
        QCOMPARE(generation.step(), std::string());
    }

    void fullContext()
    {
        Session session(*model_->model, {32, 16});
        const auto longPrompt = std::vector<int32_t>(40, 300);
        const QString message = errorOf([&] {
            std::vector<float> logits;
            session.evaluate(longPrompt, Model::Logits::Last, logits);
        });
        QVERIFY2(message.contains("the context is full"), qPrintable(message));
        QCOMPARE(session.position(), int64_t(0));

        GenerationOptions options;
        options.maxTokens = 100;
        options.sampling.temperature = 0;
        const GenerationResult result =
            generate(session, *model_->tokenizer, std::vector<int32_t>(20, 300), options, {}, nullptr);
        QCOMPARE(result.reason, StopReason::ContextFull);
        QCOMPARE(session.position(), int64_t(32));
    }

    // The next turn of a chat keeps the cache of the prefix it shares with the last one: the
    // logits after truncating and evaluating the rest are those of a fresh evaluation.
    void truncateKeepsThePrefix()
    {
        const auto first = model_->tokenizer->encode("def main():\n    print('hello')", {.addBos = true});
        auto second = model_->tokenizer->encode("def main():\n    return 42 * x", {.addBos = true});
        Session session(*model_->model, {512, 64});
        std::vector<float> logits;
        session.evaluate(first, Model::Logits::Last, logits);
        const int64_t shared = session.sharedPrefix(second);
        QVERIFY(shared > 2 && shared < int64_t(first.size()) && shared < int64_t(second.size()));
        session.truncate(shared);
        QCOMPARE(session.position(), shared);
        session.evaluate(std::span(second).subspan(size_t(shared)), Model::Logits::All, logits);
        QCOMPARE(session.tokens(), second);

        Session fresh(*model_->model, {512, 64});
        std::vector<float> expected;
        fresh.evaluate(second, Model::Logits::All, expected);
        const size_t vocabulary = size_t(model_->model->info().vocabularySize);
        expected.erase(expected.begin(), expected.begin() + std::ptrdiff_t(size_t(shared) * vocabulary));
        QCOMPARE(logits.size(), expected.size());
        float worst = 0;
        for (size_t i = 0; i < logits.size(); ++i)
            worst = std::max(worst, std::abs(logits[i] - expected[i]));
        QVERIFY2(worst <= 1e-5f, qPrintable(QString("largest difference %1").arg(worst)));

        // A turn that continues the tokens held shares all of them; truncating beyond them is refused.
        QCOMPARE(session.sharedPrefix(second), int64_t(second.size()));
        const QString message = errorOf([&] { session.truncate(session.position() + 1); });
        QVERIFY2(message.contains("cannot keep"), qPrintable(message));
    }

    void loadReportsProgressAndCancels()
    {
        std::vector<double> seen;
        LoadOptions options{"cpu", 1};
        options.progress = [&](double fraction) {
            seen.push_back(fraction);
            return true;
        };
        LoadedModel::open(modelPath_, options);
        QVERIFY(seen.size() > 10); // the stages and each tensor
        QVERIFY(std::is_sorted(seen.begin(), seen.end()));
        QCOMPARE(seen.back(), 1.0);

        // Cancelled halfway through the weights: a LoadCancelled, not another Error.
        options.progress = [](double fraction) { return fraction < 0.5; };
        bool cancelled = false;
        try {
            LoadedModel::open(modelPath_, options);
        } catch (const LoadCancelled&) {
            cancelled = true;
        }
        QVERIFY(cancelled);
    }

    void loadErrorsNameTheTensor()
    {
        const std::string missing = rewrittenModel("missing.gguf", [](gguf::TensorInfo& t) {
            return t.name != "blk.1.ffn_up.weight";
        });
        QString message = errorOf([&] { LoadedModel::open(missing, {"cpu", 1}); });
        QVERIFY2(message.contains("tensor 'blk.1.ffn_up.weight' is missing"), qPrintable(message));

        const std::string misshapen = rewrittenModel("misshapen.gguf", [](gguf::TensorInfo& t) {
            if (t.name == "blk.0.attn_k.weight")
                t.shape = {t.shape[1], t.shape[0]};
            return true;
        });
        message = errorOf([&] { LoadedModel::open(misshapen, {"cpu", 1}); });
        QVERIFY2(message.contains("tensor 'blk.0.attn_k.weight' has shape [32, 64], expected [64, 32]"),
                 qPrintable(message));
    }

    void cacheSizeFromTheFile()
    {
        // tiny: 2 blocks, keys and values of 2 KV heads of 16 values, in F16.
        QCOMPARE(cacheBytesPerToken(*model_->file), std::optional<uint64_t>(2 * 2 * 2 * 16 * 2));
        QCOMPARE(model_->model->info().cacheBytesPerToken, uint64_t(2 * 2 * 2 * 16 * 2));
    }

    void unknownArchitecture()
    {
        gguf::GgufWriter writer;
        writer.metadata().set("general.architecture", std::string("gpt2"));
        const std::string path = dir_.filePath("gpt2.gguf").toStdString();
        writer.write(path);
        auto file = std::make_shared<const gguf::GgufFile>(gguf::GgufFile::open(path));
        auto backend = createBackend("cpu", 1);
        const QString message = errorOf([&] { Model::load(file, *backend); });
        QVERIFY2(message.contains("architecture 'gpt2' is not supported"), qPrintable(message));
    }
};

QTEST_GUILESS_MAIN(GenerationTest)
#include "test_generation.moc"
