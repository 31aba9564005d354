#include "app/chat/conversation_list_model.h"

#include <QCoreApplication>
#include <QEvent>
#include <QLocale>
#include <QSet>

namespace latent::app {
namespace {

// "today 14:02", "yesterday 09:15", "Monday 14:02" (this week), "Mar 3", "Mar 3, 2023": short enough
// for the sidebar, in the UI's language and the locale's time format (QLocale's default, which the
// language setting sets).
QString updatedText(const QDateTime& updated)
{
    if (!updated.isValid())
        return {};
    const QDateTime local = updated.toLocalTime();
    const QDate date = local.date();
    const QDate today = QDate::currentDate();
    const QLocale locale;
    const QString time = locale.toString(local.time(), QLocale::ShortFormat);
    if (date == today)
        return ConversationListModel::tr("today %1").arg(time);
    if (date == today.addDays(-1))
        return ConversationListModel::tr("yesterday %1").arg(time);
    if (date > today.addDays(-7) && date < today)
        return ConversationListModel::tr("%1 %2", "a weekday, then a time").arg(locale.dayName(date.dayOfWeek()), time);
    // The formats are QDate::toString's letters, translated because each language orders them its own way.
    if (date.year() == today.year())
        return locale.toString(date, ConversationListModel::tr("MMM d", "a date this year"));
    return locale.toString(date, ConversationListModel::tr("MMM d, yyyy", "a date of another year"));
}

bool sameRow(const Conversation& a, const Conversation& b)
{
    return a.title == b.title && a.updatedAt == b.updatedAt && a.systemPrompt == b.systemPrompt &&
           a.currentLeafId == b.currentLeafId;
}

} // namespace

ConversationListModel::ConversationListModel(QObject* parent) : QAbstractListModel(parent)
{
    QCoreApplication::instance()->installEventFilter(this);
}

// A translation installed or removed (a live language switch) or the system's locale changing
// reaches the application object: the views must read the dates' texts again.
bool ConversationListModel::eventFilter(QObject* watched, QEvent* event)
{
    const bool languageOrLocale = event->type() == QEvent::LanguageChange || event->type() == QEvent::LocaleChange;
    if (watched == QCoreApplication::instance() && languageOrLocale && !rows_.isEmpty())
        emit dataChanged(index(0), index(int(rows_.size()) - 1), {UpdatedTextRole});
    return QAbstractListModel::eventFilter(watched, event);
}

void ConversationListModel::setConversations(const QList<Conversation>& conversations)
{
    const qsizetype before = rows_.size();
    QSet<qint64> wanted;
    for (const Conversation& conversation : conversations)
        wanted.insert(conversation.id);
    for (qsizetype row = rows_.size() - 1; row >= 0; --row) {
        if (!wanted.contains(rows_[row].id)) {
            beginRemoveRows({}, int(row), int(row));
            rows_.removeAt(row);
            endRemoveRows();
        }
    }
    // Now every row is wanted: move or insert each conversation into its place, in order.
    for (qsizetype target = 0; target < conversations.size(); ++target) {
        const Conversation& conversation = conversations[target];
        const int found = rowOf(conversation.id);
        if (found < 0) {
            beginInsertRows({}, int(target), int(target));
            rows_.insert(target, conversation);
            endInsertRows();
            continue;
        }
        if (found != target) {
            beginMoveRows({}, found, found, {}, int(target));
            rows_.move(found, target);
            endMoveRows();
        }
        if (!sameRow(rows_[target], conversation)) {
            rows_[target] = conversation;
            emit dataChanged(index(int(target)), index(int(target)));
        }
    }
    if (rows_.size() != before)
        emit countChanged();
}

int ConversationListModel::rowOf(qint64 conversationId) const
{
    for (qsizetype row = 0; row < rows_.size(); ++row) {
        if (rows_[row].id == conversationId)
            return int(row);
    }
    return -1;
}

int ConversationListModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : int(rows_.size());
}

QVariant ConversationListModel::data(const QModelIndex& index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Conversation& conversation = rows_[index.row()];
    switch (role) {
    case ConversationIdRole: return conversation.id;
    case Qt::DisplayRole:
    case TitleRole: return conversation.title;
    case UpdatedAtRole: return conversation.updatedAt;
    case UpdatedTextRole: return updatedText(conversation.updatedAt);
    default: return {};
    }
}

QHash<int, QByteArray> ConversationListModel::roleNames() const
{
    return {
        {ConversationIdRole, "conversationId"},
        {TitleRole, "title"},
        {UpdatedAtRole, "updatedAt"},
        {UpdatedTextRole, "updatedText"},
    };
}

} // namespace latent::app
