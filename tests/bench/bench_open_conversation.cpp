// How the real window feels with a long chat: a conversation of 5,000 messages (mixed lengths, some
// with code blocks) in a temporary database, opened in the app's window.
//   bench_open_conversation MODEL [MESSAGES]   -> one line per measurement
// MODEL is any GGUF file (chat-bench.sh makes a tiny one): the window is measured as people use
// it, with a model loaded.
// Measures: opening the conversation (ChatController::selectConversation) until the first frame
// that shows it; jumping from the top to the end (ListView.positionViewAtEnd) until its frame; and
// scrolling from top to bottom a page per frame, as a user paging down would. Run it on a display
// (tests/bench/chat-bench.sh uses xvfb-run) or with QT_QPA_PLATFORM=offscreen.

#include "app/chat/chat_controller.h"
#include "app/chat/model_manager.h"
#include "app/store/chat_store.h"
#include "ui/main_window.h"

#include <QApplication>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QFile>
#include <QQuickItem>
#include <QQuickWidget>
#include <QQuickWindow>
#include <QRandomGenerator>
#include <QSettings>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTimer>

#include <algorithm>
#include <cstdio>
#include <vector>

using namespace latent::app;

namespace {

double millisecondsOf(const QElapsedTimer& timer)
{
    return double(timer.nsecsElapsed()) / 1e6;
}

// Resident memory in MB (Linux), to see that delegates are not kept for every message; -1 elsewhere.
double residentMegabytes()
{
    QFile status(QStringLiteral("/proc/self/status"));
    if (!status.open(QIODevice::ReadOnly))
        return -1;
    for (const QByteArray& line : status.readAll().split('\n'))
        if (line.startsWith("VmRSS:"))
            return line.mid(6).trimmed().split(' ').value(0).toDouble() / 1024.0;
    return -1;
}

QString prose(QRandomGenerator& random, int sentences)
{
    static const QStringList sentencesPool = {
        QStringLiteral("The borrow checker rejects this because the reference outlives the vector it points into."),
        QStringLiteral("Move the allocation out of the loop and reserve the capacity once."),
        QStringLiteral("这个函数在每次调用时都会复制整个字符串，所以应该改为传递引用。"),
        QStringLiteral("A **mutex** around the counter fixes the race, but an `std::atomic<int>` is cheaper."),
        QStringLiteral("- First, read the file in chunks\n- Then, hash each chunk\n- Finally, compare the hashes"),
        QStringLiteral("See the [documentation](https://en.cppreference.com) for the exact overloads."),
    };
    QStringList text;
    for (int i = 0; i < sentences; ++i)
        text << sentencesPool[random.bounded(int(sentencesPool.size()))];
    return text.join(QLatin1Char(' '));
}

QString codeBlock(QRandomGenerator& random, int lines)
{
    QString code = QStringLiteral("```cpp\n#include <string>\n");
    for (int i = 0; i < lines; ++i)
        code += QStringLiteral("std::string part%1 = reverse(\"line %1\"); // step %1\n").arg(i);
    return code + QStringLiteral("```\n") + prose(random, 1);
}

// A conversation of `count` messages, questions and answers in turn: answers of one to twenty
// sentences, every fourth with a code block of 5 to 60 lines.
qint64 writeConversation(ChatStore& store, int count)
{
    QRandomGenerator random(8);
    const qint64 conversation = store.createConversation(QStringLiteral("A long conversation"));
    store.transaction([&] {
        qint64 parent = 0;
        for (int i = 0; i < count; ++i) {
            const bool answer = i % 2 == 1;
            QString content = answer ? prose(random, 1 + random.bounded(20)) : prose(random, 1 + random.bounded(2));
            if (answer && i % 8 == 7)
                content += QStringLiteral("\n\n") + codeBlock(random, 5 + random.bounded(56));
            parent = store.addMessage(conversation, parent, answer ? QStringLiteral("assistant") : QStringLiteral("user"),
                                      content, true, answer ? QStringLiteral("bench.gguf") : QString());
        }
    });
    return conversation;
}

// Milliseconds until the scene renders a frame, or -1 after 30 s without one.
double untilNextFrame(QQuickWindow* scene, const QElapsedTimer& since)
{
    QEventLoop loop;
    bool rendered = false;
    const QMetaObject::Connection connection = QObject::connect(scene, &QQuickWindow::afterRendering, &loop, [&] {
        rendered = true;
        loop.quit();
    });
    QTimer::singleShot(30000, &loop, &QEventLoop::quit);
    loop.exec();
    QObject::disconnect(connection);
    return rendered ? millisecondsOf(since) : -1;
}

QQuickItem* messageView(QQuickItem* root, QObject* messages)
{
    for (QQuickItem* item : root->findChildren<QQuickItem*>())
        if (item->inherits("QQuickListView") && item->property("model").value<QObject*>() == messages)
            return item;
    return nullptr;
}

} // namespace

