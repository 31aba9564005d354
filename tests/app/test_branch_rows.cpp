// The rows of one branch on screen (app/chat/branch_rows.h) on a real chat store: each message of
// the path with its place among its versions, appended when the rows on screen lead to the new
// leaf (the view keeps its place), replaced when they do not, with the caller's newer text laid over.

#include "app/chat/branch_rows.h"
#include "app/store/chat_store.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace latent::app;

class BranchRowsTest : public QObject {
    Q_OBJECT

private slots:
    void branchesAppendOrReplace()
    {
        QTemporaryDir dir;
        ChatStore store(dir.filePath("chats.sqlite3"));
        const qint64 id = store.createConversation("Versions");
        const qint64 question = store.addMessage(id, 0, "user", "Sort a list");
        const qint64 first = store.addMessage(id, question, "assistant", "sorted(xs)");
        MessageListModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QString overlaid;
        BranchRows rows(store, model, [&](MessageListModel::Row& row) {
            if (row.message.content == overlaid)
                row.message.content += " (newer)";
        });

        rows.show(question);
        QCOMPARE(model.rowCount(), 1);
        QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
        QSignalSpy reset(&model, &QAbstractItemModel::modelReset);
        rows.show(first);
        QCOMPARE(model.rowCount(), 2);
        QCOMPARE(inserted.count(), 1);
        QCOMPARE(reset.count(), 0);
        QCOMPARE(model.rows()[1].versionIndex, 1);
        QCOMPARE(model.rows()[1].versionCount, 1);

        const qint64 second = store.addMessage(id, question, "assistant", "xs.sort()");
        overlaid = "xs.sort()";
        rows.show(second); // the answer row is another version now: the rows are replaced
        QCOMPARE(reset.count(), 1);
        QCOMPARE(model.rowCount(), 2);
        QCOMPARE(model.rows()[1].message.id, second);
        QCOMPARE(model.rows()[1].versionIndex, 2);
        QCOMPARE(model.rows()[1].versionCount, 2);
        QCOMPARE(model.rows()[1].message.content, QString("xs.sort() (newer)"));

        rows.show(0);
        QCOMPARE(model.rowCount(), 0);
    }
};

QTEST_GUILESS_MAIN(BranchRowsTest)
#include "test_branch_rows.moc"
