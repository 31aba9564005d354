// Completion as one types, measured in the real window: keystroke to ghost text on screen, and
// whether the UI thread keeps up while a chat answer and completions share the engine.
//   bench_completion --model FILE [--samples 20] [--threads N] [--backend cpu|auto] [--debounce MS] [--json]
// Run it on an X server (tests/bench/completion-bench.sh uses xvfb-run): the window, the editor
// and the model are the app's own (MainWindow over a ChatStore and a ModelManager, as in
// tests/ui/test_editor_workflow.cpp), on a temporary folder, with settings of its own.
//
// What it measures, on a 300-line Python file (a different one for every cold sample, so that the
// completion session has nothing of it cached), the cursor on line 150 in a statement being written:
//   cold           a keystroke to the ghost text on screen: ghostShown, then the end of the next
//                  paint of the editor's viewport (the event loop's next turn after that paint);
//   warm           the next keystroke on the same line, a character the suggestion does not start
//                  with (so a new request follows the debounce), to the new ghost text on screen;
//   typed through  a keystroke that matches the suggestion's next character (kept, no request)
//                  to the repaint that shows the rest;
//   engine         each request's CompletionStats (prompt, evaluated, generated tokens, seconds);
//   responsiveness the gaps between the firings of an 8 ms timer on the UI thread (the longest is
//                  the UI thread's longest block): idle, while one completion runs alone, and while
//                  a chat answer (256 tokens at most) streams and keystrokes ask for completions;
//                  the chat scene's frames; and what the UI thread did during the answer (each
//                  event the loop dispatched, timed, by event type and receiver).
// A completion that comes back empty (a random-weights model may stop at once) shows no ghost:
// it is counted apart, never in the latencies, and another character is typed. So is a keystroke
// whose request is lost: the request timer fired before the due millisecond, the state machine
// refused to start it and nothing asks again (see Bench::awaitOutcome).

#include "app/chat/chat_controller.h"
#include "app/chat/completion_model.h"
#include "app/chat/engine_worker.h"
#include "app/chat/model_manager.h"
#include "app/store/chat_store.h"
#include "ui/editor/code_editor.h"
#include "ui/editor/editor_area.h"
#include "ui/editor/editor_panel.h"
#include "ui/editor/inline_completion.h"
#include "ui/main_window.h"

#include <QAbstractScrollArea>
#include <QApplication>
#include <QCommandLineParser>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QMetaEnum>
#include <QPointer>
#include <QQuickWidget>
#include <QQuickWindow>
#include <QRandomGenerator>
#include <QSettings>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>
#include <QTimer>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <vector>

using namespace latent;
using latent::app::CompletionStats;
using latent::ui::CodeEditor;
using latent::ui::InlineCompletion;

namespace {

constexpr int kFileLines = 300;
constexpr int kCursorLine = 149;          // from 0: line 150 of 300
constexpr int kRequestTimeoutMs = 180000; // a cold 1,400-token prompt takes 15-20 s on 2 cores
constexpr int kMaxWarmTries = 6;          // warm requests per file before moving on (empty ones)
constexpr int kMaxLostInARow = 60;        // keystrokes whose request is lost, in a row, before giving up

struct Options {
    QString model;
    int samples = 20;
    int threads = 0; // 0: the app's default (the physical cores)
    QString backend = QStringLiteral("auto");
    int debounceMs = 250;
    bool json = false;
};

std::optional<Options> parseOptions(const QApplication& app)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("Keystroke to ghost text, and UI responsiveness, in the real window"));
    parser.addHelpOption();
    parser.addOptions({
        {QStringLiteral("model"), QStringLiteral("A DeepSeek-Coder GGUF file (required)."), QStringLiteral("FILE")},
        {QStringLiteral("samples"), QStringLiteral("Samples per measure (default 20)."), QStringLiteral("N"), QStringLiteral("20")},
        {QStringLiteral("threads"), QStringLiteral("Engine threads (default: the app's, the physical cores)."), QStringLiteral("N"), QStringLiteral("0")},
        {QStringLiteral("backend"), QStringLiteral("cpu or auto (default auto, the app's)."), QStringLiteral("NAME"), QStringLiteral("auto")},
        {QStringLiteral("debounce"), QStringLiteral("Pause before a completion is asked for, ms (default 250, the app's; it takes 50..2000)."), QStringLiteral("MS"), QStringLiteral("250")},
        {QStringLiteral("json"), QStringLiteral("One JSON line instead of the table.")},
    });
    parser.process(app);
    Options options;
    options.model = parser.value(QStringLiteral("model"));
    options.samples = parser.value(QStringLiteral("samples")).toInt();
    options.threads = parser.value(QStringLiteral("threads")).toInt();
    options.backend = parser.value(QStringLiteral("backend"));
    options.debounceMs = parser.value(QStringLiteral("debounce")).toInt();
    options.json = parser.isSet(QStringLiteral("json"));
    if (options.model.isEmpty() || options.samples < 1 || options.threads < 0 || options.debounceMs < 1
        || (options.backend != QLatin1String("cpu") && options.backend != QLatin1String("auto"))) {
        std::fprintf(stderr, "%s\n", qPrintable(parser.helpText()));
        return std::nullopt;
    }
    return options;
}

void progress(const QString& line)
{
    std::fprintf(stderr, "bench_completion: %s\n", qPrintable(line));
}

// The application, timing the UI thread's work while recording: every event the UI thread's loop
// dispatches (not those sent from within another), by event type and receiver class, so that a
// long gap can be traced to what filled it (a queued signal, a paint, a timer).
class TimedApplication : public QApplication {
public:
    using QApplication::QApplication;

    struct Work {
        int count = 0;
        double totalMs = 0;
        double maxMs = 0;
    };

    void setRecording(bool recording) { recording_ = recording; }
    const std::map<QString, Work>& work() const { return work_; }

    bool notify(QObject* receiver, QEvent* event) override
    {
        // notify() runs on every thread (the engine worker's events too): only the UI thread's count.
        if (QThread::currentThread() != thread())
            return QApplication::notify(receiver, event);
        if (!recording_ || depth_ > 0) {
            ++depth_;
            const bool handled = QApplication::notify(receiver, event);
            --depth_;
            return handled;
        }
        // Named before dispatch: a posted event is deleted after it, its receiver may be too.
        const char* type = QMetaEnum::fromType<QEvent::Type>().valueToKey(event->type());
        const QString name = QStringLiteral("%1 to %2").arg(QLatin1String(type ? type : "(user event)"),
                                                           QLatin1String(receiver->metaObject()->className()));
        QElapsedTimer timer;
        timer.start();
        ++depth_;
        const bool handled = QApplication::notify(receiver, event);
        --depth_;
        Work& work = work_[name];
        const double ms = double(timer.nsecsElapsed()) / 1e6;
        ++work.count;
        work.totalMs += ms;
        work.maxMs = std::max(work.maxMs, ms);
        return handled;
    }

private:
    bool recording_ = false;
    int depth_ = 0;
    std::map<QString, Work> work_;
};

