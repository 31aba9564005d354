#pragma once

#include <QString>
#include <QVariantList>

namespace latent::app {

class ChatStore;

// Every message that matches query, best first, as the search view lists them:
// [{conversationId, messageId, title, snippet}]. Empty for a blank query, and when the store
// fails (logged: a search box has nowhere to show an error).
QVariantList searchMessages(const ChatStore& store, const QString& query);

} // namespace latent::app
