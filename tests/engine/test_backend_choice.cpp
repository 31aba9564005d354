// How --backend auto chooses where a model runs (engine/model/backend_choice.h): the fit check
// against the device's free memory, the measured preference and its records, the rule for
// CPU-type devices, the test product a device must agree on with the CPU, and the CPU for a model
// whose device fails. On lavapipe, which auto never measures; the records stand in for measurements.

#include "engine/backend/create_backend.h"
#include "engine/core/error.h"
#include "engine/gguf/gguf_file.h"
#include "engine/model/backend_agreement.h"
#include "engine/model/backend_choice.h"
#include "engine/model/backend_speed.h"
#include "engine/model/loaded_model.h"
#include "engine/model/test_model.h"
#include "engine/session/session.h"
#include "tests/support/vulkan_test_backend.h"

#include <QFile>
#include <QTemporaryDir>
#include <QTest>

#include <cmath>

using namespace latent;

namespace {

// An environment variable set for one test function.
class ScopedEnvironment {
public:
    ScopedEnvironment(const char* name, const QByteArray& value) : name_(name) { qputenv(name, value); }
    ~ScopedEnvironment() { qunsetenv(name_); }
    ScopedEnvironment(const ScopedEnvironment&) = delete;
    ScopedEnvironment& operator=(const ScopedEnvironment&) = delete;

private:
    const char* name_;
};

std::vector<float> promptLogits(const LoadedModel& loaded)
{
    Session session(*loaded.model, {64, 64});
    std::vector<float> logits;
    session.evaluate(loaded.tokenizer->encode("int main() { return 0; }", {}), Model::Logits::All, logits);
    return logits;
}

// A backend whose matrix products come out twice as large: a device that computes wrongly without
// failing (the other operations are its inner backend's).
class DoublingBackend final : public Backend {
public:
    explicit DoublingBackend(std::unique_ptr<Backend> inner) : inner_(std::move(inner)) {}

    std::string name() const override { return "doubling " + inner_->name(); }
    size_t threads() const override { return inner_->threads(); }
    Tensor weight(const gguf::GgufFile& file, const gguf::TensorInfo& info, WeightUse use) override
    {
        return inner_->weight(file, info, use);
    }
    Tensor allocate(gguf::TensorType type, int64_t cols, int64_t rows) override
    {
        return inner_->allocate(type, cols, rows);
    }
    void upload(Tensor& tensor, std::span<const float> values) override { inner_->upload(tensor, values); }
    void getRows(Tensor& out, const Tensor& table, std::span<const int32_t> ids) override
    {
        inner_->getRows(out, table, ids);
    }
    void rmsNorm(Tensor& out, const Tensor& x, const Tensor& weight, float eps) override
    {
        inner_->rmsNorm(out, x, weight, eps);
    }
    void matmul(Tensor& out, const Tensor& weight, const Tensor& x) override
    {
        inner_->matmul(out, weight, x);
        inner_->add(out, out, out);
    }
    void rope(Tensor& x, std::span<const int32_t> positions, const RopeParams& params) override
    {
        inner_->rope(x, positions, params);
    }
    void store(Tensor& cache, const Tensor& x, int64_t firstPosition) override { inner_->store(cache, x, firstPosition); }
    void attention(Tensor& out, const Tensor& q, const Tensor& keys, const Tensor& values,
                   const AttentionParams& params) override
    {
        inner_->attention(out, q, keys, values, params);
    }
    void mlaAttention(Tensor& out, const Tensor& q, const Tensor& latent, const Tensor& ropeKeys, const Tensor& keyUp,
                      const Tensor& valueUp, const MlaParams& params) override
    {
        inner_->mlaAttention(out, q, latent, ropeKeys, keyUp, valueUp, params);
    }
    void route(Tensor& ids, Tensor& weights, const Tensor& logits, const Tensor* bias, const MoeRouting& routing) override
    {
        inner_->route(ids, weights, logits, bias, routing);
    }
    void moe(Tensor& out, const Tensor& x, const ExpertWeights& experts, const Tensor& ids,
             const Tensor& weights) override
    {
        inner_->moe(out, x, experts, ids, weights);
    }
    void swiglu(Tensor& out, const Tensor& gate, const Tensor& up) override { inner_->swiglu(out, gate, up); }
    void add(Tensor& out, const Tensor& a, const Tensor& b) override { inner_->add(out, a, b); }
    void synchronize() override { inner_->synchronize(); }
    void read(const Tensor& tensor, std::span<float> values) override { inner_->read(tensor, values); }

private:
    std::unique_ptr<Backend> inner_;
};

} // namespace

