#pragma once

#include <QMainWindow>

class QQuickWidget;

namespace latent::ui {

// The top-level window: menus around a QQuickWidget that runs the QML chat scene. The code
// editor panel joins it in a splitter, at the widget level, because KTextEditor is a QWidget.
class MainWindow : public QMainWindow {
    Q_OBJECT

public:
    explicit MainWindow(QWidget* parent = nullptr);

    QQuickWidget* chatView() const { return chatView_; }

private:
    void createMenus();
    void showAbout();

    QQuickWidget* chatView_ = nullptr;
};

} // namespace latent::ui
