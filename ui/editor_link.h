#pragma once

#include <QObject>
#include <QString>
#include <QtQml/qqmlregistration.h>

class QJSEngine;
class QQmlEngine;

namespace latent::ui {

// QML singleton `EditorLink` (module Latent.Ui): what the chat's code blocks know of the code
// editor panel. The window keeps `available` and `hasSelection` up to date and carries out the
// requests (a diff preview first, then the change as one undo step); a scene without the window
// (the component tests) sees an editor that is not there. One object for the process, so that
// every QML engine and the window share it.
class EditorLink : public QObject {
    Q_OBJECT
    QML_ELEMENT
    QML_SINGLETON
    Q_PROPERTY(bool available READ available NOTIFY stateChanged)       // a file is open in the editor
    Q_PROPERTY(bool hasSelection READ hasSelection NOTIFY stateChanged) // text is selected in it

public:
    static EditorLink* instance();
    static EditorLink* create(QQmlEngine* qmlEngine, QJSEngine* jsEngine);

    bool available() const { return available_; }
    bool hasSelection() const { return hasSelection_; }
    void setState(bool available, bool hasSelection);

    Q_INVOKABLE void insertAtCursor(const QString& code) { emit insertRequested(code); }
    // Replaces the selection, or the whole file when nothing is selected.
    Q_INVOKABLE void replaceSelectionOrFile(const QString& code) { emit replaceRequested(code); }

signals:
    void stateChanged();
    void insertRequested(const QString& code);
    void replaceRequested(const QString& code);

private:
    explicit EditorLink(QObject* parent) : QObject(parent) {}

    bool available_ = false;
    bool hasSelection_ = false;
};

} // namespace latent::ui
