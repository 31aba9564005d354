#pragma once

#include <QString>

#include <optional>

namespace latent::app {

// What the editor panel does after a GhostText event. Every field is independent.
struct GhostEffects {
    QString insert;                     // insert at the cursor (an accepted suggestion or its next word)
    bool cancelInFlight = false;        // stop the completion being generated: its answer is stale
    bool suggestionChanged = false;     // show suggestion() as the ghost text (empty: hide it)
    std::optional<qint64> requestDueAt; // (re)arm the one timer: call startRequest(now) then
};

// The ghost text (an inline completion shown in grey at the cursor) as a state machine, with no
// timers and no widgets: the panel reports the editor's events with the time from its clock, and
// acts on the GhostEffects each one returns. At most one request is in flight and one is due.
//
//   typing, then a pause of debounceMs  -> a request is due: startRequest() -> onCompletion()
//   Tab                                 -> acceptAll(): the whole suggestion is inserted
//   Ctrl+Right                          -> acceptWord(): its next word is inserted, the rest stays
//   Esc                                 -> dismiss()
//   a part of the completion as it grows -> onPartialCompletion(): shown while still in flight
//   typing what the suggestion starts with -> it is consumed, the rest stays (no new request)
//   other typing, a deletion or edit    -> dismissed, the request in flight cancelled, a new one due
//   a cursor move elsewhere, focus lost -> dismissed and cancelled, nothing due
//
// When a suggestion is used up (accepted, or typed to its end) a new request is due after the
// debounce, as after any typing. The panel's own insertion of GhostEffects::insert is not an
// edit to report; the cursor move it makes is recognized (see onCursorMoved).
class GhostText {
public:
    bool isEnabled() const { return enabled_; }
    // Off: dismisses, cancels, and nothing is ever due until it is on again.
    GhostEffects setEnabled(bool enabled);
    int debounceMs() const { return debounceMs_; }
    void setDebounceMs(int debounceMs) { debounceMs_ = debounceMs; } // from the next scheduling on

    QString suggestion() const { return suggestion_; } // shown now; empty when none
    std::optional<quint64> requestInFlight() const { return inFlight_; }
    std::optional<qint64> requestDueAt() const { return dueAt_; }

    // The editor's events; cursorOffset is the cursor's offset after the event (UTF-16, as
    // CodeEditor::cursorOffset). Report typing and edits before the cursor move they cause.
    GhostEffects onTyped(const QString& text, int cursorOffset, qint64 nowMs); // printable text typed at the cursor
    GhostEffects onEdited(int cursorOffset, qint64 nowMs); // a deletion, paste, undo or any other edit
    // A cursor move. A move to where the cursor already was (the one typing or an insertion of
    // `insert` makes) changes nothing; a move elsewhere dismisses and cancels.
    GhostEffects onCursorMoved(int cursorOffset);
    GhostEffects onFocusLost();
    // Asked for at once (Ctrl+Space): what is shown or in flight goes, and a request is due now.
    GhostEffects requestNow(int cursorOffset, qint64 nowMs);

    // The timer fired: a new request number, in flight from now, when one is due at nowMs; nothing
    // otherwise (a timer left armed after the request it was for was dropped is harmless).
    std::optional<quint64> startRequest(qint64 nowMs);
    // Part of the completion of the request in flight as it is generated (the whole text so
    // far): shown at once, while the request stays in flight and later parts replace it. What the
    // user typed through meanwhile is taken off its front; a part that no longer starts with it
    // (the model wrote something else) hides the suggestion and cancels the request.
    GhostEffects onPartialCompletion(quint64 request, const QString& textSoFar);
    // The completion of a request (empty when it gave nothing or failed: the request is over).
    // Shown only when `request` is the one in flight; an answer to an older one is ignored.
    GhostEffects onCompletion(quint64 request, const QString& text);

    GhostEffects acceptAll(qint64 nowMs);  // Tab
    GhostEffects acceptWord(qint64 nowMs); // Ctrl+Right: leading blanks plus one word, one run of
                                           // punctuation, or one line end
    GhostEffects dismiss();                // Esc: hides it and drops any request, nothing due

private:
    GhostEffects accept(qsizetype length, qint64 nowMs);
    GhostEffects clear(GhostEffects effects = {});
    GhostEffects schedule(GhostEffects effects, qint64 nowMs);
    // The request in flight's text so far, less what was typed through; nullopt when it no
    // longer starts with that.
    std::optional<QString> untyped(const QString& text) const;

    bool enabled_ = true;
    int debounceMs_ = 250;
    QString suggestion_;
    std::optional<quint64> inFlight_;
    QString typedThrough_; // of the request in flight's text, typed by the user while it grew
    std::optional<qint64> dueAt_;
    quint64 lastRequest_ = 0;
    qsizetype cursor_ = -1; // where the suggestion (or the request for one) is; -1: unknown
};

// The length of what Ctrl+Right accepts from the start of a suggestion: leading spaces and tabs,
// then one run of word characters (letters, digits, _), one run of other visible characters,
// or one line end.
qsizetype ghostWordLength(QStringView suggestion);

} // namespace latent::app
