#include "app/downloads/resumable_download.h"

#include <QDir>
#include <QFileInfo>
#include <QLocale>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QRegularExpression>
#include <QStorageInfo>
#include <QTimer>

namespace latent::app {

namespace {

constexpr qint64 readBufferBytes = 1 << 20; // what Qt may hold of the body before we write it
constexpr qint64 rehashBytesPerStep = 16 << 20; // a step of re-hashing the part between events
constexpr qint64 chunkBytes = 256 << 10;

QString sizeText(qint64 bytes)
{
    return QLocale().formattedDataSize(bytes, 1, QLocale::DataSizeTraditionalFormat);
}

} // namespace

qint64 freeSpaceOnDisk(const QString& folder)
{
    QStorageInfo storage(folder);
    return storage.isValid() && storage.isReady() ? storage.bytesAvailable() : -1;
}

ResumableDownload::ResumableDownload(QNetworkAccessManager& network, const QString& destinationPath,
                                     PartFileState state, Phase initial, FreeSpaceProbe freeSpace, QObject* parent)
    : QObject(parent), network_(network), destinationPath_(destinationPath), state_(std::move(state)),
      freeSpace_(freeSpace ? std::move(freeSpace) : FreeSpaceProbe(freeSpaceOnDisk)), phase_(initial),
      part_(partPath())
{
    received_ = QFileInfo(partPath()).size();
}

ResumableDownload::~ResumableDownload()
{
    if (reply_) {
        reply_->disconnect(this);
        reply_->abort();
        reply_->deleteLater();
    }
}

QString ResumableDownload::fileName() const
{
    return QFileInfo(destinationPath_).fileName();
}

qint64 ResumableDownload::totalBytes() const
{
    return state_.totalBytes > 0 ? state_.totalBytes : state_.expectedBytes;
}

qint64 ResumableDownload::secondsLeft() const
{
    if (phase_ != Phase::Transferring || totalBytes() <= 0)
        return -1;
    return rate_.secondsLeft(totalBytes() - received_);
}

void ResumableDownload::setPhase(Phase phase)
{
    if (phase_ == phase)
        return;
    phase_ = phase;
    emit phaseChanged();
}

void ResumableDownload::fail(const QString& text)
{
    error_ = text;
    if (reply_) {
        abort_ = Abort::Failure;
        reply_->abort(); // onFinished closes the part file
    } else {
        part_.close();
    }
    setPhase(Phase::Failed);
}

void ResumableDownload::start()
{
    if (phase_ == Phase::Checking || phase_ == Phase::Transferring || phase_ == Phase::Done)
        return;
    error_.clear();
    const QString folder = QFileInfo(destinationPath_).absolutePath();
    if (!QDir().mkpath(folder)) {
        fail(tr("Could not create the download folder %1: choose another folder in the Downloads settings.")
                 .arg(QDir::toNativeSeparators(folder)));
        return;
    }
    if (!part_.open(QIODevice::ReadWrite)) {
        fail(tr("Could not open %1 in %2 to write it: %3.")
                 .arg(QFileInfo(partPath()).fileName(), QDir::toNativeSeparators(folder), part_.errorString()));
        return;
    }
    if (!state_.write(PartFileState::pathFor(partPath()))) {
        fail(tr("Could not write beside %1 in %2: check that the folder is writable.")
                 .arg(fileName(), QDir::toNativeSeparators(folder)));
        return;
    }
    // The hash of what is already on disk: a SHA-256 cannot be saved half-way, so it is computed
    // again from the part file, in steps, so that the window stays responsive for a large file.
    received_ = part_.size();
    rehashed_ = 0;
    hash_.reset();
    setPhase(Phase::Checking);
    const quint64 generation = ++generation_;
    QTimer::singleShot(0, this, [this, generation] { rehashStep(generation); });
}

void ResumableDownload::rehashStep(quint64 generation)
{
    if (generation != generation_ || phase_ != Phase::Checking)
        return;
    part_.seek(rehashed_);
    const qint64 stepEnd = qMin(received_, rehashed_ + rehashBytesPerStep);
    while (rehashed_ < stepEnd) {
        const QByteArray chunk = part_.read(qMin(chunkBytes * 4, stepEnd - rehashed_));
        if (chunk.isEmpty()) {
            fail(tr("Could not read the partial download %1: %2.").arg(partPath(), part_.errorString()));
            return;
        }
        hash_.addData(chunk);
        rehashed_ += chunk.size();
    }
    if (rehashed_ < received_) {
        QTimer::singleShot(0, this, [this, generation] { rehashStep(generation); });
        return;
    }
    part_.seek(received_);
    if (enoughSpace(totalBytes()))
        sendRequest();
}

bool ResumableDownload::enoughSpace(qint64 total)
{
    if (total <= 0)
        return true;
    const QString folder = QFileInfo(destinationPath_).absolutePath();
    const qint64 needed = total - received_ + spaceMarginBytes;
    const qint64 free = freeSpace_(folder);
    if (free < 0 || free >= needed)
        return true;
    fail(tr("Not enough free space in %1 for %2: it needs %3 more (with %4 kept free), and %5 is free. "
            "Free some space or choose another download folder, then Resume.")
             .arg(QDir::toNativeSeparators(folder), fileName(), sizeText(total - received_),
                  sizeText(spaceMarginBytes), sizeText(free)));
    return false;
}

void ResumableDownload::sendRequest()
{
    QNetworkRequest request(state_.url);
    request.setAttribute(QNetworkRequest::RedirectPolicyAttribute, QNetworkRequest::NoLessSafeRedirectPolicy);
    if (received_ > 0) {
        request.setRawHeader("Range", "bytes=" + QByteArray::number(received_) + '-');
        // Only the same file may continue the part: a changed one comes back whole (200).
        const QByteArray validator = state_.etag.isEmpty() ? state_.lastModified : state_.etag;
        if (!validator.isEmpty())
            request.setRawHeader("If-Range", validator);
    }
    abort_ = Abort::None;
    headersAccepted_ = false;
    rate_.restart();
    rate_.add(received_);
    reply_ = network_.get(request);
    reply_->setReadBufferSize(readBufferBytes);
    connect(reply_, &QNetworkReply::readyRead, this, &ResumableDownload::readBody);
    connect(reply_, &QNetworkReply::finished, this, &ResumableDownload::onFinished);
    setPhase(Phase::Transferring);
    emit progressed();
}

QString ResumableDownload::httpErrorText(int status) const
{
    if (status == 404 || status == 410)
        return tr("%1 is not on the server (HTTP %2): the catalogue or the mirror may be out of date.")
            .arg(fileName())
            .arg(status);
    if (status == 401 || status == 403)
        return tr("The server refused to send %1 (HTTP %2): the repository may need a login or accepting "
                  "its licence on its web page.")
            .arg(fileName())
            .arg(status);
    if (status == 416)
        return tr("The server could not continue %1 where it stopped (HTTP 416): Cancel and download it again.")
            .arg(fileName());
    if (status >= 500)
        return tr("The server failed to send %1 (HTTP %2): Resume later.").arg(fileName()).arg(status);
    return tr("The server answered HTTP %2 for %1.").arg(fileName()).arg(status);
}

bool ResumableDownload::acceptHeaders()
{
    const int status = reply_->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    if (status >= 400 || (status != 200 && status != 206)) {
        fail(httpErrorText(status));
        return false;
    }
    const qint64 length = reply_->header(QNetworkRequest::ContentLengthHeader).toLongLong();
    qint64 total = 0;
    if (status == 206) {
        static const QRegularExpression range(QStringLiteral("^bytes (\\d+)-(\\d+)/(\\d+|\\*)$"));
        const QRegularExpressionMatch match = range.match(QString::fromLatin1(reply_->rawHeader("Content-Range")));
        if (!match.hasMatch() || match.captured(1).toLongLong() != received_) {
            fail(tr("The server sent another part of %1 than the one asked for: Resume to try again.")
                     .arg(fileName()));
            return false;
        }
        total = match.captured(3) == QLatin1String("*") ? received_ + length : match.captured(3).toLongLong();
    } else {
        // 200: the whole file, because the server ignores Range or the file changed since the part
        // was written (If-Range). Either way the part is worthless: start again from zero.
        if (received_ > 0) {
            part_.resize(0);
            part_.seek(0);
            hash_.reset();
            received_ = 0;
            rate_.restart();
        }
        total = length > 0 ? length : 0;
    }
    if (state_.expectedBytes > 0 && total > 0 && total != state_.expectedBytes) {
        fail(tr("The server's %1 is %2 bytes, not the catalogue's %3: the file may have changed. It was not "
                "downloaded.")
                 .arg(fileName())
                 .arg(total)
                 .arg(state_.expectedBytes));
        return false;
    }
    state_.totalBytes = total;
    state_.etag = reply_->rawHeader("ETag");
    state_.lastModified = reply_->rawHeader("Last-Modified");
    if (!enoughSpace(total))
        return false;
    state_.write(PartFileState::pathFor(partPath()));
    headersAccepted_ = true;
    return true;
}

void ResumableDownload::readBody()
{
    if (!reply_ || abort_ != Abort::None)
        return;
    const int status = reply_->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    if (!headersAccepted_ && status >= 400)
        return; // an error page: onFinished reports the status
    if (!headersAccepted_ && !acceptHeaders())
        return;
    while (reply_->bytesAvailable() > 0) {
        const QByteArray chunk = reply_->read(chunkBytes);
        if (part_.write(chunk) != chunk.size()) {
            fail(tr("Could not write %1 in %2: %3. Free some space or choose another folder, then Resume.")
                     .arg(fileName(), QDir::toNativeSeparators(QFileInfo(destinationPath_).absolutePath()),
                          part_.errorString()));
            return;
        }
        hash_.addData(chunk);
        received_ += chunk.size();
    }
    rate_.add(received_);
    emit progressed();
}

void ResumableDownload::onFinished()
{
    QNetworkReply* reply = reply_;
    reply->deleteLater();
    const Abort abort = abort_;
    // The last bytes, also those that arrived before a connection dropped, and the headers of an
    // empty body.
    if (abort == Abort::None && (reply->error() == QNetworkReply::NoError || headersAccepted_))
        readBody();
    reply_ = nullptr;
    abort_ = Abort::None;
    if (abort == Abort::Failure || phase_ == Phase::Failed) {
        part_.close();
        return;
    }
    part_.flush();
    if (abort == Abort::Cancel) {
        removePartFiles();
        return;
    }
    if (abort == Abort::Pause) {
        part_.close();
        setPhase(Phase::Paused);
        return;
    }
    if (reply->error() != QNetworkReply::NoError) {
        const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        if (status >= 400)
            fail(httpErrorText(status));
        else
            fail(tr("The download of %1 stopped: %2. Resume continues where it stopped.")
                     .arg(fileName(), reply->errorString()));
        return;
    }
    finishFile();
}

void ResumableDownload::finishFile()
{
    part_.close();
    if (state_.totalBytes > 0 && received_ != state_.totalBytes) {
        fail(tr("The download of %1 ended early, at %2 of %3 bytes: Resume continues where it stopped.")
                 .arg(fileName())
                 .arg(received_)
                 .arg(state_.totalBytes));
        return;
    }
    if (!state_.sha256.isEmpty()) {
        const QByteArray actual = hash_.result().toHex();
        if (actual != state_.sha256) {
            removePartFiles();
            fail(tr("%1 arrived damaged: its SHA-256 is %2, not the published %3. The file was removed; "
                    "download it again, or from another mirror.")
                     .arg(fileName(), QString::fromLatin1(actual), QString::fromLatin1(state_.sha256)));
            return;
        }
    }
    QFile::remove(destinationPath_); // an older copy of the same file
    if (!QFile::rename(partPath(), destinationPath_)) {
        fail(tr("Could not move %1 into place in %2: check that the folder is writable, then Resume.")
                 .arg(fileName(), QDir::toNativeSeparators(QFileInfo(destinationPath_).absolutePath())));
        return;
    }
    QFile::remove(PartFileState::pathFor(partPath()));
    setPhase(Phase::Done);
    emit progressed();
}

void ResumableDownload::requeue()
{
    if (phase_ == Phase::Paused || phase_ == Phase::Failed)
        setPhase(Phase::Waiting);
}

void ResumableDownload::pause()
{
    ++generation_;
    if (reply_) {
        abort_ = Abort::Pause;
        reply_->abort();
        return;
    }
    if (phase_ == Phase::Checking || phase_ == Phase::Waiting) {
        part_.close();
        setPhase(Phase::Paused);
    }
}

void ResumableDownload::cancel()
{
    ++generation_;
    if (phase_ == Phase::Done)
        return;
    if (reply_) {
        abort_ = Abort::Cancel;
        reply_->abort();
        return;
    }
    removePartFiles();
}

void ResumableDownload::removePartFiles()
{
    part_.close();
    QFile::remove(partPath());
    QFile::remove(PartFileState::pathFor(partPath()));
    received_ = 0;
}

} // namespace latent::app
