#include "app/remote/model_list_request.h"

#include "app/remote/endpoint_request.h"
#include "app/remote/remote_error_text.h"

#include <QCoreApplication>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>

namespace latent::app::remote {
namespace {

class ModelListText {
    Q_DECLARE_TR_FUNCTIONS(ModelListText)

public:
    static QString notAList(const QString& name) {
        return tr("%1 answered, but not with a list of models. Check that the base URL is the API's root (it "
                  "usually ends in /v1).")
            .arg(name);
    }
    static QString tooLarge(const QString& name) {
        return tr("%1 sent a model list larger than %2 MiB.").arg(name).arg(maxResponseBodyBytes / (1024 * 1024));
    }
};

} // namespace

bool parseModelList(const QByteArray& body, QList<RemoteModel>* models) {
    const QJsonValue data = QJsonDocument::fromJson(body).object().value(QLatin1String("data"));
    if (!data.isArray()) {
        return false;
    }
    models->clear();
    for (const QJsonValue& entry : data.toArray()) {
        const QJsonObject object = entry.toObject();
        RemoteModel model;
        model.id = object.value(QLatin1String("id")).toString();
        model.contextSize = object.value(QLatin1String("max_model_len")).toInt();
        if (model.contextSize <= 0) {
            model.contextSize = object.value(QLatin1String("meta")).toObject().value(QLatin1String("n_ctx_train")).toInt();
        }
        if (!model.id.isEmpty()) {
            models->append(model);
        }
    }
    return true;
}

ModelListRequest::ModelListRequest(QNetworkAccessManager& network, const RemoteEndpoint& endpoint, QObject* parent)
    : QObject(parent), endpoint_(endpoint) {
    reply_ = network.get(endpointRequest(endpoint, QStringLiteral("models")));
    connect(reply_, &QNetworkReply::readyRead, this, [this] {
        if (!tooLarge_ && !readBounded(*reply_, body_)) {
            tooLarge_ = true;
            reply_->abort();
        }
    });
    connect(reply_, &QNetworkReply::finished, this, &ModelListRequest::onReplyFinished);
}

ModelListRequest::~ModelListRequest() {
    if (reply_) {
        reply_->disconnect(this);
        reply_->abort();
        reply_->deleteLater();
    }
}

void ModelListRequest::onReplyFinished() {
    QNetworkReply* reply = reply_.data();
    reply_ = nullptr;
    reply->deleteLater();
    if (tooLarge_ || !readBounded(*reply, body_)) {
        emit failed(ModelListText::tooLarge(endpoint_.name));
        return;
    }
    const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    if (status != 200) {
        RemoteFailure failure;
        failure.network = reply->error();
        failure.httpStatus = status;
        failure.body = body_;
        failure.retryAfter = reply->rawHeader("Retry-After");
        failure.timedOut = status == 0 && reply->error() == QNetworkReply::OperationCanceledError;
        failure.url = reply->url().toString();
        emit failed(remoteErrorText(endpoint_.name, failure));
        return;
    }
    QList<RemoteModel> models;
    if (!parseModelList(body_, &models)) {
        emit failed(ModelListText::notAList(endpoint_.name));
        return;
    }
    emit listed(models);
}

} // namespace latent::app::remote
