#include "app/store/conversation_exchange.h"

#include "app/store/chat_store.h"

#include <QDir>
#include <QHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <cmath>

namespace latent::app {

namespace {

constexpr auto kFormat = "latent-conversation";
constexpr int kVersion = 1;

const QStringList& roles()
{
    static const QStringList known = {QStringLiteral("system"), QStringLiteral("user"), QStringLiteral("assistant")};
    return known;
}

Conversation existingConversation(const ChatStore& store, qint64 conversationId)
{
    const std::optional<Conversation> conversation = store.conversation(conversationId);
    if (!conversation)
        throw StoreError(QStringLiteral("The chat database %1 has no conversation %2 (it may have been deleted); "
                                        "reload the conversation list.")
                             .arg(QDir::toNativeSeparators(store.path()))
                             .arg(conversationId)
                             .toStdString());
    return *conversation;
}

QString roleHeading(const Message& message)
{
    QString heading = message.role.isEmpty() ? QStringLiteral("Message") : message.role;
    heading[0] = heading[0].toUpper();
    if (!message.model.isEmpty())
        heading += QStringLiteral(" (%1)").arg(message.model);
    return heading;
}

QJsonValue timeValue(const QDateTime& time)
{
    return time.isValid() ? QJsonValue(time.toUTC().toString(Qt::ISODateWithMs)) : QJsonValue();
}

// --- reading a file: each check names the file and the field, and says what is wrong.

[[noreturn]] void fail(const QString& file, const QString& problem)
{
    throw StoreError(QStringLiteral("Cannot import %1: %2.").arg(QDir::toNativeSeparators(file), problem).toStdString());
}

QString typeName(const QJsonValue& value)
{
    switch (value.type()) {
    case QJsonValue::Null: return QStringLiteral("null");
    case QJsonValue::Bool: return QStringLiteral("true or false");
    case QJsonValue::Double: return QStringLiteral("a number");
    case QJsonValue::String: return QStringLiteral("a string");
    case QJsonValue::Array: return QStringLiteral("an array");
    case QJsonValue::Object: return QStringLiteral("an object");
    case QJsonValue::Undefined: break;
    }
    return QStringLiteral("missing");
}

class FieldReader {
public:
    FieldReader(const QString& file, const QJsonObject& object, const QString& prefix)
        : file_(file), object_(object), prefix_(prefix)
    {
    }

    [[noreturn]] void fail(const QString& key, const QString& problem) const
    {
        latent::app::fail(file_, QStringLiteral("the field \"%1%2\" %3").arg(prefix_, key, problem));
    }

    QJsonValue required(const QString& key, bool (QJsonValue::*isType)() const, const char* expected) const
    {
        const QJsonValue value = object_.value(key);
        if (!(value.*isType)())
            fail(key, QStringLiteral("must be %1, but it is %2").arg(QLatin1String(expected), typeName(value)));
        return value;
    }

    QString string(const QString& key) const
    {
        return required(key, &QJsonValue::isString, "a string").toString();
    }

    QString optionalString(const QString& key) const
    {
        return object_.contains(key) ? string(key) : QString();
    }

    bool optionalBool(const QString& key, bool absent) const
    {
        return object_.contains(key) ? required(key, &QJsonValue::isBool, "true or false").toBool() : absent;
    }

    // A positive whole number, or 0 for null when nullable.
    qint64 id(const QString& key, bool nullable) const
    {
        const QJsonValue value = object_.value(key);
        if (nullable && value.isNull())
            return 0;
        const double number = value.toDouble(-1);
        if (!value.isDouble() || number < 1 || number > 9007199254740992.0 || std::trunc(number) != number)
            fail(key, QStringLiteral("must be a whole number of 1 or more%1, but it is %2")
                          .arg(nullable ? QStringLiteral(" or null") : QString(),
                               value.isDouble() ? QString::number(number) : typeName(value)));
        return qint64(number);
    }