int main(int argc, char** argv)
{
    QApplication app(argc, argv);
    QStandardPaths::setTestModeEnabled(true); // the user's settings stay untouched
    QApplication::setOrganizationName(QStringLiteral("LatentBench"));
    QApplication::setApplicationName(QStringLiteral("bench_open_conversation"));
    QSettings().clear();
    const int count = argc > 2 ? QByteArray(argv[2]).toInt() : 5000;
    if (argc < 2 || count < 2) {
        std::fprintf(stderr, "usage: bench_open_conversation MODEL [MESSAGES (2 or more, default 5000)]\n");
        return 2;
    }

    QTemporaryDir folder;
    ChatStore store(folder.filePath(QStringLiteral("chat.sqlite3")));
    QElapsedTimer timer;
    timer.start();
    const qint64 conversation = writeConversation(store, count);
    std::printf("%-44s %9.1f ms\n", qPrintable(QStringLiteral("write %1 messages").arg(count)), millisecondsOf(timer));

    ModelManager models(store);
    ChatController chat(store, models);
    models.loadModel(QString::fromLocal8Bit(argv[1]));
    while (models.state() == ModelManager::State::Loading)
        QApplication::processEvents(QEventLoop::AllEvents, 10);
    if (models.state() != ModelManager::State::Ready) {
        std::fprintf(stderr, "bench_open_conversation: %s\n", qPrintable(models.errorMessage()));
        return 1;
    }
    latent::ui::MainWindow window(chat, models);
    window.resize(1100, 720);
    window.show();
    QQuickWindow* scene = window.chatView()->quickWindow();
    timer.restart();
    while (window.chatView()->status() == QQuickWidget::Loading || !window.chatView()->rootObject())
        QApplication::processEvents(QEventLoop::AllEvents, 10);
    untilNextFrame(scene, timer);
    QQuickItem* list = messageView(window.chatView()->rootObject(), chat.messages());
    if (!list) {
        std::fprintf(stderr, "bench_open_conversation: the scene has no ListView of chat.messages\n");
        return 1;
    }
    const double memoryBefore = residentMegabytes();

    timer.restart();
    chat.selectConversation(conversation);
    const double selected = millisecondsOf(timer);
    const double opened = untilNextFrame(scene, timer);
    std::printf("%-44s %9.1f ms\n", "open: selectConversation returns", selected);
    std::printf("%-44s %9.1f ms\n", "open: first frame showing it", opened);
    std::printf("%-44s %9d\n", "rows in the view", list->property("count").toInt());

    // The view follows the end of the chat (for streaming answers) until the user scrolls away;
    // the benchmark scrolls as that user.
    list->setProperty("followTail", false);
    QMetaObject::invokeMethod(list, "positionViewAtBeginning");
    untilNextFrame(scene, timer);
    timer.restart();
    QMetaObject::invokeMethod(list, "positionViewAtEnd");
    std::printf("%-44s %9.1f ms\n", "jump from top to end: its frame", untilNextFrame(scene, timer));

    QMetaObject::invokeMethod(list, "positionViewAtBeginning");
    untilNextFrame(scene, timer);
    list->setProperty("followTail", false);
    std::vector<double> frames;
    QElapsedTimer total;
    total.start();
    const double page = list->height() * 0.9;
    while (!list->property("atYEnd").toBool() && frames.size() < 100000) {
        timer.restart();
        list->setProperty("contentY", list->property("contentY").toDouble() + page);
        frames.push_back(untilNextFrame(scene, timer));
    }
    const double scrolled = millisecondsOf(total);
    std::sort(frames.begin(), frames.end());
    std::printf("%-44s %9.1f ms (%zu pages)\n", "scroll top to bottom, a page per frame", scrolled, frames.size());
    if (!frames.empty()) {
        std::printf("%-44s %9.1f ms\n", "  frame time, median", frames[frames.size() / 2]);
        std::printf("%-44s %9.1f ms\n", "  frame time, 99th percentile", frames[frames.size() * 99 / 100]);
        std::printf("%-44s %9.1f ms\n", "  frame time, worst", frames.back());
    }
    std::printf("%-44s %9.1f MB -> %.1f MB\n", "resident memory, before opening -> after", memoryBefore,
                residentMegabytes());
    return 0;
}
