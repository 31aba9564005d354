#pragma once

#include "app/chat/message_list_model.h"

#include <functional>

namespace latent::app {

class ChatStore;

// The rows on screen (a MessageListModel) as one branch of a conversation: each message of the
// path from the root to a leaf, with its place among its sibling versions, and with text newer
// than the store's (an answer streaming, text not saved yet) laid over by the caller.
class BranchRows {
public:
    using Overlay = std::function<void(MessageListModel::Row&)>;

    BranchRows(const ChatStore& store, MessageListModel& rows, Overlay overlay)
        : store_(store), rows_(rows), overlay_(std::move(overlay))
    {
    }

    // The branch to leafId (none: no rows): appended to the rows on screen when they lead there
    // (a new message), so the view keeps its place; in their place otherwise. Throws StoreError.
    void show(qint64 leafId);
    MessageListModel::Row rowOf(const Message& message) const; // throws StoreError

private:
    const ChatStore& store_;
    MessageListModel& rows_;
    Overlay overlay_;
};

} // namespace latent::app
