#pragma once

#include "app/store/chat_store.h"

#include <QAbstractListModel>
#include <QList>

namespace latent::app {

// The branch of the open conversation on screen, root first. Roles:
//   messageId, parentId, role ("user", "assistant"), content (markdown text), complete (bool),
//   streaming (bool: this answer is being written now), model, createdAt,
//   versionIndex (1-based position among its siblings), versionCount (how many siblings),
//   finishReason and generatedTokens (why an answer ended early, see Message).
// Streaming changes only the content role of the last row, so delegates are not recreated.
class MessageListModel : public QAbstractListModel {
    Q_OBJECT
    Q_PROPERTY(int count READ rowCount NOTIFY countChanged)

public:
    enum Role {
        MessageIdRole = Qt::UserRole + 1,
        ParentIdRole,
        RoleRole,
        ContentRole,
        CompleteRole,
        StreamingRole,
        ModelRole,
        CreatedAtRole,
        VersionIndexRole,
        VersionCountRole,
        FinishReasonRole,
        GeneratedTokensRole,
        // An answer's <think> block apart from its answer (thinking_text.h): the text inside it,
        // the rest, and whether the block is still open (the model is thinking). For a message
        // without one (and the user's): "", the content, false.
        ThinkingRole,
        AnswerTextRole,
        ThinkingOpenRole,
    };

    struct Row {
        Message message;
        int versionIndex = 1;
        int versionCount = 1;
        bool streaming = false;
    };

    explicit MessageListModel(QObject* parent = nullptr);

    void setRows(const QList<Row>& rows); // a reset
    void appendRow(const Row& row);
    void updateContent(int row, const QString& content, bool complete, bool streaming);
    void setFinish(int row, const QString& finishReason, int generatedTokens); // once an answer ended
    const QList<Row>& rows() const { return rows_; }
    Q_INVOKABLE int rowOf(qint64 messageId) const; // -1 when absent

    int rowCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role) const override;
    QHash<int, QByteArray> roleNames() const override;

signals:
    void countChanged();

private:
    QList<Row> rows_;
};

} // namespace latent::app
