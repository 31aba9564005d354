#include "app/chat/chat_controller.h"

#include "app/chat/engine_worker.h"
#include "app/chat/message_search.h"
#include "app/chat/model_manager.h"
#include "app/store/chat_store.h"

namespace latent::app {
namespace {

constexpr qsizetype kTitleLength = 40;

// A new conversation's title: the first line of its first message, cut at a word near 40 characters.
QString titleFrom(const QString& text)
{
    QString line;
    for (const QString& candidate : text.split(QLatin1Char('\n'))) {
        line = candidate.simplified();
        if (!line.isEmpty())
            break;
    }
    if (line.size() <= kTitleLength)
        return line;
    const qsizetype space = line.lastIndexOf(QLatin1Char(' '), kTitleLength);
    return line.left(space > kTitleLength / 2 ? space : kTitleLength) + QChar(0x2026);
}

QString localPath(const QUrl& file)
{
    return file.isLocalFile() ? file.toLocalFile() : file.toString();
}

} // namespace

ChatController::ChatController(ChatStore& store, ModelManager& models, QObject* parent)
    : QObject(parent),
      store_(store),
      models_(models),
      answer_(store, models),
      unsaved_(store),
      branch_(store, messages_, [this](MessageListModel::Row& row) { overlayNewerText(row); }),
      context_(models),
      deleted_(store),
      files_(store)
{
    connect(&answer_, &AnswerStream::started, this, &ChatController::onAnswerStarted);
    connect(&answer_, &AnswerStream::grew, this, &ChatController::onAnswerGrew);
    connect(&answer_, &AnswerStream::ended, this, &ChatController::onAnswerEnded);
    connect(&answer_, &AnswerStream::errorOccurred, this, &ChatController::errorOccurred);
    connect(&unsaved_, &UnsavedTexts::errorOccurred, this, &ChatController::errorOccurred);
    connect(&context_, &ContextMeter::changed, this, &ChatController::statsChanged);
    connect(&models_, &ModelManager::stateChanged, this, &ChatController::onModelStateChanged);
    refreshConversations();
    onModelStateChanged();
}

ChatController::~ChatController()
{
    if (const AnswerStream::Answer* answer = answer_.current()) {
        answer_.stop();
        if (answer->messageId)
            unsaved_.keep(answer->messageId, {.content = answer->text, .complete = true});
    }
    unsaved_.save();
}

// --- properties ---

qint64 ChatController::currentConversationId() const
{
    return conversation_ ? conversation_->id : 0;
}

QString ChatController::currentTitle() const
{
    return conversation_ ? conversation_->title : QString();
}

QString ChatController::systemPrompt() const
{
    return conversation_ ? conversation_->systemPrompt : newSystemPrompt_;
}

void ChatController::setSystemPrompt(const QString& prompt)
{
    if (prompt == systemPrompt())
        return;
    if (!conversation_) {
        newSystemPrompt_ = prompt;
    } else {
        try {
            store_.setSystemPrompt(conversation_->id, prompt);
            conversation_->systemPrompt = prompt;
        } catch (const StoreError& error) {
            reportStoreError(tr("The system prompt was not saved"), error);
            return;
        }
    }
    emit currentConversationChanged();
    countContext();
}

bool ChatController::generating() const
{
    return answer_.current() != nullptr;
}

double ChatController::tokensPerSecond() const
{
    return context_.tokensPerSecond();
}

int ChatController::contextUsed() const
{
    return context_.used();
}

int ChatController::contextSize() const
{
    return context_.size();
}

bool ChatController::contextNearlyFull() const
{
    return context_.nearlyFull();
}

QString ChatController::contextWarning() const
{
    return context_.warning();
}

int ChatController::promptReading() const
{
    return context_.promptReading();
}

bool ChatController::canUndoDelete() const
{
    return deleted_.canUndo();
}

QString ChatController::deletedTitle() const
{
    return deleted_.title();
}

// --- conversations ---

void ChatController::newConversation()
{
    conversation_.reset();
    newSystemPrompt_.clear();
    messages_.setRows({});
    emit currentConversationChanged();
    countContext();
}

void ChatController::selectConversation(qint64 id)
{
    showConversation(id);
}

void ChatController::showConversation(qint64 id)
{
    try {
        conversation_ = store_.conversation(id);
        if (!conversation_) {
            emit errorOccurred(tr("The conversation is gone"),
                               tr("Conversation %1 is no longer in the database; choose another one.").arg(id));
            messages_.setRows({});
        } else {
            branch_.show(conversation_->currentLeafId);
        }
    } catch (const StoreError& error) {
        reportStoreError(tr("The conversation could not be opened"), error);
    }
    emit currentConversationChanged();
    countContext();
}

void ChatController::renameConversation(qint64 id, const QString& title)
{
    const QString trimmed = title.simplified();
    if (trimmed.isEmpty()) {
        emit errorOccurred(tr("The title is empty"), tr("Type a title for the conversation."));
        return;
    }
    try {
        store_.renameConversation(id, trimmed);
    } catch (const StoreError& error) {
        reportStoreError(tr("The conversation was not renamed"), error);
        return;
    }
    refreshConversations();
    if (conversation_ && conversation_->id == id) {
        conversation_->title = trimmed;
        emit currentConversationChanged();
    }
}

void ChatController::deleteConversation(qint64 id)
{
    if (answer_.current() && answer_.current()->conversationId == id)
        stop();
    try {
        if (!deleted_.remove(id))
            return;
    } catch (const StoreError& error) {
        reportStoreError(tr("The conversation was not deleted"), error);
        return;
    }
    if (conversation_ && conversation_->id == id)
        newConversation();
    refreshConversations();
    emit canUndoDeleteChanged();
}

void ChatController::undoDelete()
{
    if (!deleted_.canUndo())
        return;
    try {
        deleted_.undo();
    } catch (const StoreError& error) {
        reportStoreError(tr("The conversation was not restored"), error);
        return;
    }
    refreshConversations();
    emit canUndoDeleteChanged();
}

QVariantList ChatController::search(const QString& query) const
{
    return searchMessages(store_, query);
}

void ChatController::openMessage(qint64 conversationId, qint64 messageId)
{
    if (!conversation_ || conversation_->id != conversationId)
        showConversation(conversationId);
    if (!conversation_ || conversation_->id != conversationId)
        return;
    if (messages_.rowOf(messageId) < 0) { // on another branch: show the newest one through it
        try {
            showLeaf(conversationId, store_.newestLeafUnder(messageId));
        } catch (const StoreError& error) {
            reportStoreError(tr("The message could not be opened"), error);
            return;
        }
        countContext();
    }
    emit messageOpened(messages_.rowOf(messageId));
}

// --- answers ---

bool ChatController::refuseAnswer()
{
    if (answer_.current()) {
        emit errorOccurred(tr("An answer is still being written"),
                           tr("Wait for it to finish, or press Stop, then try again."));
        return true;
    }
    switch (models_.state()) {
    case ModelManager::State::Ready: return false;
    case ModelManager::State::Loading:
        emit errorOccurred(tr("The model is still loading"), tr("Wait until it has loaded, then try again."));
        return true;
    case ModelManager::State::NoModel:
    case ModelManager::State::Failed: break;
    }
    emit errorOccurred(tr("No model is loaded"), tr("Open a model file (.gguf) first, then try again."));
    return true;
}

void ChatController::send(const QString& text)
{
    sendTitled(text, titleFrom(text));
}

void ChatController::startConversation(const QString& title, const QString& text)
{
    if (text.trimmed().isEmpty() || refuseAnswer())
        return;
    newConversation();
    sendTitled(text, title);
}

void ChatController::sendTitled(const QString& text, const QString& newTitle)
{
    if (text.trimmed().isEmpty() || refuseAnswer())
        return;
    qint64 userMessageId = 0;
    try {
        if (!conversation_) {
            const qint64 id = store_.createConversation(newTitle, newSystemPrompt_);
            newSystemPrompt_.clear();
            conversation_ = store_.conversation(id);
            emit currentConversationChanged();
        }
        const qint64 parentId = messages_.rowCount() ? messages_.rows().back().message.id : 0;
        userMessageId = store_.addMessage(conversation_->id, parentId, QStringLiteral("user"), text);
        reloadConversation();
        branch_.show(userMessageId);
    } catch (const StoreError& error) {
        reportStoreError(tr("The message was not sent"), error);
        return;
    }
    refreshConversations();
    startAnswer(userMessageId);
}

void ChatController::regenerate(qint64 assistantMessageId)
{
    if (refuseAnswer())
        return;
    try {
        const std::optional<Message> old = store_.message(assistantMessageId);
        if (!old || old->role != QLatin1String("assistant") || !old->parentId) {
            emit errorOccurred(tr("Nothing to regenerate"), tr("Choose an answer of the model to write again."));
            return;
        }
        if (!conversation_ || conversation_->id != old->conversationId)
            showConversation(old->conversationId);
        showLeaf(old->conversationId, old->parentId);
        startAnswer(old->parentId);
    } catch (const StoreError& error) {
        reportStoreError(tr("The answer was not regenerated"), error);
    }
}

void ChatController::editAndResend(qint64 userMessageId, const QString& text)
{
    if (text.trimmed().isEmpty() || refuseAnswer())
        return;
    try {
        const std::optional<Message> old = store_.message(userMessageId);
        if (!old || old->role != QLatin1String("user")) {
            emit errorOccurred(tr("Nothing to edit"), tr("Choose one of your messages to edit."));
            return;
        }
        if (!conversation_ || conversation_->id != old->conversationId)
            showConversation(old->conversationId);
        const qint64 edited =
            store_.addMessage(old->conversationId, old->parentId, QStringLiteral("user"), text);
        reloadConversation();
        branch_.show(edited);
        refreshConversations();
        startAnswer(edited);
    } catch (const StoreError& error) {
        reportStoreError(tr("The edited message was not sent"), error);
    }
}

void ChatController::switchVersion(qint64 messageId, int delta)
{
    try {
        const std::optional<Message> message = store_.message(messageId);
        if (!message)
            return;
        const QList<Message> siblings =
            message->parentId ? store_.children(message->parentId) : store_.rootMessages(message->conversationId);
        qsizetype index = 0;
        while (index < siblings.size() && siblings[index].id != messageId)
            ++index;
        const qsizetype target = index + delta;
        if (index == siblings.size() || target < 0 || target >= siblings.size())
            return;
        const qint64 leaf = store_.newestLeafUnder(siblings[target].id);
        if (!conversation_ || conversation_->id != message->conversationId) {
            store_.setCurrentLeaf(message->conversationId, leaf);
            showConversation(message->conversationId); // counts its context too
            return;
        }
        showLeaf(message->conversationId, leaf);
    } catch (const StoreError& error) {
        reportStoreError(tr("The other version could not be shown"), error);
        return;
    }
    countContext();
}

void ChatController::stop()
{
    answer_.stop();
}

QList<ChatTurn> ChatController::turnsTo(qint64 messageId) const
{
    QList<ChatTurn> turns;
    if (const QString system = systemPrompt(); !system.trimmed().isEmpty())
        turns.append({QStringLiteral("system"), system});
    if (messageId) {
        for (const Message& message : store_.pathTo(messageId))
            turns.append({message.role, message.content});
    }
    return turns;
}

void ChatController::startAnswer(qint64 userMessageId)
{
    answer_.start(conversation_->id, userMessageId, turnsTo(userMessageId));
    context_.setAnswering(true);
    unsaved_.setStreaming(true);
    emit generatingChanged();
}

void ChatController::onAnswerStarted(const AnswerStats& stats)
{
    const AnswerStream::Answer& answer = *answer_.current();
    context_.setStats(stats);
    if (!conversation_ || conversation_->id != answer.conversationId)
        return;
    try {
        reloadConversation(); // addMessage made the answer the current leaf
        branch_.show(answer.messageId);
    } catch (const StoreError& error) {
        reportStoreError(tr("The conversation could not be shown"), error);
    }
}

void ChatController::onAnswerGrew(const AnswerStats& stats)
{
    const AnswerStream::Answer& answer = *answer_.current();
    unsaved_.keep(answer.messageId, {.content = answer.text, .complete = false});
    const int last = messages_.rowCount() - 1;
    if (last >= 0 && messages_.rows().back().message.id == answer.messageId)
        messages_.updateContent(last, answer.text, false, true);
    context_.setStats(stats);
}

// The text streamed so far stays, marked complete, whatever ended the answer. An answer that never
// started leaves the branch as it was before (a regeneration shows the old answer again).
void ChatController::onAnswerEnded(const AnswerStream::Answer& answer, const QString& reason, const QString& message,
                                   const AnswerStats& stats)
{
    context_.setAnswering(false);
    unsaved_.setStreaming(false);
    if (answer.messageId) {
        const QString finish = recordedFinishReason(reason);
        unsaved_.keep(answer.messageId, {answer.text, true, finish, stats.generatedTokens});
        const int last = messages_.rowCount() - 1;
        if (last >= 0 && messages_.rows().back().message.id == answer.messageId) {
            messages_.updateContent(last, answer.text, true, false);
            messages_.setFinish(last, finish, stats.generatedTokens);
        }
    } else {
        try {
            const qint64 leaf = store_.newestLeafUnder(answer.userMessageId);
            if (leaf != answer.userMessageId)
                showLeaf(answer.conversationId, leaf);
        } catch (const StoreError& error) {
            reportStoreError(tr("The conversation could not be shown"), error);
        }
    }
    unsaved_.save();
    refreshConversations();
    emit generatingChanged();

    if (reason == QLatin1String("failed")) {
        emit errorOccurred(tr("The answer could not be written"), message);
        countContext();
        return;
    }
    if (answer.messageId)
        context_.setStats(stats);
    else // stopped before it began: the conversation is as it was
        countContext();
    if (reason == QLatin1String("contextFull"))
        emit errorOccurred(tr("The context is full"),
                           tr("The answer stopped because the conversation filled the context of %L1 tokens. %2")
                               .arg(stats.contextSize)
                               .arg(context_.limit().advice()));
}

// The context an open conversation takes, counted exactly by the loaded model's tokenizer.
void ChatController::countContext()
{
    const qint64 leaf = messages_.rowCount() ? messages_.rows().back().message.id : 0;
    try {
        context_.count(turnsTo(leaf));
    } catch (const StoreError& error) {
        qWarning("the conversation's context was not counted: %s", error.what());
    }
}

void ChatController::onModelStateChanged()
{
    context_.modelChanged();
    countContext();
}

// --- the store and the rows on screen ---

// What the rows show that the store does not have yet: the answer streaming, or text not saved.
void ChatController::overlayNewerText(MessageListModel::Row& row) const
{
    const AnswerStream::Answer* answer = answer_.current();
    if (answer && answer->messageId == row.message.id) {
        row.message.content = answer->text;
        row.streaming = true;
    } else if (const UnsavedTexts::Text* unsaved = unsaved_.find(row.message.id)) {
        row.message.content = unsaved->content;
        row.message.complete = unsaved->complete;
        row.message.finishReason = unsaved->finishReason;
        row.message.generatedTokens = unsaved->generatedTokens;
    }
}

// Makes leafId the conversation's current leaf, and shows its branch when the conversation is open.
void ChatController::showLeaf(qint64 conversationId, qint64 leafId)
{
    store_.setCurrentLeaf(conversationId, leafId);
    if (conversation_ && conversation_->id == conversationId) {
        reloadConversation();
        branch_.show(leafId);
    }
}

void ChatController::reloadConversation()
{
    if (conversation_)
        conversation_ = store_.conversation(conversation_->id);
}

void ChatController::refreshConversations()
{
    try {
        conversations_.setConversations(store_.conversations());
    } catch (const StoreError& error) {
        reportStoreError(tr("The conversations could not be listed"), error);
    }
}

void ChatController::reportStoreError(const QString& title, const StoreError& error)
{
    emit errorOccurred(title, QString::fromUtf8(error.what()));
}

// --- files ---

bool ChatController::exportConversation(qint64 id, const QUrl& file, const QString& format)
{
    if (const std::optional<FileProblem> problem = files_.exportTo(id, localPath(file), format)) {
        emit errorOccurred(problem->title, problem->message);
        return false;
    }
    return true;
}

bool ChatController::importConversation(const QUrl& file)
{
    const ConversationFiles::Imported imported = files_.importFrom(localPath(file));
    if (imported.problem) {
        emit errorOccurred(imported.problem->title, imported.problem->message);
        return false;
    }
    refreshConversations();
    showConversation(imported.id);
    return true;
}

} // namespace latent::app