// ---- the source file ----------------------------------------------------------------------

// A module of ordinary Python (a dataclass, helpers that filter, group, read and score records),
// its identifiers and numbers drawn from `variant`, so that two variants share no window start.
class PythonSource {
public:
    explicit PythonSource(int variant) : random_(quint32(variant) * 7919u + 17u), variant_(variant) {}

    // The file's text; *cursorOffset: the end of line kCursorLine, a statement being written.
    QString build(int* cursorOffset, QString* continuation)
    {
        header();
        while (lines_.size() + 16 < kCursorLine - 4)
            function();
        while (lines_.size() < kCursorLine - 5)
            lines_ << (lines_.size() % 2 ? QStringLiteral("# %1 helpers").arg(noun()) : QString());
        const QString item = noun();
        const QString value = field();
        lines_ << QStringLiteral("def total_%1_%2(%1s, limit=%3):").arg(item, value).arg(number(1, 500))
               << QStringLiteral("    \"\"\"Sum the %2 of every %1 above the limit.\"\"\"").arg(item, value)
               << QStringLiteral("    total = 0.0") << QStringLiteral("    for %1 in %1s:").arg(item)
               << QStringLiteral("        if %1.%2 > limit:").arg(item, value)
               << QStringLiteral("            total += ") // kCursorLine: the cursor at its end
               << QStringLiteral("    return total") << QString();
        *continuation = QStringLiteral("%1.%2 * weight - penalty_rate * count").arg(item, value);
        while (lines_.size() + 16 < kFileLines - 6)
            function();
        mainBlock();
        *cursorOffset = int(lines_.mid(0, kCursorLine + 1).join(u'\n').size());
        return lines_.join(u'\n') + u'\n';
    }

private:
    QString pick(const QStringList& pool) { return pool[random_.bounded(int(pool.size()))]; }
    QString noun()
    {
        return pick({QStringLiteral("invoice"), QStringLiteral("shipment"), QStringLiteral("customer"),
                     QStringLiteral("payment"), QStringLiteral("order"), QStringLiteral("ticket"),
                     QStringLiteral("sensor"), QStringLiteral("reading"), QStringLiteral("account"),
                     QStringLiteral("batch"), QStringLiteral("parcel"), QStringLiteral("booking")});
    }
    QString verb()
    {
        return pick({QStringLiteral("load"), QStringLiteral("parse"), QStringLiteral("validate"),
                     QStringLiteral("merge"), QStringLiteral("summarize"), QStringLiteral("filter"),
                     QStringLiteral("group"), QStringLiteral("normalize"), QStringLiteral("export"),
                     QStringLiteral("score"), QStringLiteral("rank"), QStringLiteral("audit")});
    }
    QString field()
    {
        return pick({QStringLiteral("amount"), QStringLiteral("weight"), QStringLiteral("price"),
                     QStringLiteral("duration"), QStringLiteral("score"), QStringLiteral("quantity"),
                     QStringLiteral("latency"), QStringLiteral("balance"), QStringLiteral("distance")});
    }
    int number(int low, int high) { return low + random_.bounded(high - low); }
    static QString capitalized(QString word) { return word.replace(0, 1, word[0].toUpper()); }

    void header()
    {
        const QString main = capitalized(noun());
        lines_ << QStringLiteral("\"\"\"Record helpers for the %1 service (revision %2).\"\"\"").arg(noun()).arg(variant_)
               << QString() << QStringLiteral("import json") << QStringLiteral("import logging")
               << QStringLiteral("import math") << QStringLiteral("from dataclasses import dataclass, field")
               << QStringLiteral("from typing import Dict, List, Optional") << QString()
               << QStringLiteral("logger = logging.getLogger(\"%1_%2\")").arg(noun()).arg(variant_)
               << QStringLiteral("DEFAULT_LIMIT = %1").arg(number(10, 9000))
               << QStringLiteral("RETRY_DELAY_SECONDS = %1.%2").arg(number(1, 30)).arg(number(0, 9)) << QString()
               << QString() << QStringLiteral("@dataclass") << QStringLiteral("class %1:").arg(main)
               << QStringLiteral("    id: int") << QStringLiteral("    %1: float = 0.0").arg(field())
               << QStringLiteral("    %1: float = 0.0").arg(field()) << QStringLiteral("    flagged: bool = False")
               << QStringLiteral("    tags: List[str] = field(default_factory=list)") << QString() << QString();
    }

