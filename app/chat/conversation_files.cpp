#include "app/chat/conversation_files.h"

#include "app/store/chat_store.h"
#include "app/store/conversation_exchange.h"

#include <QFile>
#include <QFileInfo>
#include <QSaveFile>

namespace latent::app {

std::optional<FileProblem> ConversationFiles::exportTo(qint64 id, const QString& path, const QString& format) const
{
    const QString failed = tr("The conversation was not exported");
    QByteArray bytes;
    try {
        if (format == QLatin1String("markdown"))
            bytes = conversationToMarkdown(store_, id).toUtf8();
        else if (format == QLatin1String("json"))
            bytes = conversationToJson(store_, id);
        else
            return FileProblem{tr("Unknown export format"),
                               tr("\"%1\" is not an export format: choose markdown or json.").arg(format)};
    } catch (const StoreError& error) {
        return FileProblem{failed, QString::fromUtf8(error.what())};
    }
    QSaveFile out(path);
    if (!out.open(QIODevice::WriteOnly) || out.write(bytes) != bytes.size() || !out.commit())
        return FileProblem{failed, tr("%1 could not be written (%2). Choose a folder you can write to.")
                                       .arg(path, out.errorString())};
    return std::nullopt;
}

ConversationFiles::Imported ConversationFiles::importFrom(const QString& path) const
{
    const QString failed = tr("The conversation was not imported");
    QFile in(path);
    if (!in.open(QIODevice::ReadOnly))
        return {0, FileProblem{failed, tr("%1 could not be read (%2). Choose a conversation exported as JSON.")
                                           .arg(path, in.errorString())}};
    try {
        return {importConversationJson(store_, in.readAll(), QFileInfo(path).fileName()), std::nullopt};
    } catch (const StoreError& error) {
        return {0, FileProblem{failed, QString::fromUtf8(error.what())}};
    }
}

} // namespace latent::app
