#include "app/coding/ghost_text.h"

namespace latent::app {
namespace {

bool isBlank(QChar c) { return c == u' ' || c == u'\t'; }
bool isWordCharacter(QChar c) { return c.isLetterOrNumber() || c == u'_'; }

} // namespace

qsizetype ghostWordLength(QStringView suggestion)
{
    const qsizetype size = suggestion.size();
    qsizetype end = 0;
    while (end < size && isBlank(suggestion[end]))
        ++end;
    if (end == size)
        return end;
    if (suggestion.sliced(end).startsWith(u"\r\n"))
        return end + 2;
    if (suggestion[end] == u'\n' || suggestion[end] == u'\r')
        return end + 1;
    const bool word = isWordCharacter(suggestion[end]);
    while (end < size && !suggestion[end].isSpace() && isWordCharacter(suggestion[end]) == word)
        ++end;
    return end;
}

GhostEffects GhostText::setEnabled(bool enabled)
{
    enabled_ = enabled;
    return enabled ? GhostEffects{} : clear();
}

GhostEffects GhostText::onTyped(const QString& text, int cursorOffset, qint64 nowMs)
{
    cursor_ = cursorOffset;
    if (!suggestion_.isEmpty() && suggestion_.startsWith(text) && !text.isEmpty()) {
        suggestion_.remove(0, text.size());
        GhostEffects effects;
        effects.suggestionChanged = true;
        if (inFlight_) {
            typedThrough_ += text; // the rest of it is still coming
            return effects;
        }
        return suggestion_.isEmpty() ? schedule(effects, nowMs) : effects;
    }
    return schedule(clear(), nowMs);
}

GhostEffects GhostText::onEdited(int cursorOffset, qint64 nowMs)
{
    cursor_ = cursorOffset;
    return schedule(clear(), nowMs);
}

GhostEffects GhostText::requestNow(int cursorOffset, qint64 nowMs)
{
    cursor_ = cursorOffset;
    GhostEffects effects = clear();
    if (enabled_) {
        dueAt_ = nowMs;
        effects.requestDueAt = dueAt_;
    }
    return effects;
}

GhostEffects GhostText::onCursorMoved(int cursorOffset)
{
    if (cursorOffset == cursor_)
        return {};
    cursor_ = cursorOffset;
    return clear();
}

GhostEffects GhostText::onFocusLost()
{
    return clear();
}

std::optional<quint64> GhostText::startRequest(qint64 nowMs)
{
    if (!enabled_ || !dueAt_ || nowMs < *dueAt_)
        return std::nullopt;
    dueAt_.reset();
    inFlight_ = ++lastRequest_;
    typedThrough_.clear();
    return inFlight_;
}

std::optional<QString> GhostText::untyped(const QString& text) const
{
    if (!text.startsWith(typedThrough_))
        return std::nullopt;
    return text.sliced(typedThrough_.size());
}

GhostEffects GhostText::onPartialCompletion(quint64 request, const QString& textSoFar)
{
    if (inFlight_ != request)
        return {};
    const std::optional<QString> rest = untyped(textSoFar);
    if (!rest && textSoFar.size() >= typedThrough_.size())
        return clear();
    GhostEffects effects;
    if (rest && suggestion_ != *rest) {
        suggestion_ = *rest;
        effects.suggestionChanged = true;
    }
    return effects;
}

GhostEffects GhostText::onCompletion(quint64 request, const QString& text)
{
    if (inFlight_ != request)
        return {};
    inFlight_.reset();
    const QString rest = untyped(text).value_or(QString());
    GhostEffects effects;
    if (suggestion_ != rest) {
        suggestion_ = rest;
        effects.suggestionChanged = true;
    }
    return effects;
}

GhostEffects GhostText::acceptAll(qint64 nowMs)
{
    return accept(suggestion_.size(), nowMs);
}

GhostEffects GhostText::acceptWord(qint64 nowMs)
{
    return accept(ghostWordLength(suggestion_), nowMs);
}

GhostEffects GhostText::dismiss()
{
    return clear();
}

GhostEffects GhostText::accept(qsizetype length, qint64 nowMs)
{
    if (suggestion_.isEmpty())
        return {};
    GhostEffects effects;
    effects.insert = suggestion_.first(length);
    effects.suggestionChanged = true;
    suggestion_.remove(0, length);
    cursor_ += length;
    if (inFlight_) {
        typedThrough_ += effects.insert; // as if typed: the rest of the completion is still coming
        return effects;
    }
    return suggestion_.isEmpty() ? schedule(effects, nowMs) : effects;
}

// Hides the suggestion and drops the request in flight and the one due, adding what that takes
// to `effects`.
GhostEffects GhostText::clear(GhostEffects effects)
{
    if (!suggestion_.isEmpty()) {
        suggestion_.clear();
        effects.suggestionChanged = true;
    }
    if (inFlight_) {
        inFlight_.reset();
        effects.cancelInFlight = true;
    }
    dueAt_.reset();
    return effects;
}

GhostEffects GhostText::schedule(GhostEffects effects, qint64 nowMs)
{
    if (enabled_) {
        dueAt_ = nowMs + debounceMs_;
        effects.requestDueAt = dueAt_;
    }
    return effects;
}

} // namespace latent::app