    // One top-level function of 7 to 11 lines, then two blank lines.
    void function()
    {
        const QString item = noun();
        const QString type = capitalized(item);
        const QString value = field();
        const QString name = verb() + u'_' + item;
        switch (random_.bounded(5)) {
        case 0:
            lines_ << QStringLiteral("def %1s(%2s, threshold=%3):").arg(name, item).arg(number(1, 1000))
                   << QStringLiteral("    \"\"\"The %1s whose %2 is above the threshold.\"\"\"").arg(item, value)
                   << QStringLiteral("    result = []") << QStringLiteral("    for %1 in %1s:").arg(item)
                   << QStringLiteral("        if %1.%2 is None:").arg(item, value) << QStringLiteral("            continue")
                   << QStringLiteral("        if %1.%2 > threshold:").arg(item, value)
                   << QStringLiteral("            result.append(%1)").arg(item) << QStringLiteral("    return result");
            break;
        case 1:
            lines_ << QStringLiteral("def %1s_by_%2(%3s):").arg(name, value, item)
                   << QStringLiteral("    groups: Dict[str, List[%1]] = {}").arg(type)
                   << QStringLiteral("    for %1 in %1s:").arg(item)
                   << QStringLiteral("        key = str(%1.%2 // %3)").arg(item, value).arg(number(2, 100))
                   << QStringLiteral("        groups.setdefault(key, []).append(%1)").arg(item)
                   << QStringLiteral("    logger.debug(\"%d groups of %1s\", len(groups))").arg(item)
                   << QStringLiteral("    return {key: len(members) for key, members in groups.items()}");
            break;
        case 2:
            lines_ << QStringLiteral("def %1_file(path: str) -> List[%2]:").arg(name, type)
                   << QStringLiteral("    with open(path, \"r\", encoding=\"utf-8\") as handle:")
                   << QStringLiteral("        rows = json.load(handle)") << QStringLiteral("    %1s = []").arg(item)
                   << QStringLiteral("    for row in rows:")
                   << QStringLiteral("        %1s.append(%2(id=int(row[\"id\"]), %3=float(row.get(\"%3\", %4))))")
                          .arg(item, type, value).arg(number(0, 100))
                   << QStringLiteral("    logger.info(\"read %d %1s from %s\", len(%1s), path)").arg(item)
                   << QStringLiteral("    return %1s").arg(item);
            break;
        case 3:
            lines_ << QStringLiteral("def %1_score(%2, weight=%3.%4):").arg(name, item).arg(number(0, 5)).arg(number(1, 99))
                   << QStringLiteral("    base = math.log1p(max(%1.%2, 0))").arg(item, value)
                   << QStringLiteral("    penalty = %1 if %2.flagged else 0").arg(number(1, 50)).arg(item)
                   << QStringLiteral("    if \"%1\" in %2.tags:").arg(verb(), item)
                   << QStringLiteral("        penalty /= %1").arg(number(2, 9))
                   << QStringLiteral("    score = base * weight - penalty")
                   << QStringLiteral("    return round(score, %1)").arg(number(1, 5));
            break;
        default:
            lines_ << QStringLiteral("def %1_record(record: dict) -> Optional[%2]:").arg(name, type)
                   << QStringLiteral("    try:") << QStringLiteral("        value = float(record[\"%1\"])").arg(value)
                   << QStringLiteral("    except (KeyError, ValueError) as error:")
                   << QStringLiteral("        logger.warning(\"skipping %1 %s: %s\", record.get(\"id\"), error)").arg(item)
                   << QStringLiteral("        return None") << QStringLiteral("    if value < %1:").arg(number(0, 60))
                   << QStringLiteral("        value = DEFAULT_LIMIT")
                   << QStringLiteral("    return %1(id=int(record[\"id\"]), %2=value)").arg(type, value);
            break;
        }
        lines_ << QString() << QString();
    }

    void mainBlock()
    {
        lines_ << QStringLiteral("if __name__ == \"__main__\":") << QStringLiteral("    logging.basicConfig(level=logging.INFO)");
        while (lines_.size() < kFileLines - 1)
            lines_ << QStringLiteral("    print(%1_%2(%3))").arg(verb(), noun()).arg(number(1, 400));
        lines_ << QStringLiteral("    logger.info(\"done\")");
    }

    QRandomGenerator random_;
    int variant_;
    QStringList lines_;
};

// ---- what the window does after a keystroke --------------------------------------------------

// Watches the completion and the editor's paints after one keystroke: when ghost text was shown,
// when the paint that draws it ended, and the engine's account of the request.
class GhostProbe : public QObject {
    Q_OBJECT

public:
    GhostProbe(InlineCompletion& completion, const QElapsedTimer& clock) : clock_(clock)
    {
        connect(&completion, &InlineCompletion::ghostShown, this, [this](const QString& text) {
            if (!ghostMs) {
                ghostMs = now();
                ghost = text;
            }
            emit changed();
        });
        connect(&completion, &InlineCompletion::completionFinished, this, [this](const CompletionStats& finished) {
            stats = finished;
            // ghostShown comes in the same call as completionFinished, before or after it: one
            // turn of the event loop later the outcome is known.
            QMetaObject::invokeMethod(this, [this] { settled = true; emit changed(); }, Qt::QueuedConnection);
        });
        connect(&completion, &InlineCompletion::failed, this, [this](const QString& message) {
            failure = message;
            emit changed();
        });
    }

    void watch(CodeEditor* editor)
    {
        for (QObject* watched : std::as_const(watched_))
            if (watched)
                watched->removeEventFilter(this);
        watched_.clear();
        QWidget* widget = editor->widget();
        watched_ << widget;
        if (auto* area = qobject_cast<QAbstractScrollArea*>(widget))
            watched_ << area->viewport();
        for (QObject* watched : std::as_const(watched_))
            watched->installEventFilter(this);
    }

    // Before a keystroke: what came before it is forgotten.
    void arm()
    {
        ghostMs.reset();
        paintMs.reset();
        paintedMs.reset();
        stats.reset();
        settled = false;
        ghost.clear();
    }
    double now() const { return double(clock_.nsecsElapsed()) / 1e6; }

    bool onScreen() const { return paintedMs.has_value(); }
    bool emptyCompletion() const { return settled && !ghostMs; }

    std::optional<double> ghostMs;   // ghostShown
    std::optional<double> paintMs;   // the first paint of the editor after it began
    std::optional<double> paintedMs; // ... and ended (the event loop's next turn)
    std::optional<CompletionStats> stats;
    bool settled = false; // a completion finished and its ghost text, if any, is set
    QString ghost;
    QString failure;

signals:
    void changed();

protected:
    bool eventFilter(QObject* watched, QEvent* event) override
    {
        if (event->type() == QEvent::Paint && ghostMs && !paintMs) {
            paintMs = now();
            QMetaObject::invokeMethod(this, [this] { paintedMs = now(); emit changed(); }, Qt::QueuedConnection);
        }
        return QObject::eventFilter(watched, event);
    }

private:
    const QElapsedTimer& clock_;
    QList<QPointer<QObject>> watched_;
};

// Runs the event loop until done() holds (checked whenever sender emits signal) or timeoutMs pass.
template <typename Sender, typename Signal>
bool waitFor(const Sender* sender, Signal signal, const std::function<bool()>& done, int timeoutMs)
{
    if (done())
        return true;
    QEventLoop loop;
    QObject::connect(sender, signal, &loop, [&] {
        if (done())
            loop.quit();
    });
    QTimer::singleShot(timeoutMs, &loop, &QEventLoop::quit);
    loop.exec();
    return done();
}

void runEventsFor(int ms)
{
    QEventLoop loop;
    QTimer::singleShot(ms, &loop, &QEventLoop::quit);
    loop.exec();
}

// ---- samples and their statistics -----------------------------------------------------------

enum class Kind { Cold, Warm, TypedThrough };

const char* kindName(Kind kind)
{
    switch (kind) {
    case Kind::Cold: return "cold";
    case Kind::Warm: return "warm";
    case Kind::TypedThrough: return "typed_through";
    }
    return "";
}

