#include "app/chat/load_error_text.h"

#include <QCoreApplication>
#include <QFileInfo>

namespace latent::app {
namespace {

// The translation context of the sentences (lupdate reads Q_DECLARE_TR_FUNCTIONS).
class LoadErrorText {
    Q_DECLARE_TR_FUNCTIONS(LoadErrorText)

public:
    static QString sentence(const Error& error, const QString& file)
    {
        const QString subject = QString::fromStdString(error.subject());
        switch (error.kind()) {
        case ErrorKind::FileUnreadable:
            return tr("%1 could not be opened. Check that the file exists and that you may read it.").arg(file);
        case ErrorKind::NotGguf:
            return tr("%1 is not a GGUF model file, or it is damaged or incomplete (a download cut short, say). "
                      "Choose a .gguf file, or download this one again.")
                .arg(file);
        case ErrorKind::ModelDataInvalid:
            return tr("%1 is damaged or incomplete: part of the model is missing or malformed. Download the file "
                      "again.")
                .arg(file);
        case ErrorKind::UnsupportedArchitecture:
            return tr("%1 is a model of architecture \"%2\", which Latent cannot run: it runs DeepSeek models "
                      "(architectures llama and deepseek2).")
                .arg(file, subject);
        case ErrorKind::UnsupportedWeightType:
            return tr("%1 stores weights as %2, a type this version cannot compute. Choose another quantization "
                      "of the model, such as Q4_K_M, Q6_K or Q8_0.")
                .arg(file, subject);
        case ErrorKind::OutOfMemory:
            return tr("There is not enough memory to load %1. Close other programs, choose a smaller context size "
                      "in Settings, or a smaller quantization of the model.")
                .arg(file);
        case ErrorKind::Unspecified: break;
        }
        return tr("%1 could not be loaded. The engine's reason:").arg(file);
    }
};

} // namespace

QString loadErrorText(const Error& error, const QString& path)
{
    return LoadErrorText::sentence(error, QFileInfo(path).fileName()) + QStringLiteral("\n\n") +
           QString::fromUtf8(error.what());
}

} // namespace latent::app
