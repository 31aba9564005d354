#pragma once

#include <QFrame>

class QLabel;
class QLineEdit;
class QPushButton;

namespace latent::ui {

// The small prompt box of Generate at the cursor, over the editor: what to write, Generate (Enter)
// and, while the code streams in, Stop; Esc or Close hides it. It only asks: the window runs the
// generation (code_generation.h) and tells it when it runs.
class GenerateBar : public QFrame {
    Q_OBJECT

public:
    explicit GenerateBar(QWidget* parent = nullptr);

    void open();                    // shows it with the focus in the field
    void setRunning(bool running);  // Generate becomes Stop, the field read-only
    void setStatus(const QString& text);
    QString request() const;

signals:
    void generateRequested(const QString& request);
    void stopRequested();
    void closed();

protected:
    void changeEvent(QEvent* event) override;
    void keyPressEvent(QKeyEvent* event) override;

private:
    void retranslate();
    void submit();

    QLineEdit* field_ = nullptr;
    QPushButton* button_ = nullptr;
    QPushButton* close_ = nullptr;
    QLabel* status_ = nullptr;
    bool running_ = false;
};

} // namespace latent::ui
