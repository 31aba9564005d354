// The ghost-text state machine (app/coding/ghost_text.h), driven with a clock of our own: the
// debounce, requests and stale answers, accepting all or a word, dismissing, typing through a
// suggestion, and what cancels and what schedules.

#include "app/coding/ghost_text.h"

#include <QTest>

using namespace latent::app;

namespace {

// A state machine with "return a + b" shown at offset 100, from a request made at time 1000.
struct Shown {
    GhostText ghost;
    quint64 request = 0;

    explicit Shown(const QString& suggestion = QStringLiteral("return a + b"))
    {
        ghost.onTyped(QStringLiteral("x"), 100, 750);
        request = ghost.startRequest(1000).value();
        ghost.onCompletion(request, suggestion);
    }
};

} // namespace

class GhostTextTest : public QObject {
    Q_OBJECT

private slots:
    void typingThenAPauseMakesARequestDue()
    {
        GhostText ghost;
        QCOMPARE(ghost.debounceMs(), 250);
        const GhostEffects typed = ghost.onTyped(QStringLiteral("i"), 1, 1000);
        QCOMPARE(typed.requestDueAt, std::optional<qint64>(1250));
        QVERIFY(!typed.cancelInFlight);
        QVERIFY(!typed.suggestionChanged);
        QVERIFY(!ghost.startRequest(1249)); // not yet
        // Typing again before the pause restarts it.
        QCOMPARE(ghost.onTyped(QStringLiteral("f"), 2, 1200).requestDueAt, std::optional<qint64>(1450));
        QVERIFY(!ghost.startRequest(1300));
        QVERIFY(!ghost.startRequest(1449));
        const std::optional<quint64> request = ghost.startRequest(1450);
        QVERIFY(request);
        QCOMPARE(ghost.requestInFlight(), request);
        QVERIFY(!ghost.requestDueAt());
        QVERIFY(!ghost.startRequest(2000)); // one request per pause
        // A later pause makes a new, different request.
        ghost.onTyped(QStringLiteral(" "), 3, 2100);
        const std::optional<quint64> next = ghost.startRequest(2350);
        QVERIFY(next && *next != *request);
    }

    void partsOfACompletionShowWhileItIsInFlight()
    {
        GhostText ghost;
        ghost.onTyped(QStringLiteral("x"), 100, 0);
        const quint64 request = ghost.startRequest(250).value();
        QVERIFY(ghost.onPartialCompletion(request, QStringLiteral("ret")).suggestionChanged);
        QCOMPARE(ghost.suggestion(), QStringLiteral("ret"));
        QCOMPARE(ghost.requestInFlight(), std::optional<quint64>(request)); // still coming
        ghost.onPartialCompletion(request, QStringLiteral("return a"));
        QCOMPARE(ghost.suggestion(), QStringLiteral("return a"));

        // Typing through a part keeps the request: later parts lose what was typed.
        const GhostEffects typed = ghost.onTyped(QStringLiteral("re"), 102, 300);
        QVERIFY(!typed.cancelInFlight);
        QVERIFY(!typed.requestDueAt);
        QCOMPARE(ghost.suggestion(), QStringLiteral("turn a"));
        ghost.onPartialCompletion(request, QStringLiteral("return a +"));
        QCOMPARE(ghost.suggestion(), QStringLiteral("turn a +"));
        // Typing all of what is shown still waits for the rest.
        QVERIFY(!ghost.onTyped(QStringLiteral("turn a +"), 110, 320).requestDueAt);
        QCOMPARE(ghost.suggestion(), QString());
        QVERIFY(ghost.requestInFlight());
        ghost.onCompletion(request, QStringLiteral("return a + b"));
        QCOMPARE(ghost.suggestion(), QStringLiteral(" b"));
        QVERIFY(!ghost.requestInFlight());

        // A stale part is ignored.
        QVERIFY(!ghost.onPartialCompletion(request, QStringLiteral("return x")).suggestionChanged);
        QCOMPARE(ghost.suggestion(), QStringLiteral(" b"));
    }

    void acceptingAPartWaitsForTheRest()
    {
        GhostText ghost;
        ghost.onTyped(QStringLiteral("x"), 100, 0);
        const quint64 request = ghost.startRequest(250).value();
        ghost.onPartialCompletion(request, QStringLiteral("return a"));
        const GhostEffects word = ghost.acceptWord(300);
        QCOMPARE(word.insert, QStringLiteral("return"));
        QVERIFY(!word.requestDueAt);
        const GhostEffects all = ghost.acceptAll(310);
        QCOMPARE(all.insert, QStringLiteral(" a"));
        QVERIFY(!all.requestDueAt); // the rest is still coming
        QVERIFY(ghost.requestInFlight());
        ghost.onCompletion(request, QStringLiteral("return a + b"));
        QCOMPARE(ghost.suggestion(), QStringLiteral(" + b")); // not what was inserted again
    }

