#include "app/downloads/download_url.h"

#include <QCoreApplication>

namespace latent::app {

namespace {
const QString huggingFace = QStringLiteral("https://huggingface.co");
}

QUrl huggingFaceFileUrl(const QString& mirror, const QString& repo, const QString& file)
{
    QString base = mirror.trimmed().isEmpty() ? huggingFace : mirror.trimmed();
    while (base.endsWith(QLatin1Char('/')))
        base.chop(1);
    return QUrl(QStringLiteral("%1/%2/resolve/main/%3").arg(base, repo, file));
}

QString mirrorProblem(const QString& mirror)
{
    if (mirror.trimmed().isEmpty())
        return {};
    const QUrl url(mirror.trimmed(), QUrl::StrictMode);
    if (!url.isValid() || (url.scheme() != QLatin1String("https") && url.scheme() != QLatin1String("http")) ||
        url.host().isEmpty())
        return QCoreApplication::translate("DownloadUrl",
                                           "The mirror \"%1\" is not a web address: write it as "
                                           "https://hf-mirror.com, or leave it empty for Hugging Face.")
            .arg(mirror);
    return {};
}

} // namespace latent::app
