// The tokenizer against Hugging Face's own on the DeepSeek-V3 conformance texts (from
// tokenizer.json and from a GGUF), streaming decode, fill-in-the-middle, and bad input.

#include "engine/core/error.h"
#include "engine/tokenizer/byte_level.h"
#include "engine/tokenizer/stream_decoder.h"
#include "engine/tokenizer/utf8.h"
#include "tests/support/tokenizer_fixtures.h"

#include <QTest>

#include <fstream>

#include <fmt/format.h>
#include <fmt/ranges.h>

using namespace latent;
using namespace latent::tokenizer;

namespace {

// Describes the first difference between two id lists, with the pieces there.
std::string firstDifference(const Tokenizer& tokenizer, const std::vector<TokenId>& expected,
                            const std::vector<TokenId>& actual)
{
    size_t i = 0;
    while (i < expected.size() && i < actual.size() && expected[i] == actual[i])
        ++i;
    const auto piece = [&](const std::vector<TokenId>& ids) {
        return i < ids.size() ? fmt::format("{} '{}'", ids[i], utf8::sanitize(tokenizer.tokenBytes(ids[i])))
                              : std::string("(end)");
    };
    return fmt::format("first difference at index {}: expected {}, got {}\n expected ids: [{}]\n actual ids:   [{}]",
                       i, piece(expected), piece(actual), fmt::join(expected, ","), fmt::join(actual, ","));
}

void checkConformance(const Tokenizer& tokenizer)
{
    const auto cases = test::readConformance();
    QVERIFY(cases.size() > 700);
    size_t failures = 0;
    for (const auto& c : cases) {
        const auto ids = tokenizer.encode(c.text);
        if (ids != c.ids) {
            ++failures;
            qWarning("text: %s\n%s", nlohmann::json(c.text).dump().c_str(), firstDifference(tokenizer, c.ids, ids).c_str());
        }
        if (tokenizer.decode(c.ids) != c.text) {
            ++failures;
            qWarning("decode differs for text %s", nlohmann::json(c.text).dump().c_str());
        }
    }
    QCOMPARE(failures, size_t(0));
}

} // namespace

class TokenizerTest : public QObject {
    Q_OBJECT

    std::optional<Tokenizer> v3_;

private slots:
    void initTestCase()
    {
        if (QFileInfo::exists(test::sharedPath(test::kV3TokenizerJson)))
            v3_.emplace(Tokenizer::fromHuggingFaceJson(test::sharedPath(test::kV3TokenizerJson).toStdString()));
    }

    void conformanceFromTokenizerJson()
    {
        LATENT_REQUIRE_SHARED(test::kV3TokenizerJson);
        QCOMPARE(v3_->vocabularySize(), size_t(128815)); // ids 0 to 128,814: BPE tokens, then added ones
        QCOMPARE(v3_->spec().preTokenizerName, std::string("deepseek-v3"));
        checkConformance(*v3_);
    }

    void conformanceFromGguf()
    {
        LATENT_REQUIRE_SHARED(test::kV3TokenizerJson);
        const auto gguf = test::TokenizerGguf::fromSpec(v3_->spec());
        const Tokenizer fromGguf = Tokenizer::fromGguf(gguf.file);
        QCOMPARE(fromGguf.spec().bos, v3_->spec().bos);
        QCOMPARE(fromGguf.spec().eos, v3_->spec().eos);
        QCOMPARE(fromGguf.spec().addBos, true);
        checkConformance(fromGguf);
    }

    // ../shared has conformance data for V3's pre-tokenizer only. For the deepseek-llm and
    // deepseek-coder ones, tests/data holds what Hugging Face's tokenizer gives with V3's
    // vocabulary and each family's pre-tokenizer (tests/data/make-pretokenizer-reference.cjs).
    void otherFamiliesPreTokenizers_data()
    {
        QTest::addColumn<QString>("family");
        QTest::newRow("deepseek-llm") << "deepseek-llm";
        QTest::newRow("deepseek-coder") << "deepseek-coder";
    }

    void otherFamiliesPreTokenizers()
    {
        QFETCH(QString, family);
        LATENT_REQUIRE_SHARED(test::kV3TokenizerJson);
        TokenizerSpec spec = v3_->spec();
        spec.preTokenizerExpressions.clear();
        spec.preTokenizerName = family.toStdString();
        const Tokenizer tokenizer(std::move(spec));

        const auto cases = test::readConformance();
        std::ifstream in(QStringLiteral(LATENT_TEST_DATA_DIR "/%1-pretokenizer-ids.jsonl").arg(family).toStdString());
        size_t index = 0, failures = 0;
        for (std::string line; std::getline(in, line); ++index) {
            QVERIFY(index < cases.size());
            const auto expected = nlohmann::json::parse(line).at("ids").get<std::vector<TokenId>>();
            const auto ids = tokenizer.encode(cases[index].text);
            if (ids != expected) {
                ++failures;
                qWarning("text: %s\n%s", nlohmann::json(cases[index].text).dump().c_str(),
                         firstDifference(tokenizer, expected, ids).c_str());
            }
        }
        QCOMPARE(index, cases.size());
        QCOMPARE(failures, size_t(0));
    }

    // deepseek-llm's letter class holds characters that Unicode normalization would silently
    // replace (the Kelvin sign, the ohm sign, Greek with tonos): they must stay letters.
    void deepseekLlmLetterClassIsNotNormalized()
    {
        const PreTokenizer pre = PreTokenizer::forName("deepseek-llm");
        std::vector<std::string_view> pieces;
        const std::string letters = "\u212A\u2126\u1FBE\u1F7D\u1FD3\u1FDB";
        pre.split(letters, pieces);
        QCOMPARE(pieces.size(), size_t(1));
    }

