// latent: the desktop app.

#include "engine/core/build_info.h"
#include "ui/main_window.h"

#include <QApplication>

int main(int argc, char** argv)
{
    QApplication app(argc, argv);
    QApplication::setApplicationName(QStringLiteral("Latent"));
    QApplication::setApplicationDisplayName(QStringLiteral("Latent"));
    QApplication::setOrganizationName(QStringLiteral("Latent"));
    QApplication::setApplicationVersion(QString::fromUtf8(latent::buildInfo().version.data(),
                                                          qsizetype(latent::buildInfo().version.size())));
    QApplication::setDesktopFileName(QStringLiteral("io.latent.Latent"));

    latent::ui::MainWindow window;
    window.show();
    return QApplication::exec();
}
