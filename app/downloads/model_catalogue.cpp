#include "app/downloads/model_catalogue.h"

#include <QCoreApplication>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QSet>

namespace latent::app {

namespace {

// A catalogue is a few kilobytes; anything far larger is not one, and is refused before parsing.
constexpr qsizetype maxCatalogueBytes = 1 << 20;

struct EntryReader {
    const QJsonObject& object;
    QString where; // "catalogue.json, entry 3 (deepseek-...)"
    QString error;

    QString text(const char* field, const QRegularExpression& shape, const QString& shapeText)
    {
        const QJsonValue value = object.value(QLatin1String(field));
        if (!error.isEmpty())
            return {};
        if (!value.isString() || value.toString().trimmed().isEmpty()) {
            error = QCoreApplication::translate("ModelCatalogue", "%1: field \"%2\" is missing or not a text").arg(where, QLatin1String(field));
            return {};
        }
        const QString result = value.toString();
        if (!shape.match(result).hasMatch())
            error = QCoreApplication::translate("ModelCatalogue", "%1: field \"%2\" is \"%3\", which is not %4")
                        .arg(where, QLatin1String(field), result.left(80), shapeText);
        return result;
    }

    qint64 bytes(const char* field)
    {
        const QJsonValue value = object.value(QLatin1String(field));
        if (!error.isEmpty())
            return 0;
        // JSON numbers are doubles: whole byte counts are exact below 2^53 (8 PiB).
        const double number = value.toDouble(-1);
        if (!value.isDouble() || number <= 0 || number != static_cast<double>(static_cast<qint64>(number)) ||
            number > 9.0e15) {
            error = QCoreApplication::translate("ModelCatalogue", "%1: field \"%2\" must be a positive whole number of bytes")
                        .arg(where, QLatin1String(field));
            return 0;
        }
        return static_cast<qint64>(number);
    }
};

CatalogueEntry readEntry(EntryReader& reader)
{
    static const QRegularExpression anyText(QStringLiteral("."));
    static const QRegularExpression id(QStringLiteral("^[a-z0-9][a-z0-9._-]*$"));
    static const QRegularExpression repo(QStringLiteral("^[A-Za-z0-9][A-Za-z0-9._-]*/[A-Za-z0-9][A-Za-z0-9._-]*$"));
    static const QRegularExpression file(QStringLiteral("^[A-Za-z0-9][A-Za-z0-9._-]*\\.gguf$"));
    static const QRegularExpression hex(QStringLiteral("^[0-9a-f]{64}$"));
    CatalogueEntry entry;
    entry.id = reader.text("id", id, QCoreApplication::translate("ModelCatalogue", "lower-case letters, digits, '.', '_' and '-'"));
    entry.title = reader.text("title", anyText, QString());
    entry.architecture = reader.text("architecture", id, QCoreApplication::translate("ModelCatalogue", "an architecture name such as llama"));
    entry.repo = reader.text("repo", repo, QCoreApplication::translate("ModelCatalogue", "a Hugging Face repository \"owner/name\""));
    entry.file = reader.text("file", file, QCoreApplication::translate("ModelCatalogue", "a file name ending in .gguf, without folders"));
    entry.quantization = reader.text("quantization", anyText, QString());
    entry.sizeBytes = reader.bytes("sizeBytes");
    entry.memoryBytes = reader.bytes("memoryBytes");
    entry.purpose = reader.text("purpose", anyText, QString());
    if (reader.error.isEmpty() && reader.object.contains(QLatin1String("sha256")))
        entry.sha256 = reader.text("sha256", hex, QCoreApplication::translate("ModelCatalogue", "64 lower-case hexadecimal digits (a SHA-256)"))
                           .toLatin1();
    return entry;
}

} // namespace

CatalogueParse parseCatalogue(const QByteArray& json, const QString& sourceName)
{
    if (json.size() > maxCatalogueBytes)
        return {{}, QCoreApplication::translate("ModelCatalogue", "%1 is %2 bytes; a model catalogue is at most %3: it is not a catalogue")
                        .arg(sourceName).arg(json.size()).arg(maxCatalogueBytes)};
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(json, &parseError);
    if (parseError.error != QJsonParseError::NoError)
        return {{}, QCoreApplication::translate("ModelCatalogue", "%1 is not valid JSON (%2 at byte %3)")
                        .arg(sourceName, parseError.errorString()).arg(parseError.offset)};
    const QJsonValue models = document.object().value(QLatin1String("models"));
    if (!document.isObject() || !models.isArray() || models.toArray().isEmpty())
        return {{}, QCoreApplication::translate("ModelCatalogue", "%1 has no \"models\" list: a catalogue is an "
                                                                "object with a non-empty \"models\" array")
                        .arg(sourceName)};
    CatalogueParse result;
    QSet<QString> ids;
    const QJsonArray array = models.toArray();
    for (qsizetype index = 0; index < array.size(); ++index) {
        const QJsonObject object = array.at(index).toObject();
        const QString id = object.value(QLatin1String("id")).toString();
        EntryReader reader{object,
                           QCoreApplication::translate("ModelCatalogue", "%1, entry %2%3").arg(sourceName).arg(index + 1)
                               .arg(id.isEmpty() ? QString() : QStringLiteral(" (%1)").arg(id.left(80))),
                           {}};
        if (!array.at(index).isObject())
            reader.error = QCoreApplication::translate("ModelCatalogue", "%1: is not an object").arg(reader.where);
        CatalogueEntry entry = readEntry(reader);
        if (reader.error.isEmpty() && ids.contains(entry.id))
            reader.error = QCoreApplication::translate("ModelCatalogue", "%1: field \"id\" repeats an earlier entry's").arg(reader.where);
        if (!reader.error.isEmpty())
            return {{}, reader.error};
        ids.insert(entry.id);
        result.entries.append(std::move(entry));
    }
    return result;
}

} // namespace latent::app