struct Sample {
    Kind kind;
    double onScreenMs = 0; // keystroke to the end of the paint that shows the ghost text
    double ghostMs = 0;    // keystroke to ghostShown
    std::optional<CompletionStats> stats; // none for typed through
};

// Nearest rank: the smallest value with at least p of the values at or below it.
double percentile(std::vector<double> values, double p)
{
    if (values.empty())
        return std::nan("");
    std::sort(values.begin(), values.end());
    const size_t rank = size_t(std::ceil(p * double(values.size())));
    return values[std::clamp<size_t>(rank, 1, values.size()) - 1];
}

double median(std::vector<double> values)
{
    return percentile(std::move(values), 0.5);
}

struct Results {
    std::vector<Sample> samples;
    // Per kind (Kind as the index): keystrokes that were to make a request, those whose request
    // was lost, and completions that came back empty (no ghost text).
    int requestKeystrokes[2] = {0, 0};
    int lost[2] = {0, 0};
    int empty[2] = {0, 0};
    int typedThroughSkipped = 0; // ghosts whose next character could not be typed through (see below)
    // The first request after the load (its completion session is made then): the engine's
    // account, and the ghost on screen unless it came back empty.
    std::optional<CompletionStats> firstStats;
    std::optional<double> firstOnScreenMs;
    // responsiveness: timer gaps idle, while one completion runs alone, and from the first
    // keystroke to the completion after the chat answer (all of it, and during the answer only);
    // the chat scene's frame intervals and their synchronize-and-render times
    std::vector<double> idleGaps, completionGaps, gaps, answerGaps, frames, frameWork;
    int keystrokes = 0, answerTokens = 0, completionsFinished = 0;
    double answerTokensPerSecond = 0, answerSeconds = 0, phaseSeconds = 0;
    QString answerReason, lastCompletion;
    // the UI thread's work during the answer, the largest first: (what, its work)
    std::vector<std::pair<QString, TimedApplication::Work>> answerWork;
};

std::vector<double> valuesOf(const Results& results, Kind kind, double Sample::*member)
{
    std::vector<double> values;
    for (const Sample& sample : results.samples)
        if (sample.kind == kind)
            values.push_back(sample.*member);
    return values;
}

std::vector<double> statsOf(const Results& results, Kind kind, const std::function<double(const CompletionStats&)>& part)
{
    std::vector<double> values;
    for (const Sample& sample : results.samples)
        if (sample.kind == kind && sample.stats)
            values.push_back(part(*sample.stats));
    return values;
}

// The gaps between the firings of an 8 ms timer on the UI thread: how long the thread was kept
// from its event loop at a time (a gap of about 8 ms is no block at all).
class GapRecorder {
public:
    explicit GapRecorder(const GhostProbe& clock) : clock_(clock)
    {
        timer_.setTimerType(Qt::PreciseTimer);
        timer_.setInterval(8);
        QObject::connect(&timer_, &QTimer::timeout, &timer_, [this] {
            const double now = clock_.now();
            gaps_.emplace_back(now, now - last_);
            last_ = now;
        });
    }
    void start()
    {
        last_ = clock_.now();
        timer_.start();
    }
    void stop() { timer_.stop(); }
    // The gaps that ended in [from, to].
    std::vector<double> between(double from, double to) const
    {
        std::vector<double> gaps;
        for (const auto& [when, gap] : gaps_)
            if (when >= from && when <= to)
                gaps.push_back(gap);
        return gaps;
    }

private:
    const GhostProbe& clock_;
    QTimer timer_;
    std::vector<std::pair<double, double>> gaps_; // (when it ended, gap)
    double last_ = 0;
};

// ---- the benchmark --------------------------------------------------------------------------

// What the app's main() builds, on a database in a temporary folder.
struct App {
    explicit App(const QString& folder) : store(folder + QStringLiteral("/chat.sqlite3")) {}
    app::ChatStore store;
    app::ModelManager models{store};
    app::ChatController chat{store, models};
};

class Bench {
public:
    Bench(TimedApplication& application, App& app, ui::MainWindow& window, const Options& options, const QString& folder)
        : application_(application), app_(app), window_(window), options_(options), folder_(folder),
          probe_(*window.editorArea()->completion(), clock_)
    {
        clock_.start();
    }

    Results run()
    {
        warmUp();
        latencies();
        responsiveness();
        return std::move(results_);
    }

private:
    // What one keystroke brought.
    enum class Outcome {
        Shown, // ghost text on screen
        Empty, // the completion came back empty: nothing shown
        Lost,  // no request was made although one was due (see awaitOutcome)
        None,  // typed through: no repaint with the rest of the suggestion came (10 s)
    };

    ui::EditorPanel* panel() const { return window_.editorArea()->panel(); }
    const app::GhostText& ghostState() const { return window_.editorArea()->completion()->state(); }
    int debounceMs() const { return window_.editorArea()->completionModel()->debounceMs(); }

    // A new file (variant `variant`) in the editor, the cursor in place, the last one closed.
    CodeEditor* openVariant(int variant)
    {
        if (CodeEditor* old = panel()->currentEditor()) {
            old->setModified(false); // closes without asking
            panel()->closeEditor(old);
        }
        int cursor = 0;
        const QString text = PythonSource(variant).build(&cursor, &continuation_);
        typedFromContinuation_ = 0;
        const QString path = QStringLiteral("%1/records_%2.py").arg(folder_).arg(variant);
        QFile file(path);
        if (!file.open(QIODevice::WriteOnly) || file.write(text.toUtf8()) < 0)
            qFatal("bench_completion: cannot write %s", qPrintable(path));
        file.close();
        CodeEditor* editor = panel()->openFile(path);
        if (!editor)
            qFatal("bench_completion: the editor did not open %s", qPrintable(path));
        editor->focus();
        editor->setCursorOffset(cursor);
        probe_.watch(editor);
        // Opening, focusing and placing the cursor ask for nothing; make sure before timing.
        probe_.arm();
        runEventsFor(debounceMs() + 200);
        if (probe_.stats || probe_.ghostMs)
            progress(QStringLiteral("warning: a completion ran after opening file %1 (its cold sample may be warm)").arg(variant));
        return editor;
    }

    QWidget* keyTarget(CodeEditor* editor) const
    {
        QWidget* focus = QApplication::focusWidget();
        if (!focus || (focus != editor->widget() && !editor->widget()->isAncestorOf(focus)))
            qFatal("bench_completion: the editor does not have the keyboard focus (%s has it)",
                   focus ? focus->metaObject()->className() : "nothing");
        return focus;
    }

