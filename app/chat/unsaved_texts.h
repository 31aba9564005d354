#pragma once

#include <QHash>
#include <QObject>
#include <QString>
#include <QTimer>

namespace latent::app {

class ChatStore;

// Message text that has not reached the store yet, by message id: an answer's text as it streams,
// and the last text of one that ended. Written every half second while any is held or an answer
// streams, so a crash loses at most about that much. A write that fails keeps the text (on screen
// too) for the next tick, and is reported once until a write works again.
class UnsavedTexts : public QObject {
    Q_OBJECT

public:
    struct Text {
        QString content;
        bool complete = false;
        QString finishReason{}; // see Message: known once the answer ended
        int generatedTokens = 0;
    };

    explicit UnsavedTexts(ChatStore& store, QObject* parent = nullptr);

    void keep(qint64 messageId, const Text& text);
    const Text* find(qint64 messageId) const; // nullptr: the store's text is the newest
    // While an answer streams the writes go on even when nothing is held between two pieces.
    void setStreaming(bool streaming);
    // Writes every text held now.
    void save();

signals:
    void errorOccurred(const QString& title, const QString& message);

private:
    ChatStore& store_;
    QHash<qint64, Text> texts_;
    QTimer timer_;
    bool streaming_ = false;
    bool errorReported_ = false; // once per run of failures, not once per tick
};

} // namespace latent::app
