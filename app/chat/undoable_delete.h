#pragma once

#include <QString>

namespace latent::app {

class ChatStore;

// The conversation deleted last, kept in the store (marked deleted) until the next delete or the
// end of the run, so that it can be brought back.
class UndoableDelete {
public:
    explicit UndoableDelete(ChatStore& store) : store_(store) {}
    ~UndoableDelete(); // what was deleted is gone for good (a failure is logged)
    UndoableDelete(const UndoableDelete&) = delete;
    UndoableDelete& operator=(const UndoableDelete&) = delete;

    // Deletes conversation id, and the one deleted before it for good: only the last can come
    // back. False when there is no such conversation. Throws StoreError.
    bool remove(qint64 id);
    // Brings the last deleted conversation back (nothing when there is none). Throws StoreError.
    void undo();
    bool canUndo() const { return id_ != 0; }
    QString title() const { return title_; } // of the conversation undo() brings back

private:
    ChatStore& store_;
    qint64 id_ = 0;
    QString title_;
};

} // namespace latent::app
