// Kills a writer that streams into the database (store_crash_writer) at random moments, round
// after round in the same file, and checks that the database stays sound and keeps every write
// the writer saw return: WAL with synchronous=NORMAL loses nothing committed when a process dies.

#include "app/store/chat_store.h"
#include "tests/store/crash_text.h"
#include "tests/store/raw_database.h"

#include <QCoreApplication>
#include <QProcess>
#include <QRandomGenerator>
#include <QTemporaryDir>
#include <QThread>
#include <QtTest>

using namespace latent::app;

namespace {

constexpr int kRounds = 24;

// The writer's promises, "<messageId> <length>" per line; a line cut short by the kill is no promise.
void readPromises(const QByteArray& output, QHash<qint64, qsizetype>& longest)
{
    const qsizetype end = output.lastIndexOf('\n');
    if (end < 0)
        return;
    for (const QByteArray& line : output.left(end).split('\n')) {
        const QList<QByteArray> fields = line.split(' ');
        QVERIFY2(fields.size() == 2, line.constData());
        const qint64 id = fields[0].toLongLong();
        longest[id] = std::max(longest.value(id), qsizetype(fields[1].toLongLong()));
    }
}

} // namespace

class TestStoreCrash : public QObject {
    Q_OBJECT

private slots:
    void writesThatReturnedSurviveAKill()
    {
        const QString writerPath = QCoreApplication::applicationDirPath() + QStringLiteral("/store_crash_writer");
        QVERIFY2(QFileInfo::exists(writerPath), qPrintable(writerPath + QStringLiteral(" is not built")));
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const QString dbPath = dir.filePath(QStringLiteral("crash.sqlite3"));
        QHash<qint64, qsizetype> promised;

        for (int round = 0; round < kRounds; ++round) {
            QProcess writer;
            writer.start(writerPath, {dbPath, QString::number(round + 1)});
            QVERIFY2(writer.waitForStarted(), qPrintable(writer.errorString()));
            QVERIFY2(writer.waitForReadyRead(10'000), writer.readAllStandardError().constData());
            QThread::msleep(QRandomGenerator::global()->bounded(5, 151));
            QVERIFY2(writer.state() == QProcess::Running, writer.readAllStandardError().constData());
            writer.kill();
            QVERIFY(writer.waitForFinished(10'000));
            QCOMPARE(writer.exitStatus(), QProcess::CrashExit);
            readPromises(writer.readAllStandardOutput(), promised);

            ChatStore store(dbPath);
            QCOMPARE(RawDatabase::valueOf(store.handle(), "PRAGMA integrity_check"), QStringLiteral("ok"));
            for (auto it = promised.cbegin(); it != promised.cend(); ++it) {
                const std::optional<Message> message = store.message(it.key());
                QVERIFY2(message.has_value(), qPrintable(QStringLiteral("round %1: message %2 is gone").arg(round).arg(it.key())));
                QVERIFY2(message->content.size() >= it.value(),
                         qPrintable(QStringLiteral("round %1: message %2 has %3 characters, %4 were saved")
                                        .arg(round)
                                        .arg(it.key())
                                        .arg(message->content.size())
                                        .arg(it.value())));
                QCOMPARE(message->content, crashText(it.key(), message->content.size()));
            }
        }
        QVERIFY(promised.size() >= kRounds);
        ChatStore store(dbPath);
        QCOMPARE(store.conversations().size(), kRounds);
        QCOMPARE(RawDatabase::ftsIntegrityOf(store.handle()), QStringLiteral("ok"));
    }
};

QTEST_GUILESS_MAIN(TestStoreCrash)
#include "test_store_crash.moc"