    // The next character of what a person writes on the line, unless the suggestion starts with it.
    char nextCharacter(const QString& suggestion)
    {
        char typed = continuation_.at(typedFromContinuation_ % continuation_.size()).toLatin1();
        ++typedFromContinuation_;
        if (!suggestion.isEmpty() && suggestion.front() == QLatin1Char(typed))
            typed = suggestion.front() == QLatin1Char('q') ? 'z' : 'q';
        return typed;
    }

    // After a keystroke (probe armed before it): waits for the ghost text on screen or an empty
    // completion. With checkLost, debounce + 300 ms after the keystroke a request must be in
    // flight: when one is still due instead, the request timer fired before the due millisecond
    // and GhostText::startRequest refused it (a coarse QTimer may fire up to 5% early), and
    // nothing asks again until the next keystroke: the request is lost.
    Outcome awaitOutcome(bool checkLost, int timeoutMs)
    {
        bool lost = false;
        QTimer lostCheck;
        lostCheck.setSingleShot(true);
        QObject::connect(&lostCheck, &QTimer::timeout, &probe_, [&] {
            lost = !probe_.onScreen() && !probe_.settled && !ghostState().requestInFlight() && ghostState().requestDueAt();
            emit probe_.changed();
        });
        if (checkLost)
            lostCheck.start(debounceMs() + 300);
        const bool ended = waitFor(&probe_, &GhostProbe::changed, [&] {
            return lost || probe_.onScreen() || probe_.emptyCompletion() || !probe_.failure.isEmpty();
        }, timeoutMs);
        if (!probe_.failure.isEmpty())
            qFatal("bench_completion: the completion failed: %s", qPrintable(probe_.failure));
        if (!ended && !checkLost)
            return Outcome::None;
        if (!ended)
            qFatal("bench_completion: no ghost text and no completion %d s after a keystroke (request in flight %d, "
                   "due %d)", timeoutMs / 1000, ghostState().requestInFlight().has_value(),
                   ghostState().requestDueAt().has_value());
        if (probe_.onScreen() && !probe_.settled && probe_.stats) // the paint came before the settling turn
            waitFor(&probe_, &GhostProbe::changed, [this] { return probe_.settled; }, 10000);
        return lost ? Outcome::Lost : probe_.onScreen() ? Outcome::Shown : Outcome::Empty;
    }

    // Types one character and waits for what it brings; a sample when ghost text came on screen.
    // counted: the keystroke counts in the results (not the warm-up's, not a cold sample's beyond N).
    std::pair<Outcome, std::optional<Sample>> keystroke(CodeEditor* editor, char typed, Kind kind, bool counted)
    {
        QWidget* target = keyTarget(editor);
        probe_.arm();
        const double start = probe_.now();
        QTest::keyClick(target, typed);
        const bool request = kind != Kind::TypedThrough;
        const Outcome outcome = awaitOutcome(request, request ? kRequestTimeoutMs : 10000);
        if (counted && request) {
            ++results_.requestKeystrokes[int(kind)];
            results_.lost[int(kind)] += outcome == Outcome::Lost;
        }
        if (outcome != Outcome::Shown)
            return {outcome, std::nullopt};
        // The ghost text shows the completion's first part; the sample waits for the rest, so
        // that it has the engine's account and the next keystroke starts from a quiet engine.
        if (request && !probe_.stats)
            waitFor(&probe_, &GhostProbe::changed, [this] { return probe_.stats.has_value(); }, kRequestTimeoutMs);
        if (request && !probe_.stats)
            qFatal("bench_completion: ghost text, but its completion never ended");
        return {outcome, Sample{kind, *probe_.paintedMs - start, *probe_.ghostMs - start, probe_.stats}};
    }

    // Types until a keystroke makes a request (a lost one is counted, then another key is typed):
    // its ghost text on screen, or an empty completion.
    std::pair<Outcome, std::optional<Sample>> requestKeystroke(CodeEditor* editor, Kind kind, bool counted)
    {
        for (int tries = 0; tries < kMaxLostInARow; ++tries) {
            auto result = keystroke(editor, nextCharacter(editor->ghostText()), kind, counted);
            if (result.first != Outcome::Lost)
                return result;
        }
        qFatal("bench_completion: %d keystrokes in a row made no completion request", kMaxLostInARow);
    }

    // Typing through needs a suggestion of two characters at least (typing the last one uses it
    // up, which asks for a new one) whose next one a key types as such (printable ASCII).
    static bool canTypeThrough(const QString& suggestion)
    {
        if (suggestion.size() < 2)
            return false;
        const QChar next = suggestion.front();
        return next.unicode() >= 0x20 && next.unicode() < 0x7f;
    }

    int count(Kind kind) const
    {
        return int(std::count_if(results_.samples.begin(), results_.samples.end(),
                                 [kind](const Sample& sample) { return sample.kind == kind; }));
    }

    void maybeTypeThrough(CodeEditor* editor)
    {
        if (count(Kind::TypedThrough) >= options_.samples || editor->ghostText().isEmpty())
            return;
        const QString suggestion = editor->ghostText();
        if (!canTypeThrough(suggestion)) {
            ++results_.typedThroughSkipped;
            return;
        }
        const auto [outcome, sample] = keystroke(editor, suggestion.front().toLatin1(), Kind::TypedThrough, true);
        if (sample)
            results_.samples.push_back(*sample);
        else
            ++results_.typedThroughSkipped;
    }

    // The first request after the load makes the completion session (its cache): timed apart.
    void warmUp()
    {
        progress(QStringLiteral("first request after the load (not counted in the samples)"));
        CodeEditor* editor = openVariant(100000);
        const auto [outcome, sample] = requestKeystroke(editor, Kind::Cold, false);
        results_.firstStats = probe_.stats;
        if (sample)
            results_.firstOnScreenMs = sample->onScreenMs;
    }

