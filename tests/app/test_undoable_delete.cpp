// Undo of a delete (app/chat/undoable_delete.h) on a real chat store: the last deleted conversation
// comes back, the one before it is gone for good, and so is the last at the end of the run.

#include "app/chat/undoable_delete.h"
#include "app/store/chat_store.h"

#include <QTemporaryDir>
#include <QTest>

#include <memory>

using namespace latent::app;

class UndoableDeleteTest : public QObject {
    Q_OBJECT

    QTemporaryDir dir_;
    std::unique_ptr<ChatStore> store_;
    int databases_ = 0;

    qint64 conversationWithAMessage(const QString& title)
    {
        const qint64 id = store_->createConversation(title);
        store_->addMessage(id, 0, QStringLiteral("user"), "Hello from " + title);
        return id;
    }

    bool listed(qint64 id) const
    {
        for (const Conversation& conversation : store_->conversations())
            if (conversation.id == id)
                return true;
        return false;
    }

private slots:
    void init() { store_ = std::make_unique<ChatStore>(dir_.filePath(QString("chats-%1.sqlite3").arg(++databases_))); }

    void theLastDeleteComesBack()
    {
        const qint64 trees = conversationWithAMessage("Trees");
        UndoableDelete deleted(*store_);
        QVERIFY(!deleted.canUndo());
        QVERIFY(deleted.remove(trees));
        QVERIFY(!listed(trees));
        QVERIFY(deleted.canUndo());
        QCOMPARE(deleted.title(), QString("Trees"));
        deleted.undo();
        QVERIFY(!deleted.canUndo());
        QCOMPARE(deleted.title(), QString());
        QVERIFY(listed(trees));
        QCOMPARE(store_->messages(trees).size(), 1);
    }

    void theDeleteBeforeItIsFinal()
    {
        const qint64 trees = conversationWithAMessage("Trees"), graphs = conversationWithAMessage("Graphs");
        UndoableDelete deleted(*store_);
        QVERIFY(deleted.remove(trees));
        QVERIFY(deleted.remove(graphs));
        QCOMPARE(deleted.title(), QString("Graphs"));
        deleted.undo();
        QVERIFY(listed(graphs));
        QVERIFY(!store_->conversation(trees));
        QVERIFY(store_->messages(trees).isEmpty());
        deleted.undo(); // nothing left to bring back
        QVERIFY(!store_->conversation(trees));
    }

    void nothingToDeleteIsNoDelete()
    {
        UndoableDelete deleted(*store_);
        QVERIFY(!deleted.remove(4242));
        QVERIFY(!deleted.canUndo());
    }

    void theEndOfTheRunIsFinal()
    {
        const qint64 trees = conversationWithAMessage("Trees");
        {
            UndoableDelete deleted(*store_);
            QVERIFY(deleted.remove(trees));
        }
        QVERIFY(store_->messages(trees).isEmpty());
        try {
            store_->restoreConversation(trees);
        } catch (const StoreError&) {
        }
        QVERIFY(!store_->conversation(trees));
    }
};

QTEST_GUILESS_MAIN(UndoableDeleteTest)
#include "test_undoable_delete.moc"
