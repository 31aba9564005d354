#pragma once

#include "app/store/chat_store.h"

#include <QAbstractListModel>
#include <QList>

namespace latent::app {

// The sidebar: conversations newest first. Roles: conversationId, title, updatedAt (QDateTime),
// updatedText (a short local "today 14:02" / "Mar 3" form, in the language of the moment: the rows
// change when the language does).
class ConversationListModel : public QAbstractListModel {
    Q_OBJECT
    Q_PROPERTY(int count READ rowCount NOTIFY countChanged)

public:
    enum Role { ConversationIdRole = Qt::UserRole + 1, TitleRole, UpdatedAtRole, UpdatedTextRole };

    explicit ConversationListModel(QObject* parent = nullptr);

    // Replaces the rows, moving, inserting and removing only those that changed, so that the
    // view keeps its scroll position and selection.
    void setConversations(const QList<Conversation>& conversations);
    Q_INVOKABLE int rowOf(qint64 conversationId) const; // -1 when absent

    int rowCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role) const override;
    QHash<int, QByteArray> roleNames() const override;

signals:
    void countChanged();

protected:
    bool eventFilter(QObject* watched, QEvent* event) override;

private:
    QList<Conversation> rows_;
};

} // namespace latent::app
