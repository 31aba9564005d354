import QtQuick
import QtQuick.Layouts
import Latent.App
import Latent.Ui

// The chat scene, in the window's QQuickWidget. The only file that knows the app core: it binds
// the context properties `chat` (ChatController) and `models` (ModelManager) to the components
// and turns their signals into calls. The window's menus call focusSearch() and openSettings();
// the window answers openModelFileRequested with the platform's file dialog.
Rectangle {
    id: root

    signal openModelFileRequested()

    readonly property bool loading: models.state === ModelManager.Loading
    readonly property bool ready: models.state === ModelManager.Ready
    readonly property bool firstRun: !loading && !ready && models.recentModels.length === 0
    // The context property `remoteModels` (RemoteModels), or null where it is not set (tests).
    readonly property var remoteEngines: typeof remoteModels === "undefined" ? null : remoteModels
    // The context property `localServer` (LocalServer), or null where it is not set (tests).
    readonly property var localServerOrNull: typeof localServer === "undefined" ? null : localServer

    function focusSearch() {
        sidebar.focusSearch()
    }

    function openSettings() {
        settingsDialog.open()
    }

    function openModelFile() {
        openModelFileRequested()
    }

    // Where the user is looking: in the settings dialog while it is open (it hides the banner).
    function showError(title, message) {
        if (settingsDialog.visible)
            settingsDialog.showError(title, message)
        else
            errorBanner.show(title, message)
    }

    // Esc stops an answer from wherever the focus is in the chat; a field's own Esc (the search's
    // clear, a rename's cancel) comes first.
    Keys.onEscapePressed: (event) => {
        event.accepted = chat.generating
        if (chat.generating)
            chat.stop()
    }

    color: Theme.background
    // What the Basic style draws itself (spin boxes, combo boxes, scroll bars) takes these colors.
    palette {
        window: Theme.popup
        windowText: Theme.text
        base: Theme.background
        alternateBase: Theme.sidebar
        text: Theme.text
        button: Theme.surface
        buttonText: Theme.text
        brightText: Theme.accentText
        highlight: Theme.accent
        highlightedText: Theme.accentText
        placeholderText: Theme.textMuted
        toolTipBase: Theme.popup
        toolTipText: Theme.text
        light: Theme.surfaceHover
        midlight: Theme.surface
        mid: Theme.border
        dark: Theme.textMuted
        shadow: "#000000" // dims the window behind a modal dialog
    }

    Connections {
        target: chat
        function onErrorOccurred(title, message) { root.showError(title, message) }
        function onMessageOpened(row) { messageList.showRow(row) }
        function onCurrentConversationChanged() {
            messageList.scrollToEnd()
            composer.focusInput()
        }
    }
    Connections {
        target: models
        function onLoadFailed(message) { root.showError(qsTr("The model could not be loaded"), message) }
        function onErrorOccurred(title, message) { root.showError(title, message) }
    }
    Connections {
        target: root.remoteEngines
        function onErrorOccurred(title, message) { root.showError(title, message) }
    }

    ColumnLayout {
        anchors.fill: parent
        spacing: 0

        ErrorBanner {
            id: errorBanner
            objectName: "errorBanner"
            Layout.fillWidth: true
            Layout.margins: Theme.spacingSmall
        }
        LoadingPane {
            Layout.fillWidth: true
            Layout.margins: Theme.spacingSmall
            visible: root.loading
            modelPath: models.modelPath
            progress: models.loadProgress
            onCancelRequested: models.cancelLoad()
        }

        WelcomeScreen {
            Layout.fillWidth: true
            Layout.fillHeight: true
            visible: root.firstRun
            onOpenModelRequested: root.openModelFile()
        }

        RowLayout {
            Layout.fillWidth: true
            Layout.fillHeight: true
            visible: !root.firstRun
            spacing: 0

            Rectangle {
                Layout.fillHeight: true
                implicitWidth: Theme.sidebarWidth
                color: Theme.sidebar

                ColumnLayout {
                    anchors.fill: parent
                    spacing: 0

                    ConversationSidebar {
                        id: sidebar
                        Layout.fillWidth: true
                        Layout.fillHeight: true
                        conversations: chat.conversations
                        currentConversationId: chat.currentConversationId
                        onNewChatRequested: {
                            chat.newConversation()
                            composer.focusInput()
                        }
                        onConversationSelected: (conversationId) => chat.selectConversation(conversationId)
                        onRenameRequested: (conversationId, title) => chat.renameConversation(conversationId, title)
                        onDeleteRequested: (conversationId) => chat.deleteConversation(conversationId)
                        onSearchRequested: (query) => sidebar.searchHits = query !== "" ? chat.search(query) : []
                        onHitOpened: (conversationId, messageId) => chat.openMessage(conversationId, messageId)
                    }
                    ModelPicker {
                        Layout.fillWidth: true
                        Layout.margins: Theme.spacingMedium
                        facts: models.modelFacts
                        recentModels: models.recentModels
                        loading: root.loading
                        onOpenFileRequested: root.openModelFile()
                        onDownloadRequested: downloadsDialog.open()
                        onModelChosen: (path) => models.loadModel(path)
                        onForgetRequested: (path) => models.forgetRecentModel(path)
                        remoteEndpoints: root.remoteEngines ? root.remoteEngines.endpoints : []
                        onRemoteListRequested: if (root.remoteEngines) root.remoteEngines.refresh()
                        onRemoteModelChosen: (endpoint, model) => root.remoteEngines.chooseModel(endpoint, model)
                    }
                }
                Rectangle {
                    anchors.right: parent.right
                    width: 1
                    height: parent.height
                    color: Theme.border
                }
            }

            ColumnLayout {
                Layout.fillWidth: true
                Layout.fillHeight: true
                spacing: 0

                ChatHeader {
                    Layout.fillWidth: true
                    title: chat.currentTitle
                    systemPrompt: chat.systemPrompt
                    onSystemPromptEdited: (prompt) => chat.systemPrompt = prompt
                }
                MessageList {
                    id: messageList
                    objectName: "messageList"
                    Layout.fillWidth: true
                    Layout.fillHeight: true
                    model: chat.messages
                    generating: chat.generating
                    onRegenerateRequested: (messageId) => {
                        chat.regenerate(messageId)
                        messageList.scrollToEnd()
                    }
                    onEditRequested: (messageId, text) => {
                        chat.editAndResend(messageId, text)
                        messageList.scrollToEnd()
                    }
                    onVersionRequested: (messageId, delta) => chat.switchVersion(messageId, delta)
                }
                Composer {
                    id: composer
                    objectName: "composer"
                    Layout.fillWidth: true
                    Layout.fillHeight: false // a layout itself, it would share the list's height
                    Layout.maximumWidth: Theme.contentMaxWidth
                    Layout.alignment: Qt.AlignHCenter
                    Layout.leftMargin: Theme.spacingHuge
                    Layout.rightMargin: Theme.spacingHuge
                    Layout.bottomMargin: Theme.spacingLarge
                    ready: root.ready
                    notReadyHint: root.loading ? qsTr("The model is loading…") : qsTr("Load a model to start chatting")
                    generating: chat.generating
                    promptReading: chat.promptReading
                    tokensPerSecond: chat.tokensPerSecond
                    contextUsed: chat.contextUsed
                    contextSize: chat.contextSize
                    contextWarning: chat.contextWarning
                    onSendRequested: (text) => {
                        chat.send(text)
                        messageList.scrollToEnd()
                    }
                    onStopRequested: chat.stop()
                }
            }
        }
    }

    UndoToast {
        anchors.horizontalCenter: parent.horizontalCenter
        anchors.bottom: parent.bottom
        anchors.bottomMargin: Theme.spacingHuge
        canUndo: chat.canUndoDelete
        deletedTitle: chat.deletedTitle
        onUndoRequested: chat.undoDelete()
    }

    SettingsDialog {
        id: settingsDialog
        palette: root.palette // a popup takes its parent's palette only once, when created
        manager: models
        localServer: root.localServerOrNull
        remoteModels: root.remoteEngines
        onReloadRequested: models.loadModel(models.modelPath)
    }

    DownloadsDialog {
        id: downloadsDialog
        palette: root.palette
        catalogue: downloads.catalogue
        queue: downloads.queue
        folder: downloads.folder
        mirror: downloads.mirror
        message: downloads.message
        onDownloadRequested: (entryId) => downloads.download(entryId)
        onPauseRequested: (row) => downloads.queue.pause(row)
        onResumeRequested: (row) => downloads.queue.resume(row)
        onCancelRequested: (row) => downloads.queue.cancel(row)
        onOpenRequested: (path) => {
            downloadsDialog.close()
            models.loadModel(path)
        }
        onFolderEdited: (folder) => downloads.folder = folder
        onMirrorEdited: (mirror) => downloads.mirror = mirror
    }
}
