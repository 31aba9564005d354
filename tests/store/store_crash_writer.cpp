// Streams into a chat database as the app does while an answer is generated, until it is
// killed: test_store_crash kills it at a random moment and checks what the database kept.
// Usage: store_crash_writer <database> <seed>. After each write returns it prints
// "<messageId> <length>" (flushed): a promise that this much was saved.

#include "app/store/chat_store.h"
#include "tests/store/crash_text.h"

#include <QRandomGenerator>
#include <QThread>

#include <cstdio>

using namespace latent::app;

namespace {

void promise(qint64 messageId, qsizetype length)
{
    std::printf("%lld %lld\n", static_cast<long long>(messageId), static_cast<long long>(length));
    std::fflush(stdout);
}

} // namespace

int main(int argc, char** argv)
{
    if (argc != 3) {
        std::fprintf(stderr, "usage: store_crash_writer <database> <seed>\n");
        return 2;
    }
    try {
        ChatStore store(QString::fromLocal8Bit(argv[1]));
        QRandomGenerator random(quint32(QByteArray(argv[2]).toUInt()));
        const qint64 conversation = store.createConversation(QStringLiteral("crash round %1").arg(argv[2]));
        qint64 parent = 0;
        for (int turn = 0;; ++turn) {
            const QString role = turn % 2 == 0 ? QStringLiteral("user") : QStringLiteral("assistant");
            const qint64 id = store.addMessage(conversation, parent, role, {}, false, QStringLiteral("test.gguf"));
            promise(id, 0);
            // Each message grows to a length of its own, a few characters every few milliseconds.
            const qsizetype finalLength = random.bounded(50, 1200);
            const QString text = crashText(id, finalLength);
            for (qsizetype length = 0; length < finalLength;) {
                length = std::min(finalLength, length + random.bounded(1, 40));
                store.setMessageContent(id, text.left(length), length == finalLength);
                promise(id, length);
                QThread::usleep(random.bounded(500, 3000));
            }
            parent = id;
        }
    } catch (const StoreError& error) {
        std::fprintf(stderr, "%s\n", error.what());
        return 1;
    }
}
