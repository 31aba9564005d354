#include "app/chat/branch_rows.h"

#include "app/store/chat_store.h"

#include <algorithm>

namespace latent::app {

MessageListModel::Row BranchRows::rowOf(const Message& message) const
{
    MessageListModel::Row row;
    row.message = message;
    const QList<Message> siblings =
        message.parentId ? store_.children(message.parentId) : store_.rootMessages(message.conversationId);
    row.versionCount = int(std::max<qsizetype>(siblings.size(), 1));
    for (qsizetype i = 0; i < siblings.size(); ++i) {
        if (siblings[i].id == message.id)
            row.versionIndex = int(i + 1);
    }
    if (overlay_)
        overlay_(row);
    return row;
}

void BranchRows::show(qint64 leafId)
{
    QList<MessageListModel::Row> rows;
    if (leafId) {
        for (const Message& message : store_.pathTo(leafId))
            rows.append(rowOf(message));
    }
    const QList<MessageListModel::Row>& shown = rows_.rows();
    bool extends = shown.size() <= rows.size();
    for (qsizetype i = 0; extends && i < shown.size(); ++i) {
        extends = shown[i].message.id == rows[i].message.id && shown[i].versionIndex == rows[i].versionIndex &&
                  shown[i].versionCount == rows[i].versionCount;
    }
    if (!extends) {
        rows_.setRows(rows);
        return;
    }
    for (qsizetype i = shown.size(); i < rows.size(); ++i)
        rows_.appendRow(rows[i]);
}

} // namespace latent::app