    void aPartThatNoLongerMatchesWhatWasTypedEndsTheRequest()
    {
        GhostText ghost;
        ghost.onTyped(QStringLiteral("x"), 100, 0);
        const quint64 request = ghost.startRequest(250).value();
        ghost.onPartialCompletion(request, QStringLiteral("return"));
        ghost.onTyped(QStringLiteral("ret"), 103, 300);
        const GhostEffects other = ghost.onPartialCompletion(request, QStringLiteral("result"));
        QVERIFY(other.cancelInFlight);
        QCOMPARE(ghost.suggestion(), QString());
        QVERIFY(!ghost.requestInFlight());
    }

    void askingNowDropsWhatIsShownAndIsDueAtOnce()
    {
        Shown shown;
        const GhostEffects effects = shown.ghost.requestNow(120, 5000);
        QVERIFY(effects.suggestionChanged);
        QCOMPARE(shown.ghost.suggestion(), QString());
        QCOMPARE(effects.requestDueAt, std::optional<qint64>(5000));
        const std::optional<quint64> request = shown.ghost.startRequest(5000);
        QVERIFY(request && *request != shown.request);
        // In flight: asking again cancels it.
        QVERIFY(shown.ghost.requestNow(120, 5001).cancelInFlight);
        GhostText off;
        off.setEnabled(false);
        QVERIFY(!off.requestNow(0, 10).requestDueAt);
    }

    void debounceIsSettable()
    {
        GhostText ghost;
        ghost.setDebounceMs(600);
        QCOMPARE(ghost.onEdited(5, 100).requestDueAt, std::optional<qint64>(700));
        QVERIFY(!ghost.startRequest(699));
        QVERIFY(ghost.startRequest(700));
    }

    void completionIsShown()
    {
        GhostText ghost;
        ghost.onTyped(QStringLiteral("x"), 100, 0);
        const quint64 request = ghost.startRequest(250).value();
        const GhostEffects shown = ghost.onCompletion(request, QStringLiteral("return a + b"));
        QVERIFY(shown.suggestionChanged);
        QCOMPARE(ghost.suggestion(), QStringLiteral("return a + b"));
        QVERIFY(!ghost.requestInFlight());
    }

    void emptyCompletionEndsTheRequestAndShowsNothing()
    {
        GhostText ghost;
        ghost.onTyped(QStringLiteral("x"), 100, 0);
        const quint64 request = ghost.startRequest(250).value();
        const GhostEffects effects = ghost.onCompletion(request, QString());
        QVERIFY(!effects.suggestionChanged);
        QVERIFY(ghost.suggestion().isEmpty());
        QVERIFY(!ghost.requestInFlight());
    }

    void staleCompletionsAreIgnored()
    {
        GhostText ghost;
        ghost.onTyped(QStringLiteral("a"), 1, 0);
        const quint64 first = ghost.startRequest(250).value();
        // Typing cancels the request in flight at once and schedules another.
        const GhostEffects typed = ghost.onTyped(QStringLiteral("b"), 2, 300);
        QVERIFY(typed.cancelInFlight);
        QCOMPARE(typed.requestDueAt, std::optional<qint64>(550));
        QVERIFY(!ghost.requestInFlight());
        // The first request's answer arrives late: ignored.
        const GhostEffects late = ghost.onCompletion(first, QStringLiteral("stale"));
        QVERIFY(!late.suggestionChanged);
        QVERIFY(ghost.suggestion().isEmpty());
        const quint64 second = ghost.startRequest(550).value();
        QVERIFY(ghost.onCompletion(first, QStringLiteral("stale")).insert.isEmpty());
        QVERIFY(ghost.suggestion().isEmpty());
        QCOMPARE(ghost.requestInFlight(), std::optional<quint64>(second));
        QVERIFY(ghost.onCompletion(second, QStringLiteral("fresh")).suggestionChanged);
        QCOMPARE(ghost.suggestion(), QStringLiteral("fresh"));
        // An answer to a request already answered is ignored too.
        QVERIFY(!ghost.onCompletion(second, QStringLiteral("again")).suggestionChanged);
        QCOMPARE(ghost.suggestion(), QStringLiteral("fresh"));
    }

