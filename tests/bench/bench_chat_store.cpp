// The chat store's speed where the app feels it: saving messages, saving a streamed answer,
// opening a long conversation, and searching.
//   bench_chat_store [FOLDER]    -> one line per measurement (FOLDER: where the databases go,
//                                   a temporary folder by default; put it on the disk to measure)

#include "app/store/chat_store.h"

#include <QElapsedTimer>
#include <QRandomGenerator>
#include <QStringList>
#include <QTemporaryDir>

#include <algorithm>
#include <cstdio>
#include <vector>

using namespace latent::app;

namespace {

// Words of chat text, English and Chinese, drawn with a fixed seed.
QString chatText(QRandomGenerator& random, int words)
{
    static const QStringList vocabulary = {
        QStringLiteral("the"),    QStringLiteral("borrow"),  QStringLiteral("checker"), QStringLiteral("memory"),
        QStringLiteral("cache"),  QStringLiteral("kernel"),  QStringLiteral("vector"),  QStringLiteral("template"),
        QStringLiteral("thread"), QStringLiteral("function"), QStringLiteral("returns"), QStringLiteral("value"),
        QStringLiteral("and"),    QStringLiteral("model"),   QStringLiteral("layer"),   QStringLiteral("attention"),
        QStringLiteral("编程"),   QStringLiteral("语言"),    QStringLiteral("显存"),    QStringLiteral("模型"),
        QStringLiteral("深度学习"), QStringLiteral("函数"),  QStringLiteral("返回"),    QStringLiteral("```cpp"),
    };
    QStringList text;
    for (int i = 0; i < words; ++i)
        text << vocabulary[random.bounded(int(vocabulary.size()))];
    return text.join(QLatin1Char(' '));
}

double millisecondsOf(const QElapsedTimer& timer)
{
    return double(timer.nsecsElapsed()) / 1e6;
}

template <typename Body>
double medianMilliseconds(int runs, Body body)
{
    std::vector<double> times;
    for (int run = 0; run < runs; ++run) {
        QElapsedTimer timer;
        timer.start();
        body();
        times.push_back(millisecondsOf(timer));
    }
    std::sort(times.begin(), times.end());
    return times[times.size() / 2];
}

void insertRate(const QString& folder, QRandomGenerator& random)
{
    ChatStore store(folder + QStringLiteral("/insert.sqlite3"));
    const qint64 conversation = store.createConversation(QStringLiteral("insert"));
    constexpr int count = 3000;
    QStringList texts;
    for (int i = 0; i < count; ++i)
        texts << chatText(random, 50);
    QElapsedTimer timer;
    timer.start();
    qint64 parent = 0;
    for (const QString& text : texts)
        parent = store.addMessage(conversation, parent, QStringLiteral("user"), text);
    std::printf("insert: %.0f messages/s (%d addMessage, each its own transaction, WAL, ~300 characters each)\n",
                count / (millisecondsOf(timer) / 1000), count);
}

void streamingRate(const QString& folder, QRandomGenerator& random)
{
    ChatStore store(folder + QStringLiteral("/stream.sqlite3"));
    const qint64 conversation = store.createConversation(QStringLiteral("stream"));
    constexpr int answers = 8;
    constexpr int step = 8; // characters a token adds, about
    const QString text = chatText(random, 800).left(2048);
    int updates = 0;
    QElapsedTimer timer;
    timer.start();
    for (int answer = 0; answer < answers; ++answer) {
        const qint64 id = store.addMessage(conversation, 0, QStringLiteral("assistant"), {}, false);
        for (qsizetype length = step; length <= text.size(); length += step, ++updates)
            store.setMessageContent(id, text.left(length), length + step > text.size());
    }
    std::printf("streaming: %.0f updates/s (setMessageContent of a text growing by %d to 2 KB, %d updates)\n",
                updates / (millisecondsOf(timer) / 1000), step, updates);
}

void readAndSearch(const QString& folder, QRandomGenerator& random)
{
    ChatStore store(folder + QStringLiteral("/long.sqlite3"));
    const qint64 conversation = store.createConversation(QStringLiteral("long"));
    constexpr int count = 5000;
    qint64 last = 0;
    store.transaction([&] {
        for (int i = 0; i < count; ++i)
            last = store.addMessage(conversation, last, i % 2 == 0 ? QStringLiteral("user") : QStringLiteral("assistant"),
                                    chatText(random, 60));
    });

    qsizetype read = 0;
    const double branchMs = medianMilliseconds(9, [&] { read = store.pathTo(last).size() + store.messages(conversation).size(); });
    std::printf("read branch: %.1f ms for pathTo(last) + messages() of a %d-message conversation (%lld read, median of 9)\n",
                branchMs, count, static_cast<long long>(read));

    const QStringList queries = {QStringLiteral("borrow"), QStringLiteral("bor"), QStringLiteral("memory cache"),
                                 QStringLiteral("深度学习"), QStringLiteral("显存"), QStringLiteral("kernel 显存")};
    QStringList timings;
    for (const QString& query : queries) {
        qsizetype hits = 0;
        const double ms = medianMilliseconds(9, [&] { hits = store.search(query).size(); });
        timings << QStringLiteral("\"%1\" %2 ms (%3 hits)").arg(query).arg(ms, 0, 'f', 2).arg(hits);
    }
    std::printf("search: on %d messages, best 50, median of 9: %s\n", count, qPrintable(timings.join(QStringLiteral(", "))));
}

} // namespace

int main(int argc, char** argv)
{
    QTemporaryDir temporary;
    const QString folder = argc > 1 ? QString::fromLocal8Bit(argv[1]) : temporary.path();
    QRandomGenerator random(2024);
    try {
        insertRate(folder, random);
        streamingRate(folder, random);
        readAndSearch(folder, random);
    } catch (const StoreError& error) {
        std::fprintf(stderr, "%s\n", error.what());
        return 1;
    }
    return 0;
}
