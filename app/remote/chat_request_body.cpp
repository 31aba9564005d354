#include "app/remote/chat_request_body.h"

#include "app/chat/thinking_text.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace latent::app::remote {

QByteArray chatRequestBody(const QString& model, const QList<ChatTurn>& turns, const GenerationOptions& options) {
    QJsonArray messages;
    for (const ChatTurn& turn : turns) {
        const QString content = turn.role == QLatin1String("assistant") ? splitThinking(turn.content).answer
                                                                         : turn.content;
        messages.append(QJsonObject{{QStringLiteral("role"), turn.role}, {QStringLiteral("content"), content}});
    }
    QJsonObject body{
        {QStringLiteral("model"), model},
        {QStringLiteral("messages"), messages},
        {QStringLiteral("stream"), true},
        {QStringLiteral("stream_options"), QJsonObject{{QStringLiteral("include_usage"), true}}},
        {QStringLiteral("temperature"), double(qMax(0.0f, options.sampling.temperature))},
        // 31 bits: servers keep the seed in a signed 32-bit integer (llama.cpp) or reject more.
        {QStringLiteral("seed"), qint64(options.sampling.seed & 0x7fffffff)},
    };
    if (options.sampling.topP < 1.0f) {
        body.insert(QStringLiteral("top_p"), double(options.sampling.topP));
    }
    if (options.sampling.frequencyPenalty != 0) {
        body.insert(QStringLiteral("frequency_penalty"), double(options.sampling.frequencyPenalty));
    }
    if (options.sampling.presencePenalty != 0) {
        body.insert(QStringLiteral("presence_penalty"), double(options.sampling.presencePenalty));
    }
    if (options.maxTokens > 0) {
        body.insert(QStringLiteral("max_tokens"), options.maxTokens);
    }
    if (!options.stopStrings.empty()) {
        QJsonArray stops;
        for (const std::string& stop : options.stopStrings) {
            stops.append(QString::fromStdString(stop));
        }
        body.insert(QStringLiteral("stop"), stops);
    }
    return QJsonDocument(body).toJson(QJsonDocument::Compact);
}

} // namespace latent::app::remote
