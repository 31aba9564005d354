// Chat formats: V3's renderings equal the reference renderings of its Jinja template, the other
// families render as their templates do, templates are recognized, and the fallback is stated.

#include "engine/chat/chat_template.h"
#include "engine/core/error.h"
#include "engine/gguf/metadata.h"
#include "tests/support/shared_data.h"

#include <QTest>

#include <nlohmann/json.hpp>

#include <fstream>

using namespace latent;
using namespace latent::chat;

namespace {

const ChatTokens kV3Tokens{"<｜begin▁of▁sentence｜>", "<｜end▁of▁sentence｜>"};

std::string readText(const QString& path)
{
    std::ifstream in(path.toStdString(), std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), {});
}

} // namespace

class ChatTemplateTest : public QObject {
    Q_OBJECT

private slots:
    void v3RenderingsEqualReference()
    {
        LATENT_REQUIRE_SHARED("data/chat/deepseek-v3-chat.json");
        const auto cases = nlohmann::json::parse(readText(test::sharedPath("data/chat/deepseek-v3-chat.json")));
        QVERIFY(cases.size() >= 10);
        for (const auto& c : cases) {
            std::vector<ChatMessage> messages;
            for (const auto& m : c.at("messages"))
                messages.push_back({m.at("role").get<std::string>(), m.at("content").get<std::string>()});
            const std::string rendered =
                renderChat(ChatFormat::DeepSeekV3, messages, c.at("add_generation_prompt").get<bool>(), kV3Tokens);
            QCOMPARE(rendered, c.at("rendered").get<std::string>());
        }
    }

    void recognizesV3TemplateOfTokenizerConfig()
    {
        LATENT_REQUIRE_SHARED("data/tokenizer/deepseek-v3/tokenizer_config.json");
        const auto config = nlohmann::json::parse(readText(test::sharedPath("data/tokenizer/deepseek-v3/tokenizer_config.json")));
        QCOMPARE(recognizeChatTemplate(config.at("chat_template").get<std::string>()),
                 std::optional(ChatFormat::DeepSeekV3));
    }

    void recognizesEachFamily()
    {
        QCOMPARE(recognizeChatTemplate("{{'### Instruction:\\n' + message['content']}}{{'### Response:'}}"),
                 std::optional(ChatFormat::DeepSeekCoder));
        QCOMPARE(recognizeChatTemplate("{{ 'User: ' + message['content'] + '\\n\\n' }}{{ 'Assistant: ' + m }}"),
                 std::optional(ChatFormat::DeepSeekLlm));
        QCOMPARE(recognizeChatTemplate("{%- if '</think>' in content %}<｜User｜><｜Assistant｜>"),
                 std::optional(ChatFormat::DeepSeekR1));
        QCOMPARE(recognizeChatTemplate("<|im_start|>user"), std::nullopt);
    }

    void llmAndV2Format()
    {
        const std::vector<ChatMessage> messages = {
            {"system", "Be brief."}, {"user", "Hi"}, {"assistant", "Hello."}, {"user", "2+2?"}};
        QCOMPARE(renderChat(ChatFormat::DeepSeekLlm, messages, true, kV3Tokens),
                 std::string("<｜begin▁of▁sentence｜>Be brief.\n\nUser: Hi\n\nAssistant: Hello.<｜end▁of▁sentence｜>"
                             "User: 2+2?\n\nAssistant:"));
    }

    void coderInstructFormat()
    {
        const ChatTokens coder{"<｜begin▁of▁sentence｜>", "<|EOT|>"};
        const std::vector<ChatMessage> withSystem = {{"system", "You write C++.\n"}, {"user", "gcd"}, {"assistant", "std::gcd"}, {"user", "lcm"}};
        QCOMPARE(renderChat(ChatFormat::DeepSeekCoder, withSystem, true, coder),
                 std::string("<｜begin▁of▁sentence｜>You write C++.\n### Instruction:\ngcd\n### Response:\nstd::gcd\n"
                             "<|EOT|>\n### Instruction:\nlcm\n### Response:"));
        const std::vector<ChatMessage> noSystem = {{"user", "gcd"}};
        const std::string rendered = renderChat(ChatFormat::DeepSeekCoder, noSystem, false, coder);
        QVERIFY(rendered.starts_with("<｜begin▁of▁sentence｜>You are an AI programming assistant, utilizing the Deepseek Coder model"));
        QVERIFY(rendered.ends_with("to answer\n### Instruction:\ngcd\n"));
    }

    void r1LeavesThinkingOutOfHistory()
    {
        const std::vector<ChatMessage> messages = {
            {"user", "2+2?"}, {"assistant", "<think>\nadd them\n</think>\n\n4"}, {"user", "times 3?"}};
        QCOMPARE(renderChat(ChatFormat::DeepSeekR1, messages, true, kV3Tokens),
                 std::string("<｜begin▁of▁sentence｜><｜User｜>2+2?<｜Assistant｜>\n\n4<｜end▁of▁sentence｜>"
                             "<｜User｜>times 3?<｜Assistant｜>"));
    }

    void unknownRoleIsAnError()
    {
        const std::vector<ChatMessage> messages = {{"tool", "{}"}};
        for (ChatFormat format : {ChatFormat::DeepSeekLlm, ChatFormat::DeepSeekCoder, ChatFormat::DeepSeekV3})
            QVERIFY_THROWS_EXCEPTION(Error, renderChat(format, messages, true, kV3Tokens));
    }

    void chooseFormat()
    {
        gguf::Metadata meta("model.gguf");
        meta.set("tokenizer.ggml.pre", std::string("deepseek-coder"));
        // No template: the tokenizer's family, and the reason says so.
        ChatFormatChoice choice = chooseChatFormat(meta, std::nullopt);
        QCOMPARE(choice.format, ChatFormat::DeepSeekCoder);
        QVERIFY(choice.reason.find("no chat template") != std::string::npos);
        // A recognized template wins over the family.
        meta.set("tokenizer.chat_template", std::string("<｜User｜>...<｜Assistant｜>"));
        QCOMPARE(chooseChatFormat(meta, std::nullopt).format, ChatFormat::DeepSeekV3);
        // The override wins over both.
        QCOMPARE(chooseChatFormat(meta, ChatFormat::DeepSeekLlm).format, ChatFormat::DeepSeekLlm);
        // Nothing to go on: an error that lists the formats.
        gguf::Metadata other("other.gguf");
        other.set("tokenizer.ggml.pre", std::string("qwen2"));
        other.set("tokenizer.chat_template", std::string("<|im_start|>"));
        try {
            chooseChatFormat(other, std::nullopt);
            QFAIL("expected an error");
        } catch (const Error& error) {
            QVERIFY(std::string(error.what()).find("deepseek-v3") != std::string::npos);
        }
        QCOMPARE(chatFormatFromName("deepseek-r1"), std::optional(ChatFormat::DeepSeekR1));
        QCOMPARE(chatFormatFromName("chatml"), std::nullopt);
    }
};

QTEST_GUILESS_MAIN(ChatTemplateTest)
#include "test_chat_template.moc"
