#pragma once

#include "app/remote/remote_endpoint.h"

#include <QByteArray>
#include <QList>
#include <QObject>
#include <QPointer>
#include <QString>

class QNetworkAccessManager;
class QNetworkReply;

namespace latent::app::remote {

// A model an endpoint serves, as GET {base}/models lists it.
struct RemoteModel {
    QString id;
    int contextSize = 0; // vLLM's max_model_len, llama.cpp's meta.n_ctx_train; 0: the server did not say
};

// The models of an OpenAI list ({"data": [{"id": ...}, ...]}); false when body is not one.
bool parseModelList(const QByteArray& body, QList<RemoteModel>* models);

// GET {base}/models: answers listed or failed (in plain words naming the endpoint), once.
class ModelListRequest : public QObject {
    Q_OBJECT

public:
    ModelListRequest(QNetworkAccessManager& network, const RemoteEndpoint& endpoint, QObject* parent = nullptr);
    ~ModelListRequest() override;

signals:
    void listed(const QList<latent::app::remote::RemoteModel>& models);
    void failed(const QString& message);

private:
    void onReplyFinished();

    RemoteEndpoint endpoint_;
    QPointer<QNetworkReply> reply_;
    QByteArray body_;
    bool tooLarge_ = false;
};

} // namespace latent::app::remote

Q_DECLARE_METATYPE(latent::app::remote::RemoteModel)