    void streamingDecodeEqualsText()
    {
        LATENT_REQUIRE_SHARED(test::kV3TokenizerJson);
        for (const auto& c : test::readConformance()) {
            StreamDecoder decoder(*v3_);
            std::string streamed;
            for (TokenId id : c.ids) {
                const std::string piece = decoder.push(id);
                QVERIFY(utf8::sanitize(piece) == piece); // every piece is valid UTF-8 on its own
                streamed += piece;
            }
            streamed += decoder.finish();
            QCOMPARE(streamed, c.text);
        }
    }

    void streamingHoldsBackSplitCharacters()
    {
        LATENT_REQUIRE_SHARED(test::kV3TokenizerJson);
        // "語" is three bytes; tokens of its single bytes show nothing until the last one.
        const auto byteToken = [&](unsigned char byte) { return *v3_->findToken(toByteLevel(std::string(1, char(byte)))); };
        StreamDecoder decoder(*v3_);
        QCOMPARE(decoder.push(byteToken(0xE8)), std::string());
        QCOMPARE(decoder.push(byteToken(0xAA)), std::string());
        QCOMPARE(decoder.push(byteToken(0x9E)), std::string("語"));
        // A byte that can never start a character comes out as U+FFFD at once.
        QCOMPARE(decoder.push(byteToken(0xFF)), std::string(utf8::kReplacement));
        // A sequence cut short by an ASCII byte: U+FFFD, then the byte.
        QCOMPARE(decoder.push(byteToken(0xE8)), std::string());
        QCOMPARE(decoder.push(byteToken('a')), std::string(utf8::kReplacement) + "a");
        // Held bytes at the end of the stream.
        QCOMPARE(decoder.push(byteToken(0xE8)), std::string());
        QCOMPARE(decoder.finish(), std::string(utf8::kReplacement));
    }

    void fillInTheMiddle()
    {
        LATENT_REQUIRE_SHARED(test::kV3TokenizerJson);
        const auto ids = v3_->encodeFillInMiddle("def add(a, b):\n    ", "\n    return c\n");
        const TokenId begin = *v3_->findToken("<｜fim▁begin｜>");
        const TokenId hole = *v3_->findToken("<｜fim▁hole｜>");
        const TokenId end = *v3_->findToken("<｜fim▁end｜>");
        QCOMPARE(ids.front(), *v3_->spec().bos);
        QCOMPARE(ids[1], begin);
        QCOMPARE(ids.back(), end);
        QCOMPARE(std::ranges::count(ids, hole), 1);
        QCOMPARE(v3_->decode(ids), std::string("<｜begin▁of▁sentence｜><｜fim▁begin｜>def add(a, b):\n    <｜fim▁hole｜>\n"
                                               "    return c\n<｜fim▁end｜>"));
    }

    void specialTokensOnlyWhenAsked()
    {
        LATENT_REQUIRE_SHARED(test::kV3TokenizerJson);
        const std::string text = "<｜User｜>hi";
        const TokenId user = *v3_->findToken("<｜User｜>");
        QCOMPARE(v3_->encode(text).front(), user);
        const auto plain = v3_->encode(text, {.parseSpecial = false});
        QVERIFY(std::ranges::find(plain, user) == plain.end());
        QCOMPARE(v3_->decode(plain), text);
        QCOMPARE(v3_->encode("x", {.addBos = true}).front(), *v3_->spec().bos);
    }

    void badInput()
    {
        LATENT_REQUIRE_SHARED(test::kV3TokenizerJson);
        QVERIFY(v3_->encode("").empty());

        // Invalid UTF-8 is encoded byte for byte and decodes to the same bytes.
        const std::string invalid = "ok \xFF\xFE broken \xE8\xAA end \xC0\xAF \xED\xA0\x80";
        QCOMPARE(v3_->decode(v3_->encode(invalid)), invalid);

        const std::string withNul("a\0b\0\0c", 6);
        QCOMPARE(v3_->decode(v3_->encode(withNul)), withNul);

        const TokenId eos = *v3_->spec().eos;
        QCOMPARE(v3_->encode("<｜end▁of▁sentence｜>"), std::vector<TokenId>{eos});
        std::string many;
        for (int i = 0; i < 10000; ++i)
            many += "<｜end▁of▁sentence｜>";
        QCOMPARE(v3_->encode(many), std::vector<TokenId>(10000, eos));

        // 10 MB: a long letter run (one piece for BPE) and mixed text.
        const std::string letters(10'000'000, 'a');
        QCOMPARE(v3_->decode(v3_->encode(letters)), letters);
        std::string mixed;
        while (mixed.size() < 10'000'000)
            mixed += "int main() { return 42; } // 深度求索 ✓\n";
        QCOMPARE(v3_->decode(v3_->encode(mixed)), mixed);

        QCOMPARE(v3_->tokenBytes(-1), std::string_view());
        QCOMPARE(v3_->tokenBytes(1'000'000), std::string_view());
    }

    void badSpecs()
    {
        TokenizerSpec spec;
        spec.source = "model.gguf";
        spec.tokens = {"a"};
        spec.preTokenizerName = "deepseek-v3";
        QVERIFY_THROWS_EXCEPTION(Error, Tokenizer{spec}); // no byte tokens
        try {
            (void)PreTokenizer::forName("qwen2");
            QFAIL("an unknown pre-tokenizer must be an error");
        } catch (const Error& error) {
            QVERIFY(std::string(error.what()).find("'qwen2'") != std::string::npos);
        }
    }
};

QTEST_GUILESS_MAIN(TokenizerTest)
#include "test_tokenizer.moc"
