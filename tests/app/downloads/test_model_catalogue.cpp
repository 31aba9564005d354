// The model catalogue: the shipped one is valid, and a broken one is refused with an error that
// names the source, the entry and the field.

#include "app/downloads/model_catalogue.h"

#include <QFile>
#include <QTest>

using latent::app::parseCatalogue;

namespace {

QByteArray catalogueWith(const QByteArray& entry)
{
    return "{\"version\": 1, \"models\": [" + entry + "]}";
}

const QByteArray goodEntry = R"({"id": "coder-1.3b", "title": "Coder", "architecture": "llama",
    "repo": "TheBloke/deepseek-coder-1.3b-instruct-GGUF", "file": "deepseek-coder-1.3b-instruct.Q4_K_M.gguf",
    "quantization": "Q4_K_M", "sizeBytes": 873582624,
    "sha256": "04cebb6fafa40ae628cf6bfeb76032ec792852f54020c559ad0a56b9f2839118",
    "memoryBytes": 1500000000, "purpose": "Code."})";

QByteArray replaced(const QByteArray& from, const QByteArray& to)
{
    QByteArray entry = goodEntry;
    return entry.replace(from, to);
}

} // namespace

class TestModelCatalogue : public QObject {
    Q_OBJECT

private slots:
    void theShippedCatalogueIsValid()
    {
        QFile file(QStringLiteral(":/models/catalogue.json"));
        QVERIFY(file.open(QIODevice::ReadOnly));
        const auto parsed = parseCatalogue(file.readAll(), QStringLiteral("catalogue.json"));
        QVERIFY2(parsed.error.isEmpty(), qPrintable(parsed.error));
        QVERIFY(parsed.entries.size() >= 14);
        int withChecksum = 0;
        for (const auto& entry : parsed.entries)
            withChecksum += entry.hasChecksum() ? 1 : 0;
        QVERIFY(withChecksum >= 1);
    }

    void aGoodEntryIsRead()
    {
        const auto parsed = parseCatalogue(catalogueWith(goodEntry), QStringLiteral("c.json"));
        QVERIFY2(parsed.error.isEmpty(), qPrintable(parsed.error));
        QCOMPARE(parsed.entries.size(), 1);
        QCOMPARE(parsed.entries[0].sizeBytes, 873582624);
        QCOMPARE(parsed.entries[0].repo, QStringLiteral("TheBloke/deepseek-coder-1.3b-instruct-GGUF"));
        QVERIFY(parsed.entries[0].hasChecksum());
        const auto noHash = parseCatalogue(
            catalogueWith(replaced(R"("sha256": "04cebb6fafa40ae628cf6bfeb76032ec792852f54020c559ad0a56b9f2839118",)", "")),
            QStringLiteral("c.json"));
        QVERIFY2(noHash.error.isEmpty(), qPrintable(noHash.error));
        QVERIFY(!noHash.entries[0].hasChecksum());
    }

    void badCataloguesAreNamed_data()
    {
        QTest::addColumn<QByteArray>("json");
        QTest::addColumn<QStringList>("mentions");
        QTest::addRow("not JSON") << QByteArray("{\"models\": [") << QStringList{"c.json", "not valid JSON"};
        QTest::addRow("no models") << QByteArray("{\"version\": 1}") << QStringList{"c.json", "\"models\""};
        QTest::addRow("missing field") << catalogueWith(replaced(R"("file": "deepseek-coder-1.3b-instruct.Q4_K_M.gguf",)", ""))
                                       << QStringList{"entry 1 (coder-1.3b)", "\"file\"", "missing"};
        QTest::addRow("negative size") << catalogueWith(replaced("873582624", "-5"))
                                       << QStringList{"entry 1", "\"sizeBytes\"", "positive"};
        QTest::addRow("fractional size") << catalogueWith(replaced("873582624", "1.5"))
                                         << QStringList{"\"sizeBytes\""};
        QTest::addRow("bad hash") << catalogueWith(replaced("04cebb6f", "zz"))
                                  << QStringList{"entry 1", "\"sha256\"", "hexadecimal"};
        QTest::addRow("upper-case hash") << catalogueWith(replaced("04cebb6f", "04CEBB6F"))
                                         << QStringList{"\"sha256\""};
        QTest::addRow("folder in file") << catalogueWith(replaced("\"deepseek-coder-1.3b", "\"../deepseek-coder-1.3b"))
                                        << QStringList{"\"file\"", "without folders"};
        QTest::addRow("bad repo") << catalogueWith(replaced("TheBloke/", "TheBloke "))
                                  << QStringList{"\"repo\"", "owner/name"};
        QTest::addRow("repeated id") << catalogueWith(goodEntry + "," + goodEntry)
                                     << QStringList{"entry 2", "\"id\"", "repeats"};
        QTest::addRow("second entry broken") << catalogueWith(goodEntry + ", 7") << QStringList{"entry 2", "object"};
        QTest::addRow("huge") << QByteArray(2 << 20, ' ') << QStringList{"c.json", "not a catalogue"};
    }

    void badCataloguesAreNamed()
    {
        QFETCH(QByteArray, json);
        QFETCH(QStringList, mentions);
        const auto parsed = parseCatalogue(json, QStringLiteral("c.json"));
        QVERIFY(parsed.entries.isEmpty());
        for (const QString& mention : mentions)
            QVERIFY2(parsed.error.contains(mention), qPrintable(parsed.error + " lacks " + mention));
    }
};

QTEST_GUILESS_MAIN(TestModelCatalogue)
#include "test_model_catalogue.moc"
