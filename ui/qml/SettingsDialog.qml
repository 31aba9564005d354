import QtQuick
import QtQuick.Controls.Basic
import QtQuick.Layouts
import Latent.Ui

// Settings: how the model runs (applied at the next load), how answers are sampled (from the
// next answer), and the app's language and theme. `manager` is the ModelManager (or a stand-in).
// The page is built when the dialog opens, so it reads the manager only while it is shown, and
// again after a theme switch: controls in a popup keep the palette they were created with.
Dialog {
    id: dialog

    property var manager: null
    property var localServer: null // the LocalServer; null: its section is left out
    property var remoteModels: null // the RemoteModels; null: the remote engines' section is left out

    signal reloadRequested()

    property bool rebuildingPage: false

    // An error caused here (a preset refused) shows here: the window's banner is behind the dialog.
    function showError(title, message) {
        errorBanner.show(title, message)
    }

    function rebuildPage() {
        if (!page.item)
            return
        const scrolled = page.item.contentItem.contentY
        rebuildingPage = true
        rebuildingPage = false
        page.item.contentItem.contentY = scrolled
    }

    title: qsTr("Settings")
    modal: true
    onClosed: errorBanner.dismiss()
    anchors.centerIn: parent
    width: Math.min(parent ? parent.width - 2 * Theme.spacingHuge : 640, 640)
    height: Math.min(parent ? parent.height - 2 * Theme.spacingHuge : 640, 720)
    padding: Theme.spacingLarge

    background: Rectangle {
        color: Theme.popup
        radius: Theme.radiusMedium
        border.color: Theme.border
    }
    header: Text {
        padding: Theme.spacingLarge
        bottomPadding: 0
        text: dialog.title
        color: Theme.text
        font.pixelSize: Theme.fontSizeHeading - 4
        font.weight: Font.DemiBold
    }
    footer: DialogButtonBox {
        padding: Theme.spacingLarge
        alignment: Qt.AlignRight
        background: null
        FlatButton {
            objectName: "closeSettingsButton"
            text: qsTr("Close")
            DialogButtonBox.buttonRole: DialogButtonBox.RejectRole
        }
    }

    // Later, not inside the handler of the Theme box that may have switched it.
    Connections {
        target: Theme
        function onDarkChanged() { Qt.callLater(dialog.rebuildPage) }
    }

    ColumnLayout {
        anchors.fill: parent
        spacing: Theme.spacingMedium

        ErrorBanner {
            id: errorBanner
            objectName: "settingsErrorBanner"
            Layout.fillWidth: true
        }

        Loader {
            id: page
            Layout.fillWidth: true
            Layout.fillHeight: true
            active: dialog.visible && dialog.manager !== null && !dialog.rebuildingPage
            sourceComponent: ScrollView {
                id: scroller
                contentWidth: availableWidth

                ColumnLayout {
                    width: scroller.availableWidth
                    spacing: Theme.spacingMedium

                    Heading { text: qsTr("Model") }
                    GridLayout {
                        Layout.fillWidth: true
                        columns: 2
                        columnSpacing: Theme.spacingMedium
                        rowSpacing: Theme.spacingSmall

                        Label { text: qsTr("Backend") }
                        // The stored names ("auto", "cpu", "vulkan", "cuda") shown in the UI's language.
                        ThemedComboBox {
                            objectName: "backendBox"
                            Layout.fillWidth: true
                            model: dialog.manager.backends.map(name => ({
                                name: name,
                                label: name === "auto" ? qsTr("auto", "the backend: chosen for this machine")
                                     : name === "cpu" ? qsTr("cpu", "the backend") : name
                            }))
                            textRole: "label"
                            valueRole: "name"
                            currentIndex: dialog.manager.backends.indexOf(dialog.manager.backend)
                            onActivated: dialog.manager.backend = currentValue
                        }
                        Label { text: qsTr("Threads") }
                        SpinBox {
                            objectName: "threadsBox"
                            value: dialog.manager.threads
                            to: 512
                            editable: true
                            textFromValue: (value, locale) => value === 0 ? qsTr("Automatic") : Number(value).toLocaleString(locale, "f", 0)
                            valueFromText: (text, locale) => text === qsTr("Automatic") ? 0 : Number.fromLocaleString(locale, text)
                            onValueModified: dialog.manager.threads = value
                        }
                        Label { text: qsTr("Context size") }
                        SpinBox {
                            objectName: "contextSizeBox"
                            value: dialog.manager.contextSize
                            from: 512
                            to: 1048576
                            stepSize: 1024
                            editable: true
                            onValueModified: dialog.manager.contextSize = value
                        }
                    }
                    RowLayout {
                        Layout.fillWidth: true
                        spacing: Theme.spacingMedium
                        Text {
                            objectName: "nextLoadNote"
                            Layout.fillWidth: true
                            text: qsTr("Backend, threads and context size take effect the next time a model is loaded.")
                            color: Theme.textMuted
                            font.pixelSize: Theme.fontSizeSmall
                            wrapMode: Text.Wrap
                        }
                        FlatButton {
                            objectName: "reloadButton"
                            visible: dialog.manager.modelPath !== ""
                            text: qsTr("Reload model now")
                            onClicked: dialog.reloadRequested()
                        }
                    }

                    Heading { text: qsTr("Answers") }
                    SamplingSettings {
                        Layout.fillWidth: true
                        manager: dialog.manager
                    }

                    Heading {
                        visible: dialog.remoteModels !== null
                        text: qsTr("Remote models")
                    }
                    Loader {
                        Layout.fillWidth: true
                        active: dialog.remoteModels !== null
                        visible: active
                        sourceComponent: RemoteEndpointSettings { remote: dialog.remoteModels }
                    }

                    Heading {
                        visible: dialog.localServer !== null
                        text: qsTr("Local server")
                    }
                    Loader {
                        Layout.fillWidth: true
                        active: dialog.localServer !== null
                        visible: active
                        sourceComponent: LocalServerSettings { server: dialog.localServer }
                    }

                    Heading { text: qsTr("Appearance") }
                    GridLayout {
                        Layout.fillWidth: true
                        columns: 2
                        columnSpacing: Theme.spacingMedium
                        rowSpacing: Theme.spacingSmall

                        Label { text: qsTr("Language") }
                        ThemedComboBox {
                            objectName: "languageBox"
                            Layout.fillWidth: true
                            model: UiSettings.languages
                            textRole: "name"
                            valueRole: "code"
                            onActivated: UiSettings.language = currentValue
                            Component.onCompleted: currentIndex = Qt.binding(() => indexOfValue(UiSettings.language))
                        }
                        Label { text: qsTr("Theme") }
                        ThemedComboBox {
                            objectName: "themeBox"
                            Layout.fillWidth: true
                            model: UiSettings.themes
                            textRole: "name"
                            valueRole: "code"
                            onActivated: UiSettings.theme = currentValue
                            Component.onCompleted: currentIndex = Qt.binding(() => indexOfValue(UiSettings.theme))
                        }
                    }
                }
            }
        }
    }

    component Heading: Text {
        Layout.topMargin: Theme.spacingSmall
        color: Theme.text
        font.pixelSize: Theme.fontSizeTitle
        font.weight: Font.DemiBold
    }
}
