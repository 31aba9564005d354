#pragma once

#include <QByteArray>
#include <QString>

namespace latent::app {

class ChatStore;

// A conversation as a file: Markdown to read or share (the branch on screen), JSON to move it
// between machines whole (every branch, so that nothing the user wrote is left behind).

// The conversation's current branch: the title as a heading, the system prompt, then each message
// under a heading for its role, its text as it is (code blocks included).
QString conversationToMarkdown(const ChatStore& store, qint64 conversationId);

// The whole tree: {"format": "latent-conversation", "version": 1, "title", "systemPrompt",
// "createdAt", "messages": [{"id", "parentId", "role", "content", "model", "createdAt",
// "complete"}], "currentLeafId"}. Ids are local to the file (1, 2, ...); a parent comes before
// its children; parentId is null for a root; times are ISO 8601 in UTC.
QByteArray conversationToJson(const ChatStore& store, qint64 conversationId);

// Adds the conversation in json as a new one, in one transaction, its tree, times and current
// branch kept; returns its id. Throws StoreError naming fileNameForErrors and the field for a file
// that is not such a conversation, or comes from a newer Latent.
qint64 importConversationJson(ChatStore& store, const QByteArray& json, const QString& fileNameForErrors);

} // namespace latent::app
