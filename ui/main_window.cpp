#include "ui/main_window.h"

#include <QApplication>
#include <QMenuBar>
#include <QMessageBox>
#include <QQmlEngine>
#include <QQuickWidget>

namespace latent::ui {

MainWindow::MainWindow(QWidget* parent) : QMainWindow(parent)
{
    setWindowTitle(QApplication::applicationDisplayName());
    resize(1100, 720);

    chatView_ = new QQuickWidget(this);
    chatView_->setResizeMode(QQuickWidget::SizeRootObjectToView);
    chatView_->engine()->addImportPath(QStringLiteral("qrc:/qt/qml"));
    chatView_->setSource(QUrl(QStringLiteral("qrc:/qt/qml/Latent/Ui/qml/Main.qml")));
    setCentralWidget(chatView_);

    createMenus();
}

void MainWindow::createMenus()
{
    QMenu* file = menuBar()->addMenu(tr("&File"));
    file->addAction(tr("&Quit"), QKeySequence::Quit, this, &QWidget::close);

    QMenu* help = menuBar()->addMenu(tr("&Help"));
    help->addAction(tr("&About Latent"), this, &MainWindow::showAbout);
}

void MainWindow::showAbout()
{
    QMessageBox::about(this, tr("About Latent"),
                       tr("<h3>Latent %1</h3><p>Chat with DeepSeek models on your own machine. "
                          "Your conversations never leave it.</p>")
                           .arg(QApplication::applicationVersion()));
}

} // namespace latent::ui
