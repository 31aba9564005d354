#include "app/chat/unsaved_texts.h"

#include "app/store/chat_store.h"

namespace latent::app {
namespace {

constexpr int kSaveIntervalMs = 500;

} // namespace

UnsavedTexts::UnsavedTexts(ChatStore& store, QObject* parent) : QObject(parent), store_(store)
{
    timer_.setInterval(kSaveIntervalMs);
    connect(&timer_, &QTimer::timeout, this, &UnsavedTexts::save);
}

void UnsavedTexts::keep(qint64 messageId, const Text& text)
{
    texts_[messageId] = text;
}

const UnsavedTexts::Text* UnsavedTexts::find(qint64 messageId) const
{
    const auto found = texts_.constFind(messageId);
    return found == texts_.cend() ? nullptr : &*found;
}

void UnsavedTexts::setStreaming(bool streaming)
{
    streaming_ = streaming;
    if (streaming_ && !timer_.isActive())
        timer_.start();
}

void UnsavedTexts::save()
{
    for (auto it = texts_.begin(); it != texts_.end();) {
        try {
            store_.setMessageContent(it.key(), it->content, it->complete, it->finishReason, it->generatedTokens);
            it = texts_.erase(it);
            errorReported_ = false;
        } catch (const StoreError& error) {
            bool gone = false;
            try {
                gone = !store_.message(it.key()); // its conversation was deleted for good
            } catch (const StoreError&) {
            }
            if (gone) {
                it = texts_.erase(it);
                continue;
            }
            if (!errorReported_) {
                errorReported_ = true;
                emit errorOccurred(tr("The answer is not being saved"),
                                   tr("%1 The text stays on screen, and saving is tried again every second.")
                                       .arg(QString::fromUtf8(error.what())));
            }
            ++it;
        }
    }
    if (!streaming_ && texts_.isEmpty())
        timer_.stop();
    else if (!timer_.isActive())
        timer_.start();
}

} // namespace latent::app