    void acceptAllInsertsTheSuggestion()
    {
        Shown shown;
        const GhostEffects accepted = shown.ghost.acceptAll(2000);
        QCOMPARE(accepted.insert, QStringLiteral("return a + b"));
        QVERIFY(accepted.suggestionChanged);
        QVERIFY(shown.ghost.suggestion().isEmpty());
        // Used up: the next suggestion is due after a pause, as after typing.
        QCOMPARE(accepted.requestDueAt, std::optional<qint64>(2250));
        // The move the insertion makes is recognized, not taken for a move elsewhere.
        const GhostEffects moved = shown.ghost.onCursorMoved(100 + 12);
        QVERIFY(!moved.suggestionChanged && !moved.cancelInFlight);
        QCOMPARE(shown.ghost.requestDueAt(), std::optional<qint64>(2250));
        // Nothing shown: nothing to accept.
        QVERIFY(shown.ghost.acceptAll(2100).insert.isEmpty());
    }

    void acceptWordTakesOneWordAtATime()
    {
        Shown shown(QStringLiteral("return a + b;\n    }"));
        GhostText& ghost = shown.ghost;
        QCOMPARE(ghost.acceptWord(2000).insert, QStringLiteral("return"));
        QCOMPARE(ghost.suggestion(), QStringLiteral(" a + b;\n    }"));
        QCOMPARE(ghost.acceptWord(2000).insert, QStringLiteral(" a"));
        QCOMPARE(ghost.acceptWord(2000).insert, QStringLiteral(" +"));
        QCOMPARE(ghost.acceptWord(2000).insert, QStringLiteral(" b"));
        QCOMPARE(ghost.acceptWord(2000).insert, QStringLiteral(";"));
        QCOMPARE(ghost.acceptWord(2000).insert, QStringLiteral("\n")); // a line end is a word of its own
        QVERIFY(!ghost.onCursorMoved(100 + 14).suggestionChanged);     // where the insertions left it
        QCOMPARE(ghost.suggestion(), QStringLiteral("    }"));
        const GhostEffects last = ghost.acceptWord(2000);
        QCOMPARE(last.insert, QStringLiteral("    }"));
        QVERIFY(last.suggestionChanged);
        QVERIFY(ghost.suggestion().isEmpty());
        QCOMPARE(last.requestDueAt, std::optional<qint64>(2250));
    }

    void wordBoundaries()
    {
        QCOMPARE(ghostWordLength(u"foo_bar2(x)"), qsizetype(8));       // letters, digits and _
        QCOMPARE(ghostWordLength(u"  ->next"), qsizetype(4));          // blanks, then a run of punctuation
        QCOMPARE(ghostWordLength(u"();\n}"), qsizetype(3));            // punctuation stops at the line end
        QCOMPARE(ghostWordLength(u"\r\n  x"), qsizetype(2));           // a CRLF is one line end
        QCOMPARE(ghostWordLength(u"\t\n"), qsizetype(2));              // blanks then the line end
        QCOMPARE(ghostWordLength(u"   "), qsizetype(3));               // only blanks
        QCOMPARE(ghostWordLength(u"计算结果 = 1"), qsizetype(4));      // Chinese letters are a word
        QCOMPARE(ghostWordLength(u""), qsizetype(0));
    }

    void escDismisses()
    {
        Shown shown;
        const GhostEffects dismissed = shown.ghost.dismiss();
        QVERIFY(dismissed.suggestionChanged);
        QVERIFY(!dismissed.requestDueAt);
        QVERIFY(dismissed.insert.isEmpty());
        QVERIFY(shown.ghost.suggestion().isEmpty());
        QVERIFY(!shown.ghost.startRequest(100000)); // nothing due
    }

    void typingWhatTheSuggestionStartsWithKeepsTheRest()
    {
        Shown shown(QStringLiteral("return a"));
        GhostText& ghost = shown.ghost;
        GhostEffects typed = ghost.onTyped(QStringLiteral("r"), 101, 2000);
        QVERIFY(typed.suggestionChanged);
        QVERIFY(!typed.requestDueAt); // no new request
        QVERIFY(!typed.cancelInFlight);
        QCOMPARE(ghost.suggestion(), QStringLiteral("eturn a"));
        QVERIFY(!ghost.onCursorMoved(101).suggestionChanged); // the move typing made
        typed = ghost.onTyped(QStringLiteral("etu"), 104, 2100); // an input method may commit several
        QCOMPARE(ghost.suggestion(), QStringLiteral("rn a"));
        // Typing the whole suggestion ends it; the next one is due after a pause.
        ghost.onTyped(QStringLiteral("rn "), 107, 2200);
        typed = ghost.onTyped(QStringLiteral("a"), 108, 2300);
        QVERIFY(typed.suggestionChanged);
        QVERIFY(ghost.suggestion().isEmpty());
        QCOMPARE(typed.requestDueAt, std::optional<qint64>(2550));
    }

