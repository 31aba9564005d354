#include "app/chat/undoable_delete.h"

#include "app/store/chat_store.h"

namespace latent::app {

UndoableDelete::~UndoableDelete()
{
    try {
        if (id_)
            store_.purgeDeleted();
    } catch (const StoreError& error) {
        qWarning("deleted conversations were not purged: %s", error.what());
    }
}

bool UndoableDelete::remove(qint64 id)
{
    const std::optional<Conversation> doomed = store_.conversation(id);
    if (!doomed)
        return false;
    if (id_) {
        store_.purgeDeleted();
        id_ = 0;
        title_.clear();
    }
    store_.deleteConversation(id);
    id_ = id;
    title_ = doomed->title;
    return true;
}

void UndoableDelete::undo()
{
    if (!id_)
        return;
    store_.restoreConversation(id_);
    id_ = 0;
    title_.clear();
}

} // namespace latent::app
