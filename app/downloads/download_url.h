#pragma once

#include <QString>
#include <QUrl>

namespace latent::app {

// Where Hugging Face serves a repository's file: {mirror}/{repo}/resolve/main/{file}. A mirror
// (https://hf-mirror.com, as people in China use) keeps Hugging Face's paths; empty means Hugging Face.
QUrl huggingFaceFileUrl(const QString& mirror, const QString& repo, const QString& file);

// Empty when the mirror is usable (empty, or an http(s) address with a host); else what is wrong.
QString mirrorProblem(const QString& mirror);

} // namespace latent::app