    QDateTime optionalTime(const QString& key) const
    {
        if (!object_.contains(key) || object_.value(key).isNull())
            return {};
        const QString text = string(key);
        QDateTime time = QDateTime::fromString(text, Qt::ISODateWithMs);
        if (!time.isValid())
            fail(key, QStringLiteral("must be a time such as 2024-05-01T12:30:00.000Z, but it is \"%1\"").arg(text));
        return time;
    }

private:
    QString file_;
    QJsonObject object_;
    QString prefix_;
};

struct ImportedMessage {
    qint64 parentFileId = 0;
    Message message; // its id is the file's
};

struct ImportedConversation {
    QString title;
    QString systemPrompt;
    QDateTime createdAt;
    QList<ImportedMessage> messages;
    qint64 currentLeafFileId = 0;
};

QJsonObject topLevelObject(const QByteArray& json, const QString& file)
{
    QJsonParseError error;
    const QJsonDocument document = QJsonDocument::fromJson(json, &error);
    if (error.error != QJsonParseError::NoError)
        fail(file, QStringLiteral("it is not valid JSON (%1 at byte %2)").arg(error.errorString()).arg(error.offset));
    if (!document.isObject())
        fail(file, QStringLiteral("it is not a JSON object, so not a conversation exported by Latent"));
    return document.object();
}

void checkFormat(const FieldReader& top, const QString& file)
{
    const QString format = top.string(QStringLiteral("format"));
    if (format != QLatin1String(kFormat))
        top.fail(QStringLiteral("format"), QStringLiteral("is \"%1\", not \"%2\": this is not a conversation exported "
                                                          "by Latent")
                                               .arg(format, QLatin1String(kFormat)));
    const qint64 version = top.id(QStringLiteral("version"), false);
    if (version > kVersion)
        fail(file, QStringLiteral("it was written by a newer version of Latent (the field \"version\" is %1, this one "
                                  "reads up to %2): update Latent")
                       .arg(version)
                       .arg(kVersion));
}

ImportedMessage readMessage(const QJsonValue& value, const QString& file, const QString& prefix,
                            const QHash<qint64, qsizetype>& earlier)
{
    if (!value.isObject())
        fail(file, QStringLiteral("the field \"%1\" must be an object, but it is %2").arg(prefix, typeName(value)));
    const FieldReader fields(file, value.toObject(), prefix + QLatin1Char('.'));
    ImportedMessage imported;
    Message& message = imported.message;
    message.id = fields.id(QStringLiteral("id"), false);
    if (earlier.contains(message.id))
        fields.fail(QStringLiteral("id"), QStringLiteral("is %1, the id of an earlier message").arg(message.id));
    imported.parentFileId = fields.id(QStringLiteral("parentId"), true);
    if (imported.parentFileId != 0 && !earlier.contains(imported.parentFileId))
        fields.fail(QStringLiteral("parentId"),
                    QStringLiteral("is %1, which is not the id of an earlier message (a parent comes before its "
                                   "answers)")
                        .arg(imported.parentFileId));
    message.role = fields.string(QStringLiteral("role"));
    if (!roles().contains(message.role))
        fields.fail(QStringLiteral("role"),
                    QStringLiteral("is \"%1\", not one of \"%2\"").arg(message.role, roles().join(QLatin1String("\", \""))));
    message.content = fields.string(QStringLiteral("content"));
    message.model = fields.optionalString(QStringLiteral("model"));
    message.createdAt = fields.optionalTime(QStringLiteral("createdAt"));
    message.complete = fields.optionalBool(QStringLiteral("complete"), true);
    return imported;
}

ImportedConversation readConversation(const QByteArray& json, const QString& file)
{
    const FieldReader top(file, topLevelObject(json, file), QString());
    checkFormat(top, file);
    ImportedConversation conversation;
    conversation.title = top.string(QStringLiteral("title"));
    conversation.systemPrompt = top.optionalString(QStringLiteral("systemPrompt"));
    conversation.createdAt = top.optionalTime(QStringLiteral("createdAt"));

    const QJsonArray messages = top.required(QStringLiteral("messages"), &QJsonValue::isArray, "an array").toArray();
    QHash<qint64, qsizetype> indexOfFileId;
    for (qsizetype i = 0; i < messages.size(); ++i) {
        const QString prefix = QStringLiteral("messages[%1]").arg(i);
        conversation.messages << readMessage(messages[i], file, prefix, indexOfFileId);
        indexOfFileId.insert(conversation.messages.last().message.id, i);
    }
    conversation.currentLeafFileId = top.id(QStringLiteral("currentLeafId"), true);
    if (conversation.currentLeafFileId != 0 && !indexOfFileId.contains(conversation.currentLeafFileId))
        top.fail(QStringLiteral("currentLeafId"),
                 QStringLiteral("is %1, which is not the id of a message in the file").arg(conversation.currentLeafFileId));
    return conversation;
}

} // namespace

QString conversationToMarkdown(const ChatStore& store, qint64 conversationId)
{
    const Conversation conversation = existingConversation(store, conversationId);
    QString markdown = QStringLiteral("# %1\n").arg(conversation.title);
    if (!conversation.systemPrompt.isEmpty())
        markdown += QStringLiteral("\n## System prompt\n\n%1\n").arg(conversation.systemPrompt);
    if (conversation.currentLeafId != 0) {
        for (const Message& message : store.pathTo(conversation.currentLeafId))
            markdown += QStringLiteral("\n## %1\n\n%2\n").arg(roleHeading(message), message.content);
    }
    return markdown;
}

QByteArray conversationToJson(const ChatStore& store, qint64 conversationId)
{
    const Conversation conversation = existingConversation(store, conversationId);
    const QList<Message> messages = store.messages(conversationId);
    QHash<qint64, qint64> fileIdOf;
    for (const Message& message : messages)
        fileIdOf.insert(message.id, fileIdOf.size() + 1);
    const auto fileId = [&](qint64 id) { return id == 0 ? QJsonValue() : QJsonValue(fileIdOf.value(id)); };

    QJsonArray messageArray;
    for (const Message& message : messages) {
        messageArray.append(QJsonObject{
            {QStringLiteral("id"), fileId(message.id)},
            {QStringLiteral("parentId"), fileId(message.parentId)},
            {QStringLiteral("role"), message.role},
            {QStringLiteral("content"), message.content},
            {QStringLiteral("model"), message.model},
            {QStringLiteral("createdAt"), timeValue(message.createdAt)},
            {QStringLiteral("complete"), message.complete},
        });
    }
    const QJsonObject document{
        {QStringLiteral("format"), QLatin1String(kFormat)},
        {QStringLiteral("version"), kVersion},
        {QStringLiteral("title"), conversation.title},
        {QStringLiteral("systemPrompt"), conversation.systemPrompt},
        {QStringLiteral("createdAt"), timeValue(conversation.createdAt)},
        {QStringLiteral("messages"), messageArray},
        {QStringLiteral("currentLeafId"), fileId(conversation.currentLeafId)},
    };
    return QJsonDocument(document).toJson(QJsonDocument::Indented);
}

qint64 importConversationJson(ChatStore& store, const QByteArray& json, const QString& fileNameForErrors)
{
    const ImportedConversation imported = readConversation(json, fileNameForErrors);
    qint64 conversationId = 0;
    store.transaction([&] {
        conversationId = store.createConversation(imported.title, imported.systemPrompt);
        store.setCreatedAt(conversationId, imported.createdAt);
        QHash<qint64, qint64> storeIdOf;
        for (const ImportedMessage& entry : imported.messages) {
            const Message& message = entry.message;
            const qint64 id = store.addMessage(conversationId, storeIdOf.value(entry.parentFileId), message.role,
                                               message.content, message.complete, message.model);
            store.setMessageCreatedAt(id, message.createdAt);
            storeIdOf.insert(message.id, id);
        }
        store.setCurrentLeaf(conversationId, storeIdOf.value(imported.currentLeafFileId));
    });
    return conversationId;
}

} // namespace latent::app
