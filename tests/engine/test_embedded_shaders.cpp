// The compute shaders compiled at build time are embedded as valid SPIR-V compute modules, and what
// each may write is read from them (the command recorder orders dispatches by it).

#include "engine/vulkan/embedded_shaders.h"
#include "engine/vulkan/shader_bindings.h"
#include "tests/support/skip_or_fail.h"

#include <QProcess>
#include <QStandardPaths>
#include <QTemporaryFile>
#include <QTest>

using namespace latent::vulkan;

class EmbeddedShadersTest : public QObject {
    Q_OBJECT

private slots:
    void rmsNormIsEmbedded()
    {
        const EmbeddedShader* shader = findEmbeddedShader("rms_norm");
        QVERIFY(shader);
        QVERIFY(shader->spirv.size() > 5);
        QCOMPARE(shader->spirv[0], 0x07230203u); // the SPIR-V magic number
        QVERIFY(!findEmbeddedShader("no_such_shader"));
    }

    // The outputs are the bindings not declared readonly.
    void writtenBindingsAreTheOutputs()
    {
        const auto written = [](const char* name) { return writtenBindings(findEmbeddedShader(name)->spirv); };
        QCOMPARE(written("rms_norm"), 0b1100u);         // x, weight -> y, quantized forms
        QCOMPARE(written("rms_norm_subgroups"), 0b1100u);
        QCOMPARE(written("elementwise"), 0b1100u);      // a, b -> out, quantized forms
        QCOMPARE(written("store"), 0b10u);              // x -> cache
        QCOMPARE(written("route"), 0b1100u);            // logits, bias -> ids, weights
        QCOMPARE(written("attention"), 0b11000u);       // q, keys, values -> out, scratch
        QCOMPARE(written("get_rows"), 0b100u);          // table, ids -> rows
        QCOMPARE(written("moe_combine"), 0b100u);       // expert outputs, weights -> out
        for (const EmbeddedShader& shader : embeddedShaders()) {
            const uint32_t bits = writtenBindings(shader.spirv);
            QVERIFY2(bits != 0, std::string(shader.name).c_str()); // every shader writes something
        }
        QCOMPARE(writtenBindings({}), 0u); // no module: nothing
    }

    void everyShaderValidates_data()
    {
        QTest::addColumn<QString>("name");
        for (const EmbeddedShader& shader : embeddedShaders())
            QTest::newRow(std::string(shader.name).c_str()) << QString::fromUtf8(shader.name.data(), shader.name.size());
    }

    // spirv-val (from spirv-tools) checks each module against the Vulkan 1.2 rules.
    void everyShaderValidates()
    {
        QFETCH(QString, name);
        const QString validator = QStandardPaths::findExecutable("spirv-val");
        if (validator.isEmpty())
            LATENT_SKIP_WITHOUT_VULKAN(QStringLiteral("spirv-val is not installed (Debian package spirv-tools)"));
        const EmbeddedShader* shader = findEmbeddedShader(name.toStdString());
        QTemporaryFile file;
        QVERIFY(file.open());
        file.write(reinterpret_cast<const char*>(shader->spirv.data()), qint64(shader->spirv.size_bytes()));
        file.close();
        QProcess process;
        process.start(validator, {"--target-env", "vulkan1.2", file.fileName()});
        QVERIFY(process.waitForFinished());
        QVERIFY2(process.exitCode() == 0, process.readAllStandardError().constData());
    }
};

QTEST_GUILESS_MAIN(EmbeddedShadersTest)
#include "test_embedded_shaders.moc"
