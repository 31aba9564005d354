#pragma once

#include <QCoreApplication>
#include <QString>

#include <optional>

namespace latent::app {

class ChatStore;

// What went wrong with a conversation file, for the error banner: a title, and what happened
// with what to do.
struct FileProblem {
    QString title;
    QString message;
};

// Conversations to files (Markdown to read, JSON to keep) and JSON exports back into the store
// (conversation_exchange.h is the formats; this is the files and their errors).
class ConversationFiles {
    Q_DECLARE_TR_FUNCTIONS(latent::app::ConversationFiles)

public:
    explicit ConversationFiles(ChatStore& store) : store_(store) {}

    // Conversation id written to path as format ("markdown" or "json"), whole or not at all.
    std::optional<FileProblem> exportTo(qint64 id, const QString& path, const QString& format) const;

    struct Imported {
        qint64 id = 0; // the new conversation; 0 when problem says why there is none
        std::optional<FileProblem> problem;
    };
    // A JSON export read from path into a new conversation.
    Imported importFrom(const QString& path) const;

private:
    ChatStore& store_;
};

} // namespace latent::app
