#pragma once

// The text that store_crash_writer streams into a message, shared with test_store_crash so that
// it can check what survived a kill: message id's text is always a prefix of crashText(id, ...).

#include <QString>

inline QString crashText(qint64 messageId, qsizetype length)
{
    QString text;
    for (int word = 0; text.size() < length; ++word)
        text += QStringLiteral("%1.%2 流式 ").arg(messageId).arg(word);
    return text.left(length);
}
