// Text on its way to the store (app/chat/unsaved_texts.h) on a real chat store: saved and let go,
// kept and retried while another program holds the database's write lock (reported once), and
// dropped once its message is gone for good.

#include "app/chat/unsaved_texts.h"
#include "app/store/chat_store.h"

#include <QScopeGuard>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <sqlite3.h>

using namespace latent::app;

namespace {

constexpr int kTimeoutMs = 5000;

} // namespace

class UnsavedTextsTest : public QObject {
    Q_OBJECT

    QTemporaryDir dir_;

private slots:
    void savedTextIsLetGo()
    {
        ChatStore store(dir_.filePath("saved.sqlite3"));
        const qint64 id = store.createConversation("Saved");
        const qint64 message = store.addMessage(id, 0, "assistant", {}, false);
        UnsavedTexts unsaved(store);
        unsaved.keep(message, {"partial", false});
        QCOMPARE(unsaved.find(message)->content, QString("partial"));
        unsaved.keep(message, {"partial answer", true});
        unsaved.save();
        QVERIFY(!unsaved.find(message));
        QCOMPARE(store.message(message)->content, QString("partial answer"));
        QVERIFY(store.message(message)->complete);
    }

    void aLockedStoreKeepsTheTextAndTriesAgain()
    {
        ChatStore store(dir_.filePath("locked.sqlite3"));
        const qint64 id = store.createConversation("Locked");
        const qint64 message = store.addMessage(id, 0, "assistant", {}, false);
        UnsavedTexts unsaved(store);
        QSignalSpy errors(&unsaved, &UnsavedTexts::errorOccurred);

        sqlite3* other = nullptr;
        QCOMPARE(sqlite3_open(store.path().toUtf8().constData(), &other), SQLITE_OK);
        const auto closeOther = qScopeGuard([&] { sqlite3_close_v2(other); });
        QCOMPARE(sqlite3_exec(other, "BEGIN EXCLUSIVE", nullptr, nullptr, nullptr), SQLITE_OK);
        unsaved.keep(message, {"kept while locked", true});
        unsaved.save();
        QCOMPARE(errors.count(), 1);
        QCOMPARE(errors.first().at(0).toString(), QString("The answer is not being saved"));
        QVERIFY2(errors.first().at(1).toString().contains("stays on screen"), qPrintable(errors.first().at(1).toString()));
        QCOMPARE(unsaved.find(message)->content, QString("kept while locked"));
        unsaved.save();
        QCOMPARE(errors.count(), 1); // once per run of failures

        QCOMPARE(sqlite3_exec(other, "ROLLBACK", nullptr, nullptr, nullptr), SQLITE_OK);
        QTRY_VERIFY_WITH_TIMEOUT(!unsaved.find(message), kTimeoutMs); // the timer's next tick
        QCOMPARE(store.message(message)->content, QString("kept while locked"));
    }

    void aMessageGoneForGoodIsDropped()
    {
        ChatStore store(dir_.filePath("gone.sqlite3"));
        const qint64 id = store.createConversation("Gone");
        const qint64 message = store.addMessage(id, 0, "assistant", {}, false);
        store.deleteConversation(id);
        store.purgeDeleted();
        UnsavedTexts unsaved(store);
        QSignalSpy errors(&unsaved, &UnsavedTexts::errorOccurred);
        unsaved.keep(message, {"nowhere to go", true});
        unsaved.save();
        QVERIFY(!unsaved.find(message));
        QCOMPARE(errors.count(), 0);
    }
};

QTEST_GUILESS_MAIN(UnsavedTextsTest)
#include "test_unsaved_texts.moc"
