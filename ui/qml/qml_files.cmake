# The QML files of module Latent.Ui, relative to ui/. ui/CMakeLists.txt passes them to
# qt_add_qml_module; the singletons are marked here because qmldir must declare them.

set(LATENT_QML_SINGLETONS
    qml/Theme.qml
)
set(LATENT_QML_FILES
    ${LATENT_QML_SINGLETONS}
    qml/Main.qml
    qml/WelcomeScreen.qml
    qml/ModelSizeTable.qml
    qml/LoadingPane.qml
    qml/ErrorBanner.qml
    qml/UndoToast.qml
    qml/ConversationSidebar.qml
    qml/ConversationDelegate.qml
    qml/SearchHitDelegate.qml
    qml/ModelPicker.qml
    qml/ChatHeader.qml
    qml/SystemPromptPopup.qml
    qml/MessageList.qml
    qml/MessageBubble.qml
    qml/MessageActions.qml
    qml/MessageEditor.qml
    qml/MarkdownContent.qml
    qml/CodeBlock.qml
    qml/TypingIndicator.qml
    qml/Composer.qml
    qml/GenerationStatus.qml
    qml/SettingsDialog.qml
    qml/SamplingSettings.qml
    qml/DecimalSpinBox.qml
    qml/ThemedComboBox.qml
    qml/FlatButton.qml
    qml/PopupPanel.qml
    qml/MenuRow.qml
)