    void latencies()
    {
        for (int variant = 0; count(Kind::Cold) < options_.samples || count(Kind::Warm) < options_.samples; ++variant) {
            if (variant >= 4 * options_.samples) {
                progress(QStringLiteral("stopping after %1 files: too many empty completions").arg(variant));
                break;
            }
            CodeEditor* editor = openVariant(variant);
            // A lost request leaves the cache cold: the next keystroke is a cold sample still. Once
            // there are enough, the keystroke that fills this file's cache is not counted.
            const bool wantCold = count(Kind::Cold) < options_.samples;
            const auto [outcome, sample] = requestKeystroke(editor, Kind::Cold, wantCold);
            if (wantCold && sample)
                results_.samples.push_back(*sample);
            else if (wantCold)
                ++results_.empty[int(Kind::Cold)];
            maybeTypeThrough(editor);
            for (int tries = 0; tries < kMaxWarmTries && count(Kind::Warm) < options_.samples; ++tries) {
                const auto [warmOutcome, warm] = requestKeystroke(editor, Kind::Warm, true);
                if (warm) {
                    results_.samples.push_back(*warm);
                    maybeTypeThrough(editor);
                    break;
                }
                ++results_.empty[int(Kind::Warm)];
            }
            progress(QStringLiteral("file %1: %2 cold, %3 warm, %4 typed through; empty: %5 cold, %6 warm; "
                                    "lost requests: %7 cold, %8 warm")
                         .arg(variant + 1).arg(count(Kind::Cold)).arg(count(Kind::Warm)).arg(count(Kind::TypedThrough))
                         .arg(results_.empty[int(Kind::Cold)]).arg(results_.empty[int(Kind::Warm)])
                         .arg(results_.lost[int(Kind::Cold)]).arg(results_.lost[int(Kind::Warm)]));
        }
    }

    // The UI thread's timer gaps with nothing running, then while one completion runs alone
    // (what the engine's threads cost the UI thread on shared cores), then while a chat answer
    // streams and keystrokes ask for completions, with the chat scene's frames.
    void responsiveness()
    {
        progress(QStringLiteral("responsiveness: idle, a completion alone, a chat answer and completions together"));
        GapRecorder recorder(probe_);
        CodeEditor* editor = openVariant(200000);
        double from = probe_.now();
        recorder.start();
        runEventsFor(2000);
        results_.idleGaps = recorder.between(from, probe_.now());
        from = probe_.now();
        requestKeystroke(editor, Kind::Cold, false);
        results_.completionGaps = recorder.between(from, probe_.now());
        recorder.stop();
        answerWithCompletions(recorder);
    }

    void answerWithCompletions(GapRecorder& recorder)
    {
        CodeEditor* editor = openVariant(200001);
        app_.models.setMaxTokens(256);
        double lastFrame = -1, frameStart = -1;
        QQuickWindow* scene = window_.chatView()->quickWindow();
        const QMetaObject::Connection syncing = QObject::connect(scene, &QQuickWindow::beforeSynchronizing, scene,
                                                                 [&] { frameStart = probe_.now(); }, Qt::DirectConnection);
        const QMetaObject::Connection frames = QObject::connect(scene, &QQuickWindow::afterRendering, scene, [&] {
            const double now = probe_.now();
            if (lastFrame >= 0)
                results_.frames.push_back(now - lastFrame);
            if (frameStart >= 0)
                results_.frameWork.push_back(now - frameStart);
            lastFrame = now;
            frameStart = -1;
        }, Qt::DirectConnection);
        double answerStart = -1, answerEnd = -1;
        QObject context;
        QObject::connect(app_.models.worker(), &app::EngineWorker::answerStarted, &context, [&] {
            answerStart = probe_.now();
            application_.setRecording(true);
        });
        QObject::connect(app_.models.worker(), &app::EngineWorker::finished, &context,
                         [&](qint64, const QString& reason, const app::AnswerStats& stats) {
                             answerEnd = probe_.now();
                             application_.setRecording(false);
                             results_.answerReason = reason;
                             results_.answerTokens = stats.generatedTokens;
                             results_.answerTokensPerSecond = stats.tokensPerSecond;
                         });
        int completions = 0;
        QObject::connect(window_.editorArea()->completion(), &InlineCompletion::completionFinished, &context,
                         [&] { ++completions; });

        const double phaseStart = probe_.now();
        recorder.start();
        QWidget* target = keyTarget(editor);
        const auto type = [&] {
            QTest::keyClick(target, nextCharacter(editor->ghostText()));
            ++results_.keystrokes;
        };
        // A completion is in flight (its debounce over, its prompt being evaluated) when the chat
        // question is sent; a keystroke whose request was lost is followed by another.
        for (int tries = 0; tries < kMaxLostInARow && !ghostState().requestInFlight(); ++tries) {
            type();
            runEventsFor(debounceMs() + 150);
        }
        app_.chat.send(QStringLiteral("Explain in detail, step by step and with several code examples, how a hash "
                                      "table in Python handles collisions, resizing and deletion."));
        QTimer keys;
        keys.setInterval(400);
        QObject::connect(&keys, &QTimer::timeout, &keys, [&] {
            if (app_.chat.generating() && results_.keystrokes < 12)
                type();
        });
        keys.start();
        if (!waitFor(app_.models.worker(), &app::EngineWorker::finished, [&] { return answerEnd >= 0; }, kRequestTimeoutMs))
            qFatal("bench_completion: the chat answer did not end in %d s", kRequestTimeoutMs / 1000);
        keys.stop();
        // The completion asked for during the answer runs after it (unless its request was lost).
        probe_.arm();
        const Outcome last = awaitOutcome(true, kRequestTimeoutMs);
        results_.lastCompletion = last == Outcome::Lost    ? QStringLiteral("lost")
                                  : last == Outcome::Empty ? QStringLiteral("empty")
                                                           : QStringLiteral("on screen %1 ms after the answer ended")
                                                                 .arg(*probe_.paintedMs - answerEnd, 0, 'f', 0);
        runEventsFor(300);
        recorder.stop();
        QObject::disconnect(syncing);
        QObject::disconnect(frames);
        const double phaseEnd = probe_.now();
        results_.phaseSeconds = (phaseEnd - phaseStart) / 1000;
        results_.answerSeconds = answerStart >= 0 ? (answerEnd - answerStart) / 1000 : 0;
        results_.completionsFinished = completions;
        results_.gaps = recorder.between(phaseStart, phaseEnd);
        results_.answerGaps = recorder.between(answerStart, answerEnd);
        for (const auto& [what, work] : application_.work())
            results_.answerWork.emplace_back(what, work);
        std::sort(results_.answerWork.begin(), results_.answerWork.end(),
                  [](const auto& a, const auto& b) { return a.second.totalMs > b.second.totalMs; });
    }

    TimedApplication& application_;
    App& app_;
    ui::MainWindow& window_;
    const Options& options_;
    QString folder_;
    QElapsedTimer clock_;
    GhostProbe probe_;
    Results results_;
    QString continuation_;
    int typedFromContinuation_ = 0;
};

// ---- output ---------------------------------------------------------------------------------

QString formatMs(double value)
{
    return std::isnan(value) ? QStringLiteral("-") : QString::number(value, 'f', 1);
}

