#pragma once

#include <QMainWindow>

class QMenu;
class QMenuBar;
class QQuickWidget;
class QSplitter;

namespace latent::app {
class ChatController;
class LocalServer;
class ModelDownloads;
class ModelManager;
} // namespace latent::app

namespace latent::app::remote {
class RemoteModels;
}

namespace latent::ui {

class EditorArea;

// The top-level window: menus around a QQuickWidget that runs the QML chat scene (Main.qml, with
// the context properties `chat`, `models` and `downloads`), and the code editor beside it in the splitter
// (EditorArea: a widget, as the editor components are). Errors of the chat need no dialogs here:
// the scene shows the controller's and the model manager's errors in its banner.
class MainWindow : public QMainWindow {
    Q_OBJECT

public:
    MainWindow(app::ChatController& chat, app::ModelManager& models, QWidget* parent = nullptr);

    QQuickWidget* chatView() const { return chatView_; }
    QSplitter* splitter() const { return splitter_; }
    EditorArea* editorArea() const { return editorArea_; }
    app::remote::RemoteModels* remoteModels() const { return remoteModels_; }

private slots:
    void openModel(); // also the scene's openModelFileRequested

protected:
    void changeEvent(QEvent* event) override;
    void closeEvent(QCloseEvent* event) override;

private:
    void createMenus(); // again on every language change, in the new language
    void createFileMenu(QMenuBar* bar);
    void createViewMenu(QMenuBar* bar);
    void chatOnly(QAction* action);
    void addChoiceMenu(QMenu* parent, const QString& title, const QVariantList& choices, const char* property);
    void fillRecentModels(QMenu* menu);
    void importConversation();
    void exportConversation(const QString& format);
    void callScene(const char* function); // a function of Main.qml's root item, when it has one
    void showAbout();
    void updateTitle();
    void restoreLayout();
    void saveLayout() const;

    app::ChatController& chat_;
    app::ModelManager& models_;
    app::ModelDownloads* downloads_ = nullptr; // the context property `downloads`
    app::LocalServer* localServer_ = nullptr;  // the context property `localServer`
    app::remote::RemoteModels* remoteModels_ = nullptr; // the context property `remoteModels`
    QSplitter* splitter_ = nullptr;
    QQuickWidget* chatView_ = nullptr;
    EditorArea* editorArea_ = nullptr;
};

} // namespace latent::ui
