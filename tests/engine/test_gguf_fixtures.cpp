// The model files llama.cpp's tools wrote (../shared/fixtures) open, and our writer, given
// their metadata and tensors, writes them again byte for byte: its layout is llama.cpp's.

#include "engine/gguf/gguf_file.h"
#include "engine/gguf/gguf_writer.h"
#include "tests/support/shared_data.h"

#include <QDir>
#include <QFile>
#include <QTest>

#include <sstream>

using namespace latent::gguf;

class GgufFixturesTest : public QObject {
    Q_OBJECT

private slots:
    void fixtures_data()
    {
        QTest::addColumn<QString>("path");
        const QDir dir(latent::test::sharedPath("fixtures"));
        for (const QString& name : dir.entryList({"*.gguf"}, QDir::Files, QDir::Name))
            QTest::newRow(qPrintable(name)) << dir.filePath(name);
        if (dir.entryList({"*.gguf"}, QDir::Files).isEmpty())
            QTest::newRow("absent") << QString();
    }

    void fixtures()
    {
        QFETCH(QString, path);
        LATENT_REQUIRE_SHARED("fixtures");
        const GgufFile file = GgufFile::open(path.toStdString());

        const QString name = QFileInfo(path).fileName();
        const std::string expectedArch = name.startsWith("llama") ? "llama" : "deepseek2";
        QCOMPARE(file.architecture(), expectedArch);
        QVERIFY(file.metadata().contains("tokenizer.ggml.tokens"));
        QVERIFY(file.findTensor("token_embd.weight"));
        QVERIFY(file.parameterCount() > 0);

        GgufWriter writer;
        for (const auto& [key, value] : file.metadata().entries())
            writer.metadata().set(key, value);
        for (const TensorInfo& tensor : file.tensors())
            writer.addTensor(tensor.name, tensor.type, tensor.shape, file.tensorData(tensor));
        std::ostringstream out;
        writer.writeTo(out);
        const std::string rewritten = out.str();

        QFile original(path);
        QVERIFY(original.open(QIODevice::ReadOnly));
        const QByteArray originalBytes = original.readAll();
        QCOMPARE(qsizetype(rewritten.size()), originalBytes.size());
        QVERIFY2(std::equal(rewritten.begin(), rewritten.end(), originalBytes.begin()),
                 "the rewritten file differs from llama.cpp's");
    }
};

QTEST_GUILESS_MAIN(GgufFixturesTest)
#include "test_gguf_fixtures.moc"
