// When the conversation database cannot be opened at start, the user chooses, and nothing is lost:
// a damaged file is moved aside with every byte kept, quitting leaves it untouched, and a database
// that another program holds is never offered for moving aside.

#include "test_settings.h"

#include "app/store/chat_store.h"
#include "ui/store_opening.h"

#include <QAbstractButton>
#include <QApplication>
#include <QDir>
#include <QFile>
#include <QMessageBox>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>

#include <sqlite3.h>

#include <functional>

using latent::ui::StoreOpening;

namespace {

const QByteArray damagedBytes = QByteArray("this is not a database, but it is the user's file\n").repeated(80);

// The user's database, damaged: chat.sqlite3 in the folder, holding damagedBytes.
QString writeDamagedDatabase(const QTemporaryDir& folder)
{
    const QString path = folder.filePath(QStringLiteral("chat.sqlite3"));
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(damagedBytes) != damagedBytes.size())
        qFatal("cannot write %s", qPrintable(path));
    return path;
}

QByteArray readFile(const QString& path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray("<cannot read>");
}

QStringList buttonTexts(const QMessageBox& box)
{
    QStringList texts;
    for (const QAbstractButton* button : box.buttons())
        texts << button->text();
    return texts;
}

// Answers the next message box once it shows: `answer` picks the button to click by its text.
void answerNextDialog(QStringList* seenButtons, const QString& answer)
{
    auto* poll = new QTimer;
    QObject::connect(poll, &QTimer::timeout, poll, [poll, seenButtons, answer] {
        auto* box = qobject_cast<QMessageBox*>(QApplication::activeModalWidget());
        if (!box)
            return;
        *seenButtons = buttonTexts(*box);
        for (QAbstractButton* button : box->buttons())
            if (button->text() == answer)
                button->click();
        poll->deleteLater();
    });
    poll->start(20);
}

} // namespace

class StoreOpeningTest : public QObject {
    Q_OBJECT

private slots:
    void initTestCase() { useTestSettings("test_store_opening"); }

    void damagedFileIsMovedAside()
    {
        QTemporaryDir folder;
        const QString path = writeDamagedDatabase(folder);
        QStringList buttons;
        answerNextDialog(&buttons, QStringLiteral("Move Aside and Start Fresh"));

        const std::unique_ptr<latent::app::ChatStore> store = StoreOpening::open(path);
        QVERIFY(store);
        QVERIFY2(buttons.contains(QStringLiteral("Quit")), qPrintable(buttons.join(u',')));
        const QStringList aside = QDir(folder.path()).entryList({QStringLiteral("chat.sqlite3.damaged-*")});
        QCOMPARE(aside.size(), 1);
        QCOMPARE(readFile(folder.filePath(aside.first())), damagedBytes); // every byte kept
        QVERIFY(store->createConversation(QStringLiteral("works")) > 0); // and a fresh database
    }

    void quittingLeavesTheFile()
    {
        QTemporaryDir folder;
        const QString path = writeDamagedDatabase(folder);
        QStringList buttons;
        answerNextDialog(&buttons, QStringLiteral("Quit"));

        QVERIFY(!StoreOpening::open(path));
        QCOMPARE(QDir(folder.path()).entryList(QDir::Files), QStringList{QStringLiteral("chat.sqlite3")});
        QCOMPARE(readFile(path), damagedBytes);
    }

    void lockedDatabaseIsNotOfferedForMovingAside()
    {
        // Another program holds the write lock on a database that the store must write to open
        // (an empty file: its schema is still to be made). The store waits a few seconds first.
        QTemporaryDir folder;
        const QString path = folder.filePath(QStringLiteral("chat.sqlite3"));
        sqlite3* other = nullptr;
        QCOMPARE(sqlite3_open(QFile::encodeName(path).constData(), &other), SQLITE_OK);
        QCOMPARE(sqlite3_exec(other, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr), SQLITE_OK);
        QStringList buttons;
        answerNextDialog(&buttons, QStringLiteral("Quit"));

        const bool opened = StoreOpening::open(path) != nullptr;
        sqlite3_exec(other, "ROLLBACK", nullptr, nullptr, nullptr);
        sqlite3_close(other);
        QVERIFY(!opened);
        QVERIFY2(buttons.contains(QStringLiteral("Retry")), qPrintable(buttons.join(u',')));
        QVERIFY2(!buttons.contains(QStringLiteral("Move Aside and Start Fresh")), qPrintable(buttons.join(u',')));
        QCOMPARE(QDir(folder.path()).entryList({QStringLiteral("*.damaged-*")}), QStringList());
    }
};

QTEST_MAIN(StoreOpeningTest)
#include "test_store_opening.moc"
