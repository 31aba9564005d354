#include "app/chat/message_list_model.h"

#include "app/chat/thinking_text.h"

namespace latent::app {

MessageListModel::MessageListModel(QObject* parent) : QAbstractListModel(parent) {}

void MessageListModel::setRows(const QList<Row>& rows)
{
    const qsizetype before = rows_.size();
    beginResetModel();
    rows_ = rows;
    endResetModel();
    if (rows_.size() != before)
        emit countChanged();
}

void MessageListModel::appendRow(const Row& row)
{
    beginInsertRows({}, int(rows_.size()), int(rows_.size()));
    rows_.append(row);
    endInsertRows();
    emit countChanged();
}

void MessageListModel::updateContent(int row, const QString& content, bool complete, bool streaming)
{
    if (row < 0 || row >= rows_.size())
        return;
    Row& target = rows_[row];
    target.message.content = content;
    target.message.complete = complete;
    target.streaming = streaming;
    const QModelIndex changed = index(row);
    emit dataChanged(changed, changed,
                     {ContentRole, CompleteRole, StreamingRole, ThinkingRole, AnswerTextRole, ThinkingOpenRole});
}

void MessageListModel::setFinish(int row, const QString& finishReason, int generatedTokens)
{
    if (row < 0 || row >= rows_.size())
        return;
    Message& target = rows_[row].message;
    target.finishReason = finishReason;
    target.generatedTokens = generatedTokens;
    const QModelIndex changed = index(row);
    emit dataChanged(changed, changed, {FinishReasonRole, GeneratedTokensRole});
}

int MessageListModel::rowOf(qint64 messageId) const
{
    for (qsizetype row = 0; row < rows_.size(); ++row) {
        if (rows_[row].message.id == messageId)
            return int(row);
    }
    return -1;
}

int MessageListModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : int(rows_.size());
}

namespace {

QVariant thinkingPart(const Message& message, int role)
{
    const ThinkingParts parts = message.role == QLatin1String("assistant") ? splitThinking(message.content)
                                                                            : ThinkingParts{{}, message.content};
    switch (role) {
    case MessageListModel::ThinkingRole: return parts.thinking;
    case MessageListModel::AnswerTextRole: return parts.answer;
    default: return parts.thinkingOpen;
    }
}

} // namespace

QVariant MessageListModel::data(const QModelIndex& index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Row& row = rows_[index.row()];
    switch (role) {
    case MessageIdRole: return row.message.id;
    case ParentIdRole: return row.message.parentId;
    case RoleRole: return row.message.role;
    case Qt::DisplayRole:
    case ContentRole: return row.message.content;
    case CompleteRole: return row.message.complete;
    case StreamingRole: return row.streaming;
    case ModelRole: return row.message.model;
    case CreatedAtRole: return row.message.createdAt;
    case VersionIndexRole: return row.versionIndex;
    case VersionCountRole: return row.versionCount;
    case FinishReasonRole: return row.message.finishReason;
    case GeneratedTokensRole: return row.message.generatedTokens;
    case ThinkingRole:
    case AnswerTextRole:
    case ThinkingOpenRole: return thinkingPart(row.message, role);
    default: return {};
    }
}

QHash<int, QByteArray> MessageListModel::roleNames() const
{
    return {
        {MessageIdRole, "messageId"},   {ParentIdRole, "parentId"},
        {RoleRole, "role"},             {ContentRole, "content"},
        {CompleteRole, "complete"},     {StreamingRole, "streaming"},
        {ModelRole, "model"},           {CreatedAtRole, "createdAt"},
        {VersionIndexRole, "versionIndex"}, {VersionCountRole, "versionCount"},
        {FinishReasonRole, "finishReason"}, {GeneratedTokensRole, "generatedTokens"},
        {ThinkingRole, "thinking"},     {AnswerTextRole, "answerText"},
        {ThinkingOpenRole, "thinkingOpen"},
    };
}

} // namespace latent::app
