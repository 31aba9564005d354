#pragma once

#include <QByteArray>
#include <QList>
#include <QString>

namespace latent::app {

// One GGUF file of the download catalogue (resources/models/catalogue.json).
struct CatalogueEntry {
    QString id; // stable, lower case: the UI translates `purpose` by it
    QString title;
    QString architecture; // as in the file's general.architecture: llama, deepseek2, qwen2, ...
    QString repo; // Hugging Face "owner/name"
    QString file; // the file's name in the repository and on disk
    QString quantization;
    qint64 sizeBytes = 0; // exact when sha256 is given, else the model card's rounded size
    QByteArray sha256; // 64 lower-case hex digits; empty: no published checksum, checked by size only
    qint64 memoryBytes = 0; // what running it needs: the file, a 4096-token cache, working memory
    QString purpose; // one English line; the UI shows its translation by id

    bool hasChecksum() const { return !sha256.isEmpty(); }
};

// The catalogue read from JSON, or why it could not be: every error names the source, the entry
// (by index and id) and the field, so a broken refreshed copy is reported and the bundled one kept.
struct CatalogueParse {
    QList<CatalogueEntry> entries;
    QString error; // empty when entries is the whole catalogue
};

CatalogueParse parseCatalogue(const QByteArray& json, const QString& sourceName);

} // namespace latent::app