class BackendChoiceTest : public QObject {
    Q_OBJECT

    QTemporaryDir dir_;
    std::string model_;
    std::filesystem::path records_;

    // The device auto would take, as the records name it.
    std::string recordKey(const vulkan::VulkanBackend& device) const
    {
        return speedRecordKey(gguf::GgufFile::open(model_), device.device().name + " " + device.device().driver);
    }

    LoadedModel openAuto() const
    {
        return LoadedModel::open(model_, {.backend = "auto", .threads = 2, .contextLength = 64, .speedRecords = records_});
    }

private slots:
    void initTestCase()
    {
        QVERIFY2(dir_.isValid(), qPrintable(dir_.errorString()));
        model_ = dir_.filePath("model.gguf").toStdString();
        writeTestModel({"llama", "tiny", gguf::TensorType::Q8_0, 3}, model_);
    }

    void init()
    {
        records_ = dir_.filePath(QString("records-%1.tsv").arg(QTest::currentTestFunction())).toStdString();
    }

    void recordsAreKeptAndBadLinesIgnored()
    {
        SpeedRecords records(records_);
        QVERIFY(!records.find("device | shape").has_value());
        QCOMPARE(QString::fromStdString(records.store("device | shape", {2.0, 0.5})), QString());
        QCOMPARE(QString::fromStdString(records.store("other | shape", {1.0, 3.0})), QString());
        {
            QFile file(QString::fromStdString(records_.string()));
            QVERIFY(file.open(QIODevice::Append));
            file.write("not a record\nbroken\tx\ty\nnegative\t-1\t2\n");
        }
        const std::optional<SpeedRecord> kept = SpeedRecords(records_).find("device | shape");
        QVERIFY(kept.has_value());
        QCOMPARE(kept->cpuSeconds, 2.0);
        QCOMPARE(kept->gpuSeconds, 0.5);
        QVERIFY(!SpeedRecords(records_).find("broken").has_value());
        QVERIFY(!SpeedRecords(records_).find("negative").has_value());
        // A record that cannot be written says where, and the choice goes on without it.
        const QString unwritable =
            QString::fromStdString(SpeedRecords(std::filesystem::path(model_) / "records.tsv").store("k", {1, 1}));
        QVERIFY2(unwritable.contains("records.tsv"), qPrintable(unwritable));
    }

    void theCacheCountsInTheFit()
    {
        const auto file = gguf::GgufFile::open(model_);
        const uint64_t shorter = deviceBytesNeeded(file, 8), longer = deviceBytesNeeded(file, 16);
        QCOMPARE(longer - shorter, 8 * *cacheBytesPerToken(file)); // a small model: the headroom's 512 MiB floor
        QVERIFY(shorter >= (uint64_t(512) << 20));
    }

    void aSmallBudgetSendsTheModelToTheCpu()
    {
        LATENT_REQUIRE_VULKAN(probe);
        SpeedRecords(records_).store(recordKey(*probe), {1.0, 0.1}); // the device would be faster
        const ScopedEnvironment budget("LATENT_VULKAN_BUDGET_MIB", "1");
        LoadedModel loaded = openAuto();
        QVERIFY2(QString::fromStdString(loaded.backend->name()).startsWith("cpu"), loaded.backend->name().c_str());
        const QString reason = QString::fromStdString(loaded.backendReason);
        QVERIFY2(reason.startsWith("auto chose the CPU") && reason.contains("1 MiB free"), qPrintable(reason));
        QVERIFY(!promptLogits(loaded).empty());
    }

    void aBudgetThatIsNotANumberIsNamed()
    {
        LATENT_REQUIRE_VULKAN(probe);
        SpeedRecords(records_).store(recordKey(*probe), {1.0, 0.1});
        const ScopedEnvironment budget("LATENT_VULKAN_BUDGET_MIB", "lots");
        try {
            openAuto();
            QFAIL("expected an error naming the setting");
        } catch (const Error& error) {
            QVERIFY2(QString(error.what()).contains("LATENT_VULKAN_BUDGET_MIB='lots'"), error.what());
        }
    }

    void aMeasuredFasterDeviceIsChosen()
    {
        LATENT_REQUIRE_VULKAN(probe);
        SpeedRecords(records_).store(recordKey(*probe), {1.0, 0.25});
        LoadedModel loaded = openAuto();
        QVERIFY2(QString::fromStdString(loaded.backend->name()).startsWith("vulkan"), loaded.backend->name().c_str());
        const QString reason = QString::fromStdString(loaded.backendReason);
        QVERIFY2(reason.contains("4.0x as fast as the CPU (measured before)"), qPrintable(reason));
    }