QJsonObject latencyJson(const Results& results, Kind kind)
{
    const std::vector<double> onScreen = valuesOf(results, kind, &Sample::onScreenMs);
    QJsonObject object{{"n", int(onScreen.size())},
                       {"p50_ms", percentile(onScreen, 0.5)},
                       {"p95_ms", percentile(onScreen, 0.95)},
                       {"max_ms", percentile(onScreen, 1.0)},
                       {"to_ghost_shown_p50_ms", median(valuesOf(results, kind, &Sample::ghostMs))}};
    if (kind != Kind::TypedThrough) {
        object[QStringLiteral("empty")] = results.empty[int(kind)];
        object[QStringLiteral("request_keystrokes")] = results.requestKeystrokes[int(kind)];
        object[QStringLiteral("lost_requests")] = results.lost[int(kind)];
        object[QStringLiteral("engine_medians")] = QJsonObject{
            {"prompt_tokens", median(statsOf(results, kind, [](const CompletionStats& s) { return s.promptTokens; }))},
            {"evaluated_tokens", median(statsOf(results, kind, [](const CompletionStats& s) { return s.evaluatedTokens; }))},
            {"generated_tokens", median(statsOf(results, kind, [](const CompletionStats& s) { return s.generatedTokens; }))},
            {"seconds", median(statsOf(results, kind, [](const CompletionStats& s) { return s.seconds; }))}};
    }
    return object;
}

QJsonObject distributionJson(const std::vector<double>& values)
{
    return {{"n", int(values.size())}, {"p50_ms", percentile(values, 0.5)}, {"p99_ms", percentile(values, 0.99)},
            {"max_ms", percentile(values, 1.0)}};
}

QJsonObject statsJson(const CompletionStats& stats)
{
    return {{"prompt", stats.promptTokens}, {"evaluated", stats.evaluatedTokens},
            {"generated", stats.generatedTokens}, {"seconds", stats.seconds}};
}

constexpr size_t kWorkRows = 6;

QJsonArray uiWorkJson(const Results& results)
{
    QJsonArray rows;
    for (size_t i = 0; i < std::min(kWorkRows, results.answerWork.size()); ++i) {
        const auto& [what, work] = results.answerWork[i];
        rows.append(QJsonObject{{"what", what}, {"count", work.count}, {"total_ms", work.totalMs}, {"max_ms", work.maxMs}});
    }
    return rows;
}

void printJson(const Results& results, const QJsonObject& setup)
{
    QJsonObject root = setup;
    root[QStringLiteral("cold")] = latencyJson(results, Kind::Cold);
    root[QStringLiteral("warm")] = latencyJson(results, Kind::Warm);
    root[QStringLiteral("typed_through")] = latencyJson(results, Kind::TypedThrough);
    if (results.firstStats) {
        QJsonObject first{{"engine", statsJson(*results.firstStats)}};
        if (results.firstOnScreenMs)
            first[QStringLiteral("on_screen_ms")] = *results.firstOnScreenMs;
        root[QStringLiteral("first_request")] = first;
    }
    root[QStringLiteral("responsiveness")] = QJsonObject{
        {"timer_gap_idle", distributionJson(results.idleGaps)},
        {"timer_gap_completion_alone", distributionJson(results.completionGaps)},
        {"timer_gap", distributionJson(results.gaps)},
        {"timer_gap_during_answer", distributionJson(results.answerGaps)},
        {"chat_frame_interval", distributionJson(results.frames)},
        {"chat_frame_sync_render", distributionJson(results.frameWork)},
        {"ui_work_during_answer", uiWorkJson(results)},
        {"answer_tokens", results.answerTokens},
        {"answer_tokens_per_second", results.answerTokensPerSecond},
        {"answer_seconds", results.answerSeconds},
        {"answer_end", results.answerReason},
        {"keystrokes", results.keystrokes},
        {"completions_finished", results.completionsFinished},
        {"last_completion", results.lastCompletion},
        {"phase_seconds", results.phaseSeconds}};
    QJsonArray samples;
    for (const Sample& sample : results.samples) {
        QJsonObject object{{"kind", kindName(sample.kind)}, {"on_screen_ms", sample.onScreenMs}, {"ghost_ms", sample.ghostMs}};
        if (sample.stats)
            object[QStringLiteral("engine")] = statsJson(*sample.stats);
        samples.append(object);
    }
    root[QStringLiteral("samples")] = samples;
    std::printf("%s\n", QJsonDocument(root).toJson(QJsonDocument::Compact).constData());
}

void printRow(const char* name, const std::vector<double>& values, double high)
{
    std::printf("%-46s %4zu %9s %9s %9s\n", name, values.size(), qPrintable(formatMs(percentile(values, 0.5))),
                qPrintable(formatMs(percentile(values, high))), qPrintable(formatMs(percentile(values, 1.0))));
}

void printEngineRow(const char* name, const Results& results, Kind kind)
{
    const auto medianOf = [&](const std::function<double(const CompletionStats&)>& part, int decimals) {
        const double value = median(statsOf(results, kind, part));
        return std::isnan(value) ? QStringLiteral("-") : QString::number(value, 'f', decimals);
    };
    std::printf("%-22s %6s %9s %9s %9s\n", name, qPrintable(medianOf([](const CompletionStats& s) { return s.promptTokens; }, 0)),
                qPrintable(medianOf([](const CompletionStats& s) { return s.evaluatedTokens; }, 0)),
                qPrintable(medianOf([](const CompletionStats& s) { return s.generatedTokens; }, 0)),
                qPrintable(medianOf([](const CompletionStats& s) { return s.seconds; }, 3)));
}

