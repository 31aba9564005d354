#include "app/chat/message_search.h"

#include "app/store/chat_store.h"

#include <QVariantMap>

namespace latent::app {

QVariantList searchMessages(const ChatStore& store, const QString& query)
{
    QVariantList hits;
    if (query.trimmed().isEmpty())
        return hits;
    try {
        for (const SearchHit& hit : store.search(query)) {
            hits.append(QVariantMap{{QStringLiteral("conversationId"), hit.conversationId},
                                    {QStringLiteral("messageId"), hit.messageId},
                                    {QStringLiteral("title"), hit.conversationTitle},
                                    {QStringLiteral("snippet"), hit.snippet}});
        }
    } catch (const StoreError& error) {
        qWarning("search failed: %s", error.what());
    }
    return hits;
}

} // namespace latent::app