    void aMeasuredSlowerDeviceIsNot()
    {
        LATENT_REQUIRE_VULKAN(probe);
        SpeedRecords(records_).store(recordKey(*probe), {0.5, 1.0});
        LoadedModel loaded = openAuto();
        QVERIFY(QString::fromStdString(loaded.backend->name()).startsWith("cpu"));
        const QString reason = QString::fromStdString(loaded.backendReason);
        QVERIFY2(reason.contains("2.0x as fast as Vulkan device"), qPrintable(reason));
    }

    void anUnmeasuredCpuTypeDeviceIsNotUsed()
    {
        LATENT_REQUIRE_VULKAN(probe);
        if (probe->device().type != vulkan::DeviceType::Cpu)
            QSKIP("the chosen Vulkan device is a GPU, which auto measures");
        LoadedModel loaded = openAuto();
        QVERIFY(QString::fromStdString(loaded.backend->name()).startsWith("cpu"));
        const QString reason = QString::fromStdString(loaded.backendReason);
        QVERIFY2(reason.contains("CPU-type device"), qPrintable(reason));
        // The app shows the reason too, where a command-line option means nothing.
        QVERIFY2(!reason.contains("--"), qPrintable(reason));
        QVERIFY(!SpeedRecords(records_).find(recordKey(*probe)).has_value());
    }

    void aDeviceThatFailsLeavesAWorkingCpuSession()
    {
        LATENT_REQUIRE_VULKAN(probe);
        SpeedRecords(records_).store(recordKey(*probe), {1.0, 0.1});
        const std::vector<float> expected = promptLogits(LoadedModel::open(model_, {.backend = "cpu", .threads = 2}));
        const ScopedEnvironment failing("LATENT_VULKAN_FAIL_SUBMISSIONS", "1");
        LoadedModel loaded = openAuto();
        QVERIFY2(QString::fromStdString(loaded.backend->name()).startsWith("cpu"), loaded.backend->name().c_str());
        const QString reason = QString::fromStdString(loaded.backendReason);
        // Caught by auto's test product on the device (backend_agreement.h), before the model loads.
        QVERIFY2(reason.startsWith("auto chose the CPU: Vulkan device 0") && reason.contains("failed a test product") &&
                     reason.contains("VK_ERROR_DEVICE_LOST"),
                 qPrintable(reason));
        QCOMPARE(promptLogits(loaded), expected);
    }

    void aNamedDeviceThatFailsIsAnError()
    {
        LATENT_REQUIRE_VULKAN(probe);
        const ScopedEnvironment failing("LATENT_VULKAN_FAIL_SUBMISSIONS", "1");
        // Named, the device is what the person asked for: its failure is theirs to see, not moved.
        QVERIFY_THROWS_EXCEPTION(Error, promptLogits(LoadedModel::open(model_, {.backend = "vulkan", .threads = 1})));
    }

    // Before auto gives a device the model, its test product is held to the CPU's: another thread
    // count and a correct device agree, a device that computes wrongly does not.
    void aDeviceThatComputesWronglyIsCaught()
    {
        LATENT_REQUIRE_VULKAN(probe);
        const auto file = gguf::GgufFile::open(model_);
        const std::unique_ptr<Backend> cpu = createBackend("cpu", 2);
        QCOMPARE(productDisagreement(*cpu, *createBackend("cpu", 1), file), 0.0);
        const double device = productDisagreement(*cpu, *probe, file);
        QVERIFY2(device < 1e-5, qPrintable(QString("the device disagrees by %1").arg(device)));
        DoublingBackend wrong(createBackend("cpu", 1));
        const double doubled = productDisagreement(*cpu, wrong, file);
        QVERIFY2(doubled > kMaxProductDisagreement, qPrintable(QString("doubled products disagree by %1").arg(doubled)));
    }

    void theMeasurementRunsOnBothBackends()
    {
        LATENT_REQUIRE_VULKAN(probe);
        const auto file = gguf::GgufFile::open(model_);
        const std::unique_ptr<Backend> cpu = createBackend("cpu", 2);
        const double onCpu = chatTurnSeconds(*cpu, file), onDevice = chatTurnSeconds(*probe, file);
        qInfo("a chat turn's products of the first block's largest matrix: CPU %.3g s, %s %.3g s", onCpu,
              probe->device().name.c_str(), onDevice);
        QVERIFY(onCpu > 0 && std::isfinite(onCpu));
        QVERIFY(onDevice > 0 && std::isfinite(onDevice));
    }
};

QTEST_GUILESS_MAIN(BackendChoiceTest)
#include "test_backend_choice.moc"