void printTable(const Results& results, const QJsonObject& setup)
{
    std::printf("model %s (%s), backend %s, threads %s, debounce %d ms\n", qPrintable(setup["model"].toString()),
                qPrintable(setup["quantization"].toString()), qPrintable(setup["backend"].toString()),
                qPrintable(setup["threads"].toString()), setup["debounce_ms"].toInt());
    std::printf("a %d-line Python file, the cursor at the end of line %d; ghost on screen = the end of the\n"
                "editor's first paint after the first ghostShown (the completion's first part; it grows after)\n\n",
                kFileLines, kCursorLine + 1);
    std::printf("%-46s %4s %9s %9s %9s\n", "keystroke to ghost text (ms)", "n", "p50", "p95", "max");
    printRow("cold (nothing of the file cached): on screen", valuesOf(results, Kind::Cold, &Sample::onScreenMs), 0.95);
    printRow("  to ghostShown", valuesOf(results, Kind::Cold, &Sample::ghostMs), 0.95);
    printRow("warm (next keystroke, same line): on screen", valuesOf(results, Kind::Warm, &Sample::onScreenMs), 0.95);
    printRow("  to ghostShown", valuesOf(results, Kind::Warm, &Sample::ghostMs), 0.95);
    printRow("typed through (no request): on screen", valuesOf(results, Kind::TypedThrough, &Sample::onScreenMs), 0.95);
    std::printf("empty completions (no ghost text; not in the rows above): cold %d, warm %d\n",
                results.empty[int(Kind::Cold)], results.empty[int(Kind::Warm)]);
    std::printf("lost requests (the request timer fired early and no request was made; another key was typed):\n"
                "  cold %d of %d keystrokes, warm %d of %d\n",
                results.lost[int(Kind::Cold)], results.requestKeystrokes[int(Kind::Cold)], results.lost[int(Kind::Warm)],
                results.requestKeystrokes[int(Kind::Warm)]);
    if (results.typedThroughSkipped)
        std::printf("ghosts not typed through (under 2 characters, not ASCII next, or no repaint): %d\n",
                    results.typedThroughSkipped);
    if (results.firstStats)
        std::printf("first request after the load (makes the session; not counted): on screen %s ms, engine %.3f s\n",
                    results.firstOnScreenMs ? qPrintable(formatMs(*results.firstOnScreenMs)) : "- (empty)",
                    results.firstStats->seconds);

    std::printf("\n%-22s %6s %9s %9s %9s\n", "engine, medians", "prompt", "evaluated", "generated", "seconds");
    printEngineRow("cold", results, Kind::Cold);
    printEngineRow("warm", results, Kind::Warm);

    std::printf("\nresponsiveness: a chat answer (%d tokens, %.1f tokens/s, %.1f s, ended: %s) with %d keystrokes\n"
                "asking for completions (%d finished; the one after the answer: %s), %.1f s in all\n",
                results.answerTokens, results.answerTokensPerSecond, results.answerSeconds,
                qPrintable(results.answerReason), results.keystrokes, results.completionsFinished,
                qPrintable(results.lastCompletion), results.phaseSeconds);
    std::printf("%-46s %4s %9s %9s %9s\n", "(ms)", "n", "p50", "p99", "max");
    printRow("UI thread, 8 ms timer gap: idle (2 s)", results.idleGaps, 0.99);
    printRow("  while one completion runs alone", results.completionGaps, 0.99);
    printRow("  answer + completions, whole phase", results.gaps, 0.99);
    printRow("  answer + completions, during the answer", results.answerGaps, 0.99);
    printRow("chat scene: interval between frames", results.frames, 0.99);
    printRow("chat scene: synchronize + render a frame", results.frameWork, 0.99);
    std::printf("(the longest timer gap is the UI thread's longest block; frame intervals include waiting\n"
                " for the next batch of the answer, not only drawing)\n");
    std::printf("\nthe UI thread's work during the answer (%.1f s), by event and receiver, the largest first:\n",
                results.answerSeconds);
    std::printf("%-66s %6s %9s %8s\n", "event to receiver", "count", "total ms", "max ms");
    for (size_t i = 0; i < std::min(kWorkRows, results.answerWork.size()); ++i) {
        const auto& [what, work] = results.answerWork[i];
        std::printf("%-66s %6d %9.1f %8.1f\n", qPrintable(what.left(66)), work.count, work.totalMs, work.maxMs);
    }
}

} // namespace

int main(int argc, char** argv)
{
    TimedApplication app(argc, argv);
    QApplication::setOrganizationName(QStringLiteral("LatentBench"));
    QApplication::setApplicationName(QStringLiteral("bench_completion"));
    const std::optional<Options> options = parseOptions(app);
    if (!options)
        return 2;
    if (!QFileInfo(options->model).isFile()) {
        std::fprintf(stderr, "bench_completion: no model file %s\n", qPrintable(options->model));
        return 2;
    }

    // Settings of this run only, in the temporary folder: the user's are never read or written.
    QTemporaryDir folder;
    QStandardPaths::setTestModeEnabled(true);
    for (const QSettings::Format format : {QSettings::NativeFormat, QSettings::IniFormat})
        QSettings::setPath(format, QSettings::UserScope, folder.filePath(QStringLiteral("settings")));
    {
        QSettings settings;
        settings.clear();
        settings.setValue(QStringLiteral("ui/language"), QStringLiteral("en"));
    }

    App latent(folder.path());
    latent.models.setBackend(options->backend);
    latent.models.setThreads(options->threads);
    progress(QStringLiteral("loading %1").arg(options->model));
    latent.models.loadModel(options->model);
    waitFor(&latent.models, &app::ModelManager::stateChanged,
            [&] { return latent.models.state() != app::ModelManager::State::Loading; }, 600000);
    if (latent.models.state() != app::ModelManager::State::Ready) {
        std::fprintf(stderr, "bench_completion: %s\n", qPrintable(latent.models.errorMessage()));
        return 1;
    }

    ui::MainWindow window(latent.chat, latent.models);
    window.resize(1200, 760);
    window.show();
    if (!QTest::qWaitForWindowExposed(&window))
        qFatal("bench_completion: the window was never exposed (run it on an X server: xvfb-run)");
    window.activateWindow(); // Xvfb runs no window manager to do it
    if (!QTest::qWaitForWindowActive(&window))
        qFatal("bench_completion: the window did not become active");
    app::CompletionModel* completionModel = window.editorArea()->completionModel();
    if (!waitFor(completionModel, &app::CompletionModel::changed, [&] { return completionModel->available(); }, 60000))
        qFatal("bench_completion: completion is not available with this model: %s", qPrintable(completionModel->note()));
    completionModel->setDebounceMs(options->debounceMs);

    const QVariantMap facts = latent.models.modelFacts();
    const QJsonObject setup{
        {"model", QFileInfo(options->model).fileName()},
        {"quantization", facts.value(QStringLiteral("quantization")).toString()},
        {"backend", facts.value(QStringLiteral("backend")).toString()},
        {"threads", options->threads ? QString::number(options->threads) : QStringLiteral("default")},
        {"debounce_ms", completionModel->debounceMs()},
        {"file_lines", kFileLines},
        {"cursor_line", kCursorLine + 1},
        {"samples", options->samples}};

    Bench bench(app, latent, window, *options, folder.path());
    const Results results = bench.run();
    if (options->json)
        printJson(results, setup);
    else
        printTable(results, setup);
    return 0;
}

#include "bench_completion.moc"
