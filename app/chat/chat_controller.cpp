#include "app/chat/chat_controller.h"

#include "app/chat/engine_worker.h"
#include "app/chat/model_manager.h"
#include "app/store/chat_store.h"
#include "app/store/conversation_exchange.h"

#include <QFile>
#include <QFileInfo>
#include <QRandomGenerator>
#include <QSaveFile>

namespace latent::app {
namespace {

// The store gets the streaming text at least this often, so a crash loses at most about this much.
constexpr int kSaveIntervalMs = 500;
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

} // namespace

ChatController::ChatController(ChatStore& store, ModelManager& models, QObject* parent)
    : QObject(parent), store_(store), models_(models)
{
    saveTimer_.setInterval(kSaveIntervalMs);
    connect(&saveTimer_, &QTimer::timeout, this, &ChatController::saveUnsaved);
    EngineWorker* worker = models_.worker();
    connect(worker, &EngineWorker::answerStarted, this, &ChatController::onAnswerStarted);
    connect(worker, &EngineWorker::piecesGenerated, this, &ChatController::onPieces);
    connect(worker, &EngineWorker::finished, this, &ChatController::onFinished);
    connect(worker, &EngineWorker::failed, this, &ChatController::onFailed);
    connect(worker, &EngineWorker::tokensCounted, this, &ChatController::onTokensCounted);
    connect(&models_, &ModelManager::stateChanged, this, &ChatController::onModelStateChanged);
    connect(&models_, &ModelManager::settingsChanged, this, &ChatController::statsChanged); // maxTokens
    refreshConversations();
    onModelStateChanged();
}

ChatController::~ChatController()
{
    if (answer_) {
        models_.worker()->stop(answer_->requestId);
        if (answer_->messageId)
            unsaved_[answer_->messageId] = {answer_->text, true};
    }
    saveUnsaved();
    try {
        if (deletedId_)
            store_.purgeDeleted();
    } catch (const StoreError& error) {
        qWarning("deleted conversations were not purged: %s", error.what());
    }
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
    return answer_.has_value();
}

double ChatController::tokensPerSecond() const
{
    return tokensPerSecond_;
}

int ChatController::contextUsed() const
{
    return contextUsed_;
}

int ChatController::contextSize() const
{
    return contextSize_;
}

bool ChatController::contextNearlyFull() const
{
    if (contextSize_ <= 0)
        return false;
    const int answer = models_.maxTokens() > 0 ? models_.maxTokens() : contextSize_ / 8;
    return qint64(contextUsed_) + answer > contextSize_;
}

bool ChatController::canUndoDelete() const
{
    return deletedId_ != 0;
}

QString ChatController::deletedTitle() const
{
    return deletedTitle_;
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
            showBranch(conversation_->currentLeafId);
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
    if (answer_ && answer_->conversationId == id)
        stop();
    try {
        const std::optional<Conversation> doomed = store_.conversation(id);
        if (!doomed)
            return;
        if (deletedId_) { // the earlier delete is final now: only the last one can be undone
            store_.purgeDeleted();
            deletedId_ = 0;
        }
        store_.deleteConversation(id);
        deletedId_ = id;
        deletedTitle_ = doomed->title;
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
    if (!deletedId_)
        return;
    try {
        store_.restoreConversation(deletedId_);
    } catch (const StoreError& error) {
        reportStoreError(tr("The conversation was not restored"), error);
        return;
    }
    deletedId_ = 0;
    deletedTitle_.clear();
    refreshConversations();
    emit canUndoDeleteChanged();
}

QVariantList ChatController::search(const QString& query) const
{
    QVariantList hits;
    if (query.trimmed().isEmpty())
        return hits;
    try {
        for (const SearchHit& hit : store_.search(query)) {
            hits.append(QVariantMap{{QStringLiteral("conversationId"), hit.conversationId},
                                    {QStringLiteral("messageId"), hit.messageId},
                                    {QStringLiteral("title"), hit.conversationTitle},
                                    {QStringLiteral("snippet"), hit.snippet}});
        }
    } catch (const StoreError& error) {
        qWarning("search failed: %s", error.what());
    }
    return hits;
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
    if (answer_) {
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
    if (text.trimmed().isEmpty() || refuseAnswer())
        return;
    qint64 userMessageId = 0;
    try {
        if (!conversation_) {
            const qint64 id = store_.createConversation(titleFrom(text), newSystemPrompt_);
            newSystemPrompt_.clear();
            conversation_ = store_.conversation(id);
            emit currentConversationChanged();
        }
        const qint64 parentId = messages_.rowCount() ? messages_.rows().back().message.id : 0;
        userMessageId = store_.addMessage(conversation_->id, parentId, QStringLiteral("user"), text);
        reloadConversation();
        showBranch(userMessageId);
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
        showBranch(edited);
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
    if (answer_)
        models_.worker()->stop(answer_->requestId);
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
    GenerationOptions options;
    options.maxTokens = models_.maxTokens();
    options.sampling.temperature = float(models_.temperature());
    options.sampling.topK = models_.topK();
    options.sampling.topP = float(models_.topP());
    options.sampling.minP = float(models_.minP());
    options.sampling.repeatPenalty = float(models_.repeatPenalty());
    // A new seed each time, so that regenerating gives another answer (greedy ignores it).
    options.sampling.seed = QRandomGenerator::global()->generate64();
    Answer answer;
    answer.conversationId = conversation_->id;
    answer.userMessageId = userMessageId;
    answer.requestId = models_.worker()->generate(turnsTo(userMessageId), options);
    answer_ = answer;
    saveTimer_.start();
    emit generatingChanged();
}

void ChatController::onAnswerStarted(qint64 requestId, const AnswerStats& stats)
{
    if (!answer_ || answer_->requestId != requestId)
        return;
    try {
        answer_->messageId =
            store_.addMessage(answer_->conversationId, answer_->userMessageId, QStringLiteral("assistant"), {},
                              false, QFileInfo(models_.modelPath()).fileName());
    } catch (const StoreError& error) {
        // Nowhere to keep the answer: better not to write it than to lose it.
        models_.worker()->stop(requestId);
        reportStoreError(tr("The answer could not be started"), error);
        return;
    }
    setStats(stats);
    if (!conversation_ || conversation_->id != answer_->conversationId)
        return;
    try {
        reloadConversation(); // addMessage made the answer the current leaf
        showBranch(answer_->messageId);
    } catch (const StoreError& error) {
        reportStoreError(tr("The conversation could not be shown"), error);
    }
}

void ChatController::onPieces(qint64 requestId, const QString& text, const AnswerStats& stats)
{
    if (!answer_ || answer_->requestId != requestId || !answer_->messageId)
        return;
    answer_->text += text;
    unsaved_[answer_->messageId] = {answer_->text, false};
    const int last = messages_.rowCount() - 1;
    if (last >= 0 && messages_.rows().back().message.id == answer_->messageId)
        messages_.updateContent(last, answer_->text, false, true);
    setStats(stats);
}

void ChatController::onFinished(qint64 requestId, const QString& reason, const AnswerStats& stats)
{
    if (!answer_ || answer_->requestId != requestId)
        return;
    const bool started = answer_->messageId != 0;
    endAnswer();
    if (started)
        setStats(stats);
    else // stopped before it began: the conversation is as it was
        countContext();
    if (reason == QLatin1String("contextFull"))
        emit errorOccurred(tr("The context is full"),
                           tr("The answer stopped because the conversation filled the model's context of %1 "
                              "tokens. Start a new conversation, or raise the context size in Settings.")
                               .arg(stats.contextSize));
}

void ChatController::onFailed(qint64 requestId, const QString& message)
{
    if (!answer_ || answer_->requestId != requestId)
        return;
    endAnswer();
    emit errorOccurred(tr("The answer could not be written"), message);
    countContext();
}

// The text streamed so far stays, marked complete, whatever ended the answer. An answer that never
// started leaves the branch as it was before (a regeneration shows the old answer again).
void ChatController::endAnswer()
{
    const Answer answer = *answer_;
    answer_.reset();
    if (answer.messageId) {
        unsaved_[answer.messageId] = {answer.text, true};
        const int last = messages_.rowCount() - 1;
        if (last >= 0 && messages_.rows().back().message.id == answer.messageId)
            messages_.updateContent(last, answer.text, true, false);
    } else {
        try {
            const qint64 leaf = store_.newestLeafUnder(answer.userMessageId);
            if (leaf != answer.userMessageId)
                showLeaf(answer.conversationId, leaf);
        } catch (const StoreError& error) {
            reportStoreError(tr("The conversation could not be shown"), error);
        }
    }
    saveUnsaved();
    refreshConversations();
    emit generatingChanged();
}

void ChatController::setStats(const AnswerStats& stats)
{
    tokensPerSecond_ = stats.tokensPerSecond;
    contextUsed_ = stats.contextUsed;
    contextSize_ = stats.contextSize;
    emit statsChanged();
}

// The context an open conversation takes is counted exactly, by the loaded model's tokenizer on
// the worker thread (queued behind an answer being written).
void ChatController::countContext()
{
    const qint64 leaf = messages_.rowCount() ? messages_.rows().back().message.id : 0;
    if (models_.state() != ModelManager::State::Ready || (!leaf && systemPrompt().trimmed().isEmpty())) {
        countRequestId_ = 0; // nothing to count: no model, or nothing written yet
        contextUsed_ = 0;
        emit statsChanged();
        return;
    }
    try {
        countRequestId_ = models_.worker()->countTokens(turnsTo(leaf));
    } catch (const StoreError& error) {
        qWarning("the conversation's context was not counted: %s", error.what());
    }
}

void ChatController::onTokensCounted(qint64 requestId, int tokens, int contextSize)
{
    if (requestId != countRequestId_ || answer_)
        return;
    contextUsed_ = tokens;
    contextSize_ = contextSize;
    emit statsChanged();
}

void ChatController::onModelStateChanged()
{
    contextSize_ = models_.modelFacts().value(QStringLiteral("contextSize")).toInt();
    tokensPerSecond_ = 0;
    emit statsChanged();
    countContext();
}

// --- the store and the rows on screen ---

// Writes every text not in the store yet. A failure keeps the text here (and on screen) for the
// next tick, and is reported once until a write works again.
void ChatController::saveUnsaved()
{
    for (auto it = unsaved_.begin(); it != unsaved_.end();) {
        try {
            store_.setMessageContent(it.key(), it->content, it->complete);
            it = unsaved_.erase(it);
            saveErrorReported_ = false;
        } catch (const StoreError& error) {
            bool gone = false;
            try {
                gone = !store_.message(it.key()); // its conversation was deleted for good
            } catch (const StoreError&) {
            }
            if (gone) {
                it = unsaved_.erase(it);
                continue;
            }
            if (!saveErrorReported_) {
                saveErrorReported_ = true;
                emit errorOccurred(tr("The answer is not being saved"),
                                   tr("%1 The text stays on screen, and saving is tried again every second.")
                                       .arg(QString::fromUtf8(error.what())));
            }
            ++it;
        }
    }
    if (!answer_ && unsaved_.isEmpty())
        saveTimer_.stop();
    else if (!saveTimer_.isActive())
        saveTimer_.start();
}

MessageListModel::Row ChatController::rowOf(const Message& message) const
{
    MessageListModel::Row row;
    row.message = message;
    const QList<Message> siblings =
        message.parentId ? store_.children(message.parentId) : store_.rootMessages(message.conversationId);
    row.versionCount = int(std::max<qsizetype>(siblings.size(), 1));
    for (qsizetype i = 0; i < siblings.size(); ++i) {
        if (siblings[i].id == message.id)
            row.versionIndex = int(i + 1);
    }
    if (answer_ && answer_->messageId == message.id) {
        row.message.content = answer_->text;
        row.streaming = true;
    } else if (const auto unsaved = unsaved_.constFind(message.id); unsaved != unsaved_.cend()) {
        row.message.content = unsaved->content; // newer than the store's
        row.message.complete = unsaved->complete;
    }
    return row;
}

// Shows the path from the root to leafId: appends the rows past those on screen when the branch
// on screen leads there (a new message), and replaces them otherwise.
void ChatController::showBranch(qint64 leafId)
{
    QList<MessageListModel::Row> rows;
    if (leafId) {
        for (const Message& message : store_.pathTo(leafId))
            rows.append(rowOf(message));
    }
    const QList<MessageListModel::Row>& shown = messages_.rows();
    bool extends = shown.size() <= rows.size();
    for (qsizetype i = 0; extends && i < shown.size(); ++i) {
        extends = shown[i].message.id == rows[i].message.id && shown[i].versionIndex == rows[i].versionIndex &&
                  shown[i].versionCount == rows[i].versionCount;
    }
    if (!extends) {
        messages_.setRows(rows);
        return;
    }
    for (qsizetype i = shown.size(); i < rows.size(); ++i)
        messages_.appendRow(rows[i]);
}

// Makes leafId the conversation's current leaf, and shows its branch when the conversation is open.
void ChatController::showLeaf(qint64 conversationId, qint64 leafId)
{
    store_.setCurrentLeaf(conversationId, leafId);
    if (conversation_ && conversation_->id == conversationId) {
        reloadConversation();
        showBranch(leafId);
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
    const QString path = file.isLocalFile() ? file.toLocalFile() : file.toString();
    QByteArray bytes;
    try {
        if (format == QLatin1String("markdown"))
            bytes = conversationToMarkdown(store_, id).toUtf8();
        else if (format == QLatin1String("json"))
            bytes = conversationToJson(store_, id);
        else {
            emit errorOccurred(tr("Unknown export format"),
                               tr("\"%1\" is not an export format: choose markdown or json.").arg(format));
            return false;
        }
    } catch (const StoreError& error) {
        reportStoreError(tr("The conversation was not exported"), error);
        return false;
    }
    QSaveFile out(path);
    if (!out.open(QIODevice::WriteOnly) || out.write(bytes) != bytes.size() || !out.commit()) {
        emit errorOccurred(tr("The conversation was not exported"),
                           tr("%1 could not be written (%2). Choose a folder you can write to.")
                               .arg(path, out.errorString()));
        return false;
    }
    return true;
}

bool ChatController::importConversation(const QUrl& file)
{
    const QString path = file.isLocalFile() ? file.toLocalFile() : file.toString();
    QFile in(path);
    if (!in.open(QIODevice::ReadOnly)) {
        emit errorOccurred(tr("The conversation was not imported"),
                           tr("%1 could not be read (%2). Choose a conversation exported as JSON.")
                               .arg(path, in.errorString()));
        return false;
    }
    qint64 id = 0;
    try {
        id = importConversationJson(store_, in.readAll(), QFileInfo(path).fileName());
    } catch (const StoreError& error) {
        reportStoreError(tr("The conversation was not imported"), error);
        return false;
    }
    refreshConversations();
    showConversation(id);
    return true;
}

} // namespace latent::app
