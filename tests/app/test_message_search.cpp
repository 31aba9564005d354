// Search over every message (app/chat/message_search.h) on a real chat store: what the search
// view lists for a hit, and nothing for a blank query.

#include "app/chat/message_search.h"
#include "app/store/chat_store.h"

#include <QTemporaryDir>
#include <QTest>
#include <QVariantMap>

using namespace latent::app;

class MessageSearchTest : public QObject {
    Q_OBJECT

private slots:
    void hitsNameTheirConversationAndMessage()
    {
        QTemporaryDir dir;
        ChatStore store(dir.filePath("chats.sqlite3"));
        const qint64 sorting = store.createConversation("Sorting");
        const qint64 question = store.addMessage(sorting, 0, "user", "How do quicksort partitions work?");
        store.addMessage(sorting, question, "assistant", "Pick a pivot, then move smaller values left.");
        const qint64 trees = store.createConversation("Trees");
        store.addMessage(trees, 0, "user", "Balance a red-black tree");

        const QVariantList hits = searchMessages(store, "quicksort");
        QCOMPARE(hits.size(), 1);
        const QVariantMap hit = hits.first().toMap();
        QCOMPARE(hit.value("conversationId").toLongLong(), sorting);
        QCOMPARE(hit.value("messageId").toLongLong(), question);
        QCOMPARE(hit.value("title").toString(), QString("Sorting"));
        QVERIFY2(hit.value("snippet").toString().contains("[quicksort]"), qPrintable(hit.value("snippet").toString()));

        QCOMPARE(searchMessages(store, "tree").size(), 1);
        QVERIFY(searchMessages(store, "   ").isEmpty());
        QVERIFY(searchMessages(store, "heapsort").isEmpty());
    }
};

QTEST_GUILESS_MAIN(MessageSearchTest)
#include "test_message_search.moc"
