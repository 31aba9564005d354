// Seeds a database for tests/ui/screenshot.sh with one conversation whose answer was written in
// advance (a markdown answer with a Python code block), because the random-weights model of the
// screenshot writes only gibberish and the picture should also show how answers render. The
// answer's model is "seeded example", so nobody takes it for a model's output. Prints the
// conversation's id.

#include "app/store/chat_store.h"

#include <QCoreApplication>

#include <cstdio>

int main(int argc, char** argv)
{
    QCoreApplication app(argc, argv);
    if (argc != 2) {
        std::fprintf(stderr, "usage: seed_screenshot_conversation DATABASE\n");
        return 2;
    }
    try {
        latent::app::ChatStore store(QString::fromLocal8Bit(argv[1]));
        const qint64 conversation = store.createConversation(QStringLiteral("Reverse a string in Python"));
        const qint64 question = store.addMessage(conversation, 0, QStringLiteral("user"),
                                                 QStringLiteral("How do I reverse a string in Python?"));
        store.addMessage(conversation, question, QStringLiteral("assistant"),
                         QStringLiteral("Slicing with a step of `-1` walks the string backwards:\n\n"
                                        "```python\n"
                                        "def reverse(text: str) -> str:\n"
                                        "    \"\"\"Return text with its characters in reverse order.\"\"\"\n"
                                        "    return text[::-1]\n"
                                        "\n"
                                        "print(reverse(\"Latent\"))  # tnetaL\n"
                                        "```\n\n"
                                        "Text with combining accents needs its *grapheme clusters* reversed "
                                        "instead, for example with the `regex` module's `\\X`."),
                         true, QStringLiteral("seeded example"));
        std::printf("%lld\n", static_cast<long long>(conversation));
    } catch (const latent::app::StoreError& error) {
        std::fprintf(stderr, "seed_screenshot_conversation: %s\n", error.what());
        return 1;
    }
    return 0;
}
