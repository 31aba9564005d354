// How --backend auto chooses where a model runs (engine/model/backend_choice.h): the fit check
// against the device's free memory, the measured preference and its records, the rule for
// CPU-type devices, and the move to the CPU of a model whose device fails at its first forward
// pass. On lavapipe, which auto never measures; the records stand in for measurements.

#include "engine/backend/create_backend.h"
#include "engine/core/error.h"
#include "engine/gguf/gguf_file.h"
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

    void aDeviceThatFailsItsFirstSubmissionLeavesAWorkingCpuSession()
    {
        LATENT_REQUIRE_VULKAN(probe);
        SpeedRecords(records_).store(recordKey(*probe), {1.0, 0.1});
        const std::vector<float> expected = promptLogits(LoadedModel::open(model_, {.backend = "cpu", .threads = 2}));
        const ScopedEnvironment failing("LATENT_VULKAN_FAIL_SUBMISSIONS", "1");
        LoadedModel loaded = openAuto();
        QVERIFY2(QString::fromStdString(loaded.backend->name()).startsWith("cpu"), loaded.backend->name().c_str());
        const QString reason = QString::fromStdString(loaded.backendReason);
        QVERIFY2(reason.startsWith("auto chose the CPU: vulkan") && reason.contains("VK_ERROR_DEVICE_LOST"),
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
