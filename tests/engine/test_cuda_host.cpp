// The CUDA backend's host logic, which runs without a GPU: which devices the kernels run on, how
// a device is chosen, and what a machine without NVIDIA's driver gets (clear errors, and --backend
// auto still running the model elsewhere). On a machine with a CUDA device the same checks see
// it; the operations themselves are checked against the CPU by tests/gpu/device-check.sh.

#include "engine/backend/create_backend.h"
#include "engine/core/error.h"
#include "engine/cuda/cuda_device.h"
#include "engine/gguf/gguf_file.h"
#include "engine/model/backend_choice.h"
#include "engine/model/test_model.h"

#include <QTemporaryDir>
#include <QTest>

#include <functional>

using namespace latent;
using namespace latent::cuda;

namespace {

QString errorOf(const std::function<void()>& call)
{
    try {
        call();
    } catch (const Error& error) {
        return QString::fromStdString(error.what());
    }
    return {};
}

CudaDeviceDescription device(int index, const char* name, uint64_t gib, std::string unusable = {})
{
    CudaDeviceDescription d;
    d.index = index;
    d.name = name;
    d.totalBytes = gib << 30;
    d.unusable = std::move(unusable);
    return d;
}

} // namespace

class CudaHostTest : public QObject {
    Q_OBJECT

private slots:
    void kernelsRunOn_data()
    {
        QTest::addColumn<QString>("architectures");
        QTest::addColumn<int>("major");
        QTest::addColumn<int>("minor");
        QTest::addColumn<bool>("runs");
        const QString defaults = QStringLiteral("75;80;86;89;90;120");
        QTest::newRow("Turing") << defaults << 7 << 5 << true;
        QTest::newRow("Pascal, older than all") << defaults << 6 << 1 << false;
        QTest::newRow("Ada") << defaults << 8 << 9 << true;
        QTest::newRow("Blackwell B200 by 90's PTX") << defaults << 10 << 0 << true;
        QTest::newRow("machine code only, a later major") << QStringLiteral("90-real") << 12 << 0 << false;
        QTest::newRow("machine code, same major, later minor") << QStringLiteral("80-real") << 8 << 6 << true;
        QTest::newRow("machine code, same major, earlier minor") << QStringLiteral("86-real") << 8 << 0 << false;
        QTest::newRow("PTX only, later device") << QStringLiteral("80-virtual") << 9 << 0 << true;
        QTest::newRow("one exact device's features") << QStringLiteral("90a") << 9 << 0 << false;
        QTest::newRow("nothing compiled") << QString() << 9 << 0 << false;
    }

    void kernelsRunOn()
    {
        QFETCH(QString, architectures);
        QFETCH(int, major);
        QFETCH(int, minor);
        QFETCH(bool, runs);
        QCOMPARE(cuda::kernelsRunOn(architectures.toStdString(), major, minor), runs);
    }

    void theDeviceWithTheMostMemoryIsChosen()
    {
        const CudaDevices devices{{device(0, "small", 8), device(1, "large", 80), device(2, "old", 96, "too old")}, {}};
        QCOMPARE(chooseCudaDevice(devices, std::nullopt), 1);
        QCOMPARE(chooseCudaDevice(devices, 0u), 0);
    }

    void aBadChoiceIsNamed()
    {
        const CudaDevices devices{{device(0, "small", 8), device(1, "old", 96, "too old")}, {}};
        QVERIFY(errorOf([&] { chooseCudaDevice(devices, 5u); }).contains("there is no device 5"));
        const QString unusable = errorOf([&] { chooseCudaDevice(devices, 1u); });
        QVERIFY2(unusable.contains("device 1 'old'") && unusable.contains("too old"), qPrintable(unusable));
        const CudaDevices none{{}, "no driver"};
        const QString missing = errorOf([&] { chooseCudaDevice(none, std::nullopt); });
        QVERIFY2(missing.contains("no driver") && missing.contains("--backend"), qPrintable(missing));
        qputenv("LATENT_CUDA_DEVICE", "first");
        const QString variable = errorOf([&] { chooseCudaDevice(devices, std::nullopt); });
        qunsetenv("LATENT_CUDA_DEVICE");
        QVERIFY2(variable.contains("LATENT_CUDA_DEVICE='first'"), qPrintable(variable));
    }

    // Here (no driver): no devices and the reason; with a device: devices and no reason.
    void theMachineIsListedOrTheReasonGiven()
    {
        const CudaDevices devices = listCudaDevices();
        QVERIFY2(devices.devices.empty() != devices.problem.empty(), devices.problem.c_str());
        for (const CudaDeviceDescription& d : devices.devices)
            QVERIFY(!d.name.empty() && d.totalBytes > 0 && d.computeMajor >= 3);
    }

    // Without a device, --backend cuda is an error that says why and what to use; auto runs the
    // model on another backend.
    void withoutADeviceTheModelRunsElsewhere()
    {
        if (!listCudaDevices().devices.empty())
            QSKIP("this machine has a CUDA device: tests/gpu/device-check.sh runs the backend on it");
        const QString failed = errorOf([] { createBackend("cuda", 1); });
        QVERIFY2(failed.startsWith("cuda: ") && failed.contains("--backend"), qPrintable(failed));

        QTemporaryDir folder;
        const std::string path = folder.filePath("tiny.gguf").toStdString();
        writeTestModel({.architecture = "llama", .preset = "tiny"}, path);
        const gguf::GgufFile file = gguf::GgufFile::open(path);
        const BackendChoice choice = chooseBackend(file, {.threads = 1, .speedRecords = folder.filePath("speed.tsv").toStdString()});
        QVERIFY(choice.backend != nullptr);
        QVERIFY2(!QString::fromStdString(choice.backend->name()).startsWith("cuda"), choice.reason.c_str());
    }
};

QTEST_GUILESS_MAIN(CudaHostTest)
#include "test_cuda_host.moc"