    void otherTypingDismissesAndSchedules()
    {
        Shown shown(QStringLiteral("return a"));
        const GhostEffects typed = shown.ghost.onTyped(QStringLiteral("x"), 101, 2000);
        QVERIFY(typed.suggestionChanged);
        QVERIFY(shown.ghost.suggestion().isEmpty());
        QCOMPARE(typed.requestDueAt, std::optional<qint64>(2250));
        QVERIFY(shown.ghost.startRequest(2250));
    }

    void editsDismissCancelAndSchedule()
    {
        GhostText ghost;
        ghost.onTyped(QStringLiteral("x"), 10, 0);
        ghost.startRequest(250);
        // A deletion while a request is in flight: cancelled at once, another one due.
        GhostEffects edited = ghost.onEdited(9, 300);
        QVERIFY(edited.cancelInFlight);
        QCOMPARE(edited.requestDueAt, std::optional<qint64>(550));
        // A deletion while a suggestion is shown: dismissed.
        Shown shown;
        edited = shown.ghost.onEdited(99, 2000);
        QVERIFY(edited.suggestionChanged);
        QVERIFY(!edited.cancelInFlight);
        QVERIFY(shown.ghost.suggestion().isEmpty());
        QCOMPARE(edited.requestDueAt, std::optional<qint64>(2250));
    }

    void cursorMovedElsewhereDismissesWithoutScheduling()
    {
        Shown shown;
        GhostEffects moved = shown.ghost.onCursorMoved(100); // where it is: nothing
        QVERIFY(!moved.suggestionChanged);
        moved = shown.ghost.onCursorMoved(40);
        QVERIFY(moved.suggestionChanged);
        QVERIFY(!moved.requestDueAt);
        QVERIFY(shown.ghost.suggestion().isEmpty());

        // A request due or in flight is dropped too.
        GhostText ghost;
        ghost.onTyped(QStringLiteral("x"), 10, 0);
        moved = ghost.onCursorMoved(3);
        QVERIFY(!moved.cancelInFlight);
        QVERIFY(!ghost.requestDueAt());
        QVERIFY(!ghost.startRequest(1000));
        ghost.onTyped(QStringLiteral("y"), 4, 1000);
        ghost.startRequest(1250);
        moved = ghost.onCursorMoved(50);
        QVERIFY(moved.cancelInFlight);
        QVERIFY(!ghost.requestInFlight());
    }

    void focusLossDismissesAndCancels()
    {
        Shown shown;
        GhostEffects lost = shown.ghost.onFocusLost();
        QVERIFY(lost.suggestionChanged);
        QVERIFY(!lost.requestDueAt);

        GhostText ghost;
        ghost.onTyped(QStringLiteral("x"), 10, 0);
        ghost.startRequest(250);
        lost = ghost.onFocusLost();
        QVERIFY(lost.cancelInFlight);
        QVERIFY(!lost.requestDueAt);
        QVERIFY(!ghost.startRequest(5000));
    }

    void disabledNothingIsEverDue()
    {
        Shown shown;
        const GhostEffects off = shown.ghost.setEnabled(false);
        QVERIFY(off.suggestionChanged);
        QVERIFY(!shown.ghost.isEnabled());

        GhostText ghost;
        ghost.onTyped(QStringLiteral("x"), 10, 0);
        ghost.startRequest(250);
        const GhostEffects disabled = ghost.setEnabled(false);
        QVERIFY(disabled.cancelInFlight);
        const GhostEffects typed = ghost.onTyped(QStringLiteral("y"), 11, 1000);
        QVERIFY(!typed.requestDueAt);
        QVERIFY(!ghost.onEdited(10, 2000).requestDueAt);
        QVERIFY(!ghost.startRequest(100000));
        // On again: typing schedules again.
        QVERIFY(!ghost.setEnabled(true).requestDueAt);
        QCOMPARE(ghost.onTyped(QStringLiteral("z"), 12, 3000).requestDueAt, std::optional<qint64>(3250));
        QVERIFY(ghost.startRequest(3250));
    }
};

QTEST_GUILESS_MAIN(GhostTextTest)
#include "test_ghost_text.moc"
